/**
 * The wire rows (feed protocol, read API, history API) of the state's records: one function
 * per row type, each writing its times with `isoTime` (RFC 3339, milliseconds, `Z`) and its
 * fields in the order the rows have always had on the wire (the feed's bytes do not change:
 * wire-rows.test.ts).
 * The readers call these at their edge; the state itself never does. Here, in `state/`, so
 * that the history (service layer), the feed and the read API may all import it.
 */
import type {
  AlertRecord,
  AlertRow,
  ChannelRecords,
  FeedChannel,
  FillRecord,
  FillRow,
  OrderRecord,
  OrderRow,
  PositionRecord,
  PositionRow,
  RoundTripRecord,
  RoundTripRow,
  RowOf,
  StatusRecord,
  StatusRow,
} from './changes';
import { isoTime } from './common/iso-time';

export function orderRow(r: OrderRecord): OrderRow {
  const row: OrderRow = {
    engine: r.engine,
    order_id: r.order_id,
    symbol: r.symbol,
    side: r.side,
    order_type: r.order_type,
    status: r.status,
    quantity: r.quantity,
    filled_quantity: r.filled_quantity,
    fees: r.fees,
    created_at: isoTime(r.createdMs),
    updated_at: isoTime(r.updatedMs),
  };
  // The optional fields in the record's own order: a reason given by a resync (execution/
  // order-events.ts) comes after the venue, as it always has on the wire.
  for (const field in r) {
    switch (field) {
      case 'avg_fill_price':
        row.avg_fill_price = r.avg_fill_price;
        break;
      case 'limit_price':
        row.limit_price = r.limit_price;
        break;
      case 'stop_price':
        row.stop_price = r.stop_price;
        break;
      case 'fee_currency':
        row.fee_currency = r.fee_currency;
        break;
      case 'strategy':
        row.strategy = r.strategy;
        break;
      case 'client_order_id':
        row.client_order_id = r.client_order_id;
        break;
      case 'time_in_force':
        row.time_in_force = r.time_in_force;
        break;
      case 'reason':
        row.reason = r.reason;
        break;
      case 'venue':
        row.venue = r.venue;
        break;
    }
  }
  return row;
}

export function fillRow(r: FillRecord): FillRow {
  const row: FillRow = {
    engine: r.engine,
    fill_id: r.fill_id,
    order_id: r.order_id,
    symbol: r.symbol,
    side: r.side,
    price: r.price,
    quantity: r.quantity,
    fee: r.fee,
    ts: isoTime(r.tsMs),
    realized_pnl: r.realized_pnl,
  };
  if (r.fee_currency !== undefined) row.fee_currency = r.fee_currency;
  if (r.liquidity !== undefined) row.liquidity = r.liquidity;
  if (r.strategy !== undefined) row.strategy = r.strategy;
  return row;
}

export function positionRow(r: PositionRecord): PositionRow {
  return {
    engine: r.engine,
    symbol: r.symbol,
    quantity: r.quantity,
    avg_price: r.avg_price,
    mark_price: r.mark_price,
    notional: r.notional,
    unrealized_pnl: r.unrealized_pnl,
    realized_pnl: r.realized_pnl,
    fees: r.fees,
    updated_at: isoTime(r.updatedMs),
  };
}

export function statusRow(r: StatusRecord): StatusRow {
  const row: StatusRow = {
    engine: r.engine,
    last_event_at: r.lastEventMs === null ? null : isoTime(r.lastEventMs),
    halted: r.halted,
    active_strategy: r.active_strategy,
    components: r.components,
    active_orders: r.active_orders,
  };
  if (r.halt_reason !== undefined) row.halt_reason = r.halt_reason;
  return row;
}

export function alertRow(r: AlertRecord): AlertRow {
  const row: AlertRow = {
    engine: r.engine,
    key: r.key,
    name: r.name,
    severity: r.severity,
    message: r.message,
    ts: isoTime(r.tsMs),
  };
  if (r.labels !== undefined) row.labels = r.labels;
  return row;
}

export function roundTripRow(r: RoundTripRecord): RoundTripRow {
  return {
    engine: r.engine,
    symbol: r.symbol,
    strategy: r.strategy,
    direction: r.direction,
    opened_at: isoTime(r.openedMs),
    closed_at: isoTime(r.closedMs),
    quantity: r.quantity,
    entry_price: r.entry_price,
    exit_price: r.exit_price,
    pnl: r.pnl,
    fees: r.fees,
    pnl_quote: r.pnl_quote,
    fees_quote: r.fees_quote,
    outcome: r.outcome,
    close_fill_id: r.close_fill_id,
  };
}

type WireRows = { [C in FeedChannel]: (r: ChannelRecords[C]) => RowOf<C> };

const WIRE: WireRows = {
  orders: orderRow,
  fills: fillRow,
  positions: positionRow,
  alerts: alertRow,
  status: statusRow,
};

/** The wire row of a channel's record. */
export function wireRow<C extends FeedChannel>(channel: C, r: ChannelRecords[C]): RowOf<C> {
  const make: WireRows[C] = WIRE[channel];
  return make(r);
}
