/** What an applied batch changed, for the live feed (which never reads events itself). */
import type { OrderRow } from './execution/orders';

export type FeedChannel = 'orders' | 'fills' | 'positions' | 'alerts' | 'status';

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
  ts: string;
  /**
   * PnL this fill realized in the valuation currency, its own fee subtracted (an opening
   * fill realizes minus its fee). An engine's fills add up to trading_realized_pnl: an
   * amount that could not be valued (no mark to the valuation currency) is left out here
   * as it is there.
   */
  realized_pnl: number;
}

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

export interface PositionRow {
  engine: string;
  symbol: string;
  quantity: number;
  avg_price: number;
  mark_price: number | null;
  notional: number | null;
  unrealized_pnl: number | null;
  realized_pnl: number;
  fees: number;
  updated_at: string;
}

export interface AlertRow {
  engine: string;
  key: string;
  name: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  labels?: Record<string, string>;
  ts: string;
}

export interface StatusRow {
  engine: string;
  last_event_at: string | null;
  halted: boolean;
  halt_reason?: string;
  active_strategy: string | null;
  components: Record<string, 'ok' | 'degraded' | 'down'>;
  active_orders: number;
}

export type RowOf<C extends FeedChannel> = C extends 'orders'
  ? OrderRow
  : C extends 'fills'
    ? FillRow
    : C extends 'positions'
      ? PositionRow
      : C extends 'alerts'
        ? AlertRow
        : StatusRow;

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
