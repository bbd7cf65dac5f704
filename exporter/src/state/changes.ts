/**
 * What an applied batch changed, for the live feed and the history (which never read events
 * themselves). The state keeps and hands out domain records: the feed protocol's rows with
 * their times as epoch milliseconds (`createdMs`, `tsMs`…) instead of RFC 3339 strings. The
 * readers make the wire rows at their edge (`wire-rows.ts`); the history stores the numbers.
 */
import type { AlertRow, Channel, FillRow, OrderRow, PositionRow, StatusRow } from '@tradewatch/feed-protocol';

// The wire rows are the feed protocol's (one definition for the feed, the client and the history API).
export type { AlertRow, FillRow, OrderRow, PositionRow, RowOf, StatusRow } from '@tradewatch/feed-protocol';
export type FeedChannel = Channel;

/** A round trip that ended (a position returned to zero or flipped), as the history API serves it. */
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

/** An order as the state keeps it; times in epoch ms. */
export type OrderRecord = Omit<OrderRow, 'created_at' | 'updated_at'> & {
  createdMs: number;
  updatedMs: number;
};
export type FillRecord = Omit<FillRow, 'ts'> & { tsMs: number };
export type PositionRecord = Omit<PositionRow, 'updated_at'> & { updatedMs: number };
export type StatusRecord = Omit<StatusRow, 'last_event_at'> & { lastEventMs: number | null };
export type AlertRecord = Omit<AlertRow, 'ts'> & { tsMs: number };
export type RoundTripRecord = Omit<RoundTripRow, 'opened_at' | 'closed_at'> & {
  openedMs: number;
  closedMs: number;
};

/** The record of each channel's rows. */
export interface ChannelRecords {
  orders: OrderRecord;
  fills: FillRecord;
  positions: PositionRecord;
  alerts: AlertRecord;
  status: StatusRecord;
}
export type RecordOf<C extends FeedChannel> = ChannelRecords[C];

/** One row changed on channel `C`: an upsert, or a removal with the row's final state. */
export interface ChannelChange<C extends FeedChannel> {
  channel: C;
  key: string;
  /** The record now; null when it left the channel's set. */
  row: RecordOf<C> | null;
  /** For removals: the final state of the record (a filled, canceled… order). */
  final?: RecordOf<C>;
  /** On a fill that ended a round trip: that round trip (for the history; not a feed row). */
  roundTrip?: RoundTripRecord;
}

/**
 * A change on one of channels `C`, told apart by `channel` (a union of one `ChannelChange`
 * per channel, so a reader that checked `channel` has the record's type without a cast).
 */
export type Change<C extends FeedChannel = FeedChannel> = { [K in C]: ChannelChange<K> }[C];
