/**
 * The row each channel carries, with the field names of the events they come from (quantities
 * as numbers, times as RFC 3339 strings). The exporter's state makes them, the feed sends them,
 * the client and the plugin read them: this is their one definition.
 */
import type { Channel } from './channels';

/** An order row (`orders`), with the field names of the `order` event. */
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
  /** When the order was created (falls back to the first event's ts). */
  created_at: string;
  /** Event time of the latest state. */
  updated_at: string;
  reason?: string;
  venue?: string;
}

/** A fill row (`fills`), as the exporter's state and trade history keep it. */
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
  /** Event time. */
  ts: string;
  /**
   * PnL this fill realized in the valuation currency, its own fee subtracted (an opening
   * fill realizes minus its fee). An engine's fills add up to trading_realized_pnl: an
   * amount that could not be valued (no mark to the valuation currency) is left out here
   * as it is there (docs/history.md).
   */
  realized_pnl: number;
}

/** A position row (`positions`): one per engine and symbol. */
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

/** An alert row (`alerts`): `key` tells one alert of an engine from another. */
export interface AlertRow {
  engine: string;
  key: string;
  name: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  labels?: Record<string, string>;
  ts: string;
}

/** An engine's status row (`status`): one per engine. */
export interface StatusRow {
  engine: string;
  last_event_at: string | null;
  halted: boolean;
  halt_reason?: string;
  active_strategy: string | null;
  components: Record<string, 'ok' | 'degraded' | 'down'>;
  active_orders: number;
}

/** The row type of a channel. */
export type RowOf<C extends Channel> = C extends 'orders'
  ? OrderRow
  : C extends 'fills'
    ? FillRow
    : C extends 'positions'
      ? PositionRow
      : C extends 'alerts'
        ? AlertRow
        : StatusRow;
