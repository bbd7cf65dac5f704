/** What an applied batch changed, for the live feed (which never reads events itself). */
import type { Channel, RowOf } from '@tradewatch/feed-protocol';

// The rows are the feed protocol's (one definition for the state, the feed and the client).
export type { AlertRow, FillRow, PositionRow, RowOf, StatusRow } from '@tradewatch/feed-protocol';
export type FeedChannel = Channel;

/** A round trip that ended (a position returned to zero or flipped); kept by the history. */
export interface RoundTripRow {
  engine: string;
  symbol: string;
  strategy: string;
  direction: 'long' | 'short';
  opened_at: string;
  closed_at: string;
  /** Quantity opened, in the base asset. */
  quantity: number;
  entry_price: number;
  exit_price: number;
  /** In the valuation currency, fees included; null when a part could not be valued. */
  pnl: number | null;
  /** Fees of the opening and closing parts, in the valuation currency; null as for pnl. */
  fees: number | null;
  /** The same in the symbol's quote currency. */
  pnl_quote: number;
  fees_quote: number;
  outcome: 'win' | 'loss' | 'breakeven';
  /** The fill that ended it: the round trip's identity with the engine. */
  close_fill_id: string;
}

/** One row changed on a channel: an upsert, or a removal with the row's final state. */
export interface Change<C extends FeedChannel = FeedChannel> {
  channel: C;
  key: string;
  /** The row now; null when it left the channel's set. */
  row: RowOf<C> | null;
  /** For removals: the final state of the row (a filled, canceled… order). */
  final?: RowOf<C>;
  /** On a fill that ended a round trip: that round trip (for the history; not a feed row). */
  roundTrip?: RoundTripRow;
}
