/**
 * The public contract of the feed client: its options, its state and what a listener receives.
 * The wire itself (channels, rows, identities, messages) is @tradewatch/feed-protocol's, which
 * index.ts re-exports. No Node-only API may be used anywhere in this package: the browser
 * imports it.
 */
import type { Channel, FeedFilter, RowIdentity } from '@tradewatch/feed-protocol';

/** Why the client is not live, in words a user can act on. */
export interface FeedProblem {
  kind: 'unauthorized' | 'forbidden' | 'unreachable' | 'protocol' | 'closed-by-server';
  /** e.g. "cannot reach the feed at wss://host:9478/feed: 401, check the viewer token" */
  message: string;
  /** HTTP status of the refused upgrade when it could be learned (401, 403, 429…). */
  status?: number;
}

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'live'; since: number }
  | { status: 'reconnecting'; attempt: number; staleSince: number | null; problem?: FeedProblem }
  | { status: 'closed' };

/** What a subscription listener receives: the whole current set plus what just changed. */
export interface ChannelView<Row> {
  channel: Channel;
  /** Current rows by key: `rowKey(channel, row)`, a string made of the row's identity. */
  rows: ReadonlyMap<string, Row>;
  /** Rows changed by this message (all rows after a snapshot). */
  upserts: readonly Row[];
  /**
   * Rows that left with this message: their key (as in `rows`), their identity, and their
   * final state where the server sent it.
   */
  removed: readonly { key: string; identity: RowIdentity; finalRow?: Row }[];
  /** True when this view comes from a (re)snapshot: replace, do not merge. */
  fromSnapshot: boolean;
  seq: number;
}

export type Unsubscribe = () => void;

/** The minimal WebSocket surface the client needs (browser WebSocket or `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export interface FeedClientOptions {
  /** ws:// or wss:// URL of the exporter's /feed. */
  url: string;
  /** Viewer token; sent as the subprotocol `tradewatch.token.<token>`, never in the URL. */
  token?: string;
  /** Defaults to the global WebSocket (browser); pass one built on `ws` in Node. */
  createSocket?: WebSocketFactory;
  /** Reconnect backoff: full jitter between 0 and min(maxMs, initialMs·2^attempt). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Idle time after which the connection is deemed dead (server heartbeats every ~10 s). */
  heartbeatTimeoutMs?: number;
  /**
   * Rows kept per subscription of a channel that only grows (`fills`, `alerts`): past it the
   * oldest received are dropped from `rows`, so a tape left open all day stays bounded.
   * Default 10,000.
   */
  maxAppendRows?: number;
}

/**
 * The client's API (implemented by `FeedClient` in ./client.ts):
 *   const client = new FeedClient({ url, token });
 *   const off = client.subscribe<OrderRow>('orders', { engine: 'e1' }, (view) => render(view.rows));
 *   client.onState((s) => showIndicator(s));
 *   off(); client.close();
 */
export interface FeedClientApi {
  subscribe<Row>(
    channel: Channel,
    filter: FeedFilter,
    listener: (view: ChannelView<Row>) => void,
  ): Unsubscribe;
  onState(listener: (state: ConnectionState) => void): Unsubscribe;
  readonly state: ConnectionState;
  close(): void;
}
