/** The messages of the feed's WebSocket and the constants both ends agree on (docs/feed-protocol.md). */
import type { Channel } from './channels';
import type { RowIdentity } from './identity';

/** The subprotocol a client offers and the server accepts. */
export const PROTOCOL = 'tradewatch.v1';
/** A second subprotocol `tradewatch.token.<token>` carries the viewer token (never the URL). */
export const TOKEN_PROTOCOL_PREFIX = 'tradewatch.token.';

/** Close codes the server uses (1000–1015 from RFC 6455, 4000–4999 ours). */
export const CLOSE = {
  normal: { code: 1000, reason: 'bye' },
  shutdown: { code: 1001, reason: 'exporter shutting down' },
  abuse: { code: 1008, reason: 'too many bad messages' },
  tooBig: { code: 1009, reason: 'frame too large' },
  heartbeat: { code: 4001, reason: 'heartbeat timeout: nothing heard from the client' },
  slow: { code: 4002, reason: 'too slow: the client stopped reading' },
  resubscribing: { code: 4003, reason: 'subscribing faster than reading: too many subscribes while behind' },
} as const;

/** Optional filters of a subscription; a missing field matches everything. */
export interface FeedFilter {
  engine?: string;
  strategy?: string;
  symbol?: string;
}

/* Client → server. */

export interface SubscribeMessage {
  op: 'subscribe';
  channel: Channel;
  filter?: FeedFilter;
  /** A subscription id the client chooses, to hold several subscriptions of one channel. */
  sub?: string;
}
export interface UnsubscribeMessage {
  op: 'unsubscribe';
  channel: Channel;
  sub?: string;
}
export interface PingMessage {
  op: 'ping';
  /** Echoed back in the heartbeat that answers it. */
  ts?: number;
}
export type ClientMessage = SubscribeMessage | UnsubscribeMessage | PingMessage;

/* Server → client. */

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

/**
 * The last line of an HTTP stream (`/feed/stream`, which has no close frame): the close code a
 * WebSocket would have got, from CLOSE.
 */
export interface StreamCloseMessage {
  type: 'close';
  code: number;
  reason: string;
}
