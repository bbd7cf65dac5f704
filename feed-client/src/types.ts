/**
 * The public contract of the feed client. The exporter's feed server, the Grafana
 * blotter plugin and the tests all speak through these types; change them together.
 * No Node-only API may be used anywhere in this package: the browser imports it.
 */

export type Channel = 'orders' | 'fills' | 'positions' | 'alerts' | 'status';

/** Optional filters of a subscription; a missing field matches everything. */
export interface FeedFilter {
  engine?: string;
  strategy?: string;
  symbol?: string;
}

/** An order row, with the field names of the `order` event (quantities as numbers). */
export interface OrderRow {
  engine: string;
  order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  order_type: 'limit' | 'market' | 'stop' | 'stop_limit';
  status: 'new' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';
  quantity: number;
  filled_quantity: number;
  avg_fill_price?: number;
  limit_price?: number;
  stop_price?: number;
  fees: number;
  fee_currency?: string;
  strategy?: string;
  client_order_id?: string;
  time_in_force?: string;
  /** RFC 3339; when the order was created (falls back to the first event's ts). */
  created_at: string;
  /** RFC 3339 event time of the latest state. */
  updated_at: string;
  reason?: string;
  venue?: string;
}

/** A fill row (the `fills` channel), as the exporter's state and trade history keep it. */
export interface FillRow {
  engine: string;
  fill_id: string;
  order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  price: number;
  quantity: number;
  fee: number;
  fee_currency?: string;
  liquidity?: 'maker' | 'taker';
  strategy?: string;
  /** RFC 3339 event time. */
  ts: string;
  /** PnL this fill realized in the valuation currency, its own fee subtracted (docs/history.md). */
  realized_pnl: number;
}

/**
 * What identifies a row on each channel (docs/architecture.md, "Identity"): two engines may use the
 * same order and fill ids, so every identity holds the engine. A `removes` entry is one.
 */
export interface OrderIdentity {
  engine: string;
  order_id: string;
}
export interface FillIdentity {
  engine: string;
  fill_id: string;
}
export interface PositionIdentity {
  engine: string;
  symbol: string;
}
export interface AlertIdentity {
  engine: string;
  key: string;
}
export interface StatusIdentity {
  engine: string;
}
export type RowIdentity = OrderIdentity | FillIdentity | PositionIdentity | AlertIdentity | StatusIdentity;

/** Server → client messages (docs/feed-protocol.md). */
export interface SnapshotMessage<Row = unknown> {
  type: 'snapshot';
  channel: Channel;
  seq: number;
  rows: Row[];
  /** The subscription id the client chose (absent for the default one per channel). */
  sub?: string;
}
export interface UpdateMessage<Row = unknown> {
  type: 'update';
  channel: Channel;
  seq: number;
  upserts: Row[];
  /** The rows that left the channel's set, each by its identity ({engine, order_id} on `orders`). */
  removes: RowIdentity[];
  /** On `orders`: the final state of each removed order (filled, canceled, …). */
  closed?: Row[];
  sub?: string;
  /**
   * Present on a catch-up sent to a client that fell behind: this one update stands for
   * every update from `from_seq` to `seq` (coalesced to the latest state per key).
   */
  from_seq?: number;
}
export interface ErrorMessage {
  type: 'error';
  message: string;
  code?: string;
}
export interface HeartbeatMessage {
  type: 'heartbeat';
  ts: number;
  /** The `ts` of the client's `ping` this heartbeat answers. */
  echo?: number;
}
export type ServerMessage = SnapshotMessage | UpdateMessage | ErrorMessage | HeartbeatMessage;

/** Client → server messages. */
export type ClientMessage =
  | { op: 'subscribe'; channel: Channel; filter?: FeedFilter; sub?: string }
  | { op: 'unsubscribe'; channel: Channel; sub?: string }
  | { op: 'ping'; ts?: number };

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
