/**
 * The rows the feed and the read API serve, built from an engine's state. Nothing here
 * changes state: each function reads the engine and returns a row or a change.
 */
import type { AlertEvent, FillEvent } from '../events/schema';
import type { AlertRow, Change, FillRow, PositionRow, RoundTripRow, StatusRow } from './changes';
import type { EngineState } from './engine';
import { isoTime } from './common/iso-time';
import type { RoundTripEnd } from './portfolio/positions';
import { NO_STRATEGY } from './common/symbols';

/** The row of a position the engine holds (the symbol must have a position). */
export function positionRow(s: EngineState, symbol: string, ts: number): PositionRow {
  const p = s.positions.get(symbol);
  if (!p) throw new Error(`no position in ${symbol}`);
  const mark = s.marks.get(symbol);
  const qty = p.quantityNumber;
  return {
    engine: s.engine,
    symbol,
    quantity: qty,
    avg_price: p.avgPriceNumber,
    mark_price: mark?.price ?? null,
    notional: mark ? qty * mark.price : null,
    unrealized_pnl: mark ? p.unrealizedAt(mark.price).toNumber() : null,
    realized_pnl: p.realizedNumber,
    fees: p.feesNumber,
    updated_at: isoTime(ts),
  };
}

/** A position's upsert, or its removal once flat. */
export function positionChange(s: EngineState, symbol: string, ts: number): Change {
  const p = s.positions.get(symbol);
  const key = `${s.engine}:${symbol}`;
  if (!p || p.isFlat)
    return { channel: 'positions', key, row: null, final: p ? positionRow(s, symbol, ts) : undefined };
  return { channel: 'positions', key, row: positionRow(s, symbol, ts) };
}

export function statusRow(s: EngineState): StatusRow {
  const row: StatusRow = {
    engine: s.engine,
    last_event_at: s.lastEventTs === null ? null : isoTime(s.lastEventTs),
    halted: s.halted,
    active_strategy: s.activeStrategy(),
    components: Object.fromEntries(s.components),
    active_orders: s.orders.active.size,
  };
  if (s.haltReason) row.halt_reason = s.haltReason;
  return row;
}

export function statusChange(s: EngineState): Change {
  return { channel: 'status', key: s.engine, row: statusRow(s) };
}

/** The row of a fill, with the PnL it realized in the valuation currency. */
export function fillRow(engine: string, e: FillEvent, strategy: string, realizedPnl: number): FillRow {
  const row: FillRow = {
    engine,
    fill_id: e.fill_id,
    order_id: e.order_id,
    symbol: e.symbol,
    side: e.side,
    price: e.price,
    quantity: e.quantity,
    fee: e.fee,
    ts: isoTime(e.ts),
    realized_pnl: realizedPnl,
  };
  if (e.fee_currency) row.fee_currency = e.fee_currency;
  if (e.liquidity) row.liquidity = e.liquidity;
  if (strategy !== NO_STRATEGY) row.strategy = strategy;
  return row;
}

/** The row of a round trip that `e` ended. */
export function roundTripRow(
  engine: string,
  e: FillEvent,
  strategy: string,
  trip: RoundTripEnd,
  outcome: RoundTripRow['outcome'],
): RoundTripRow {
  return {
    engine,
    symbol: e.symbol,
    strategy,
    direction: trip.direction,
    opened_at: isoTime(trip.openedAt === 0 ? e.ts : trip.openedAt),
    closed_at: isoTime(e.ts),
    quantity: trip.quantity.toNumber(),
    entry_price: trip.entryPrice.toNumber(),
    exit_price: trip.exitPrice.toNumber(),
    pnl: trip.value === null ? null : trip.value.toNumber(),
    fees: trip.feesValue === null ? null : trip.feesValue.toNumber(),
    pnl_quote: trip.pnl.toNumber(),
    fees_quote: trip.fees.toNumber(),
    outcome,
    close_fill_id: e.fill_id,
  };
}

export function alertRow(engine: string, e: AlertEvent): AlertRow {
  const row: AlertRow = {
    engine,
    key: e.id ?? `${e.name}@${e.ts}`,
    name: e.name,
    severity: e.severity,
    message: e.message,
    ts: isoTime(e.ts),
  };
  if (e.labels) row.labels = e.labels;
  return row;
}
