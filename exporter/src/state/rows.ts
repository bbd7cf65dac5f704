/**
 * The rows the feed and the read API serve, built from an engine's state. Nothing here
 * changes state: each function reads what it is given and returns a row or a change.
 */
import type { AlertEvent, FillEvent } from '../events/schema';
import type { AlertRow, Change, FillRow, PositionRow, RoundTripRow, StatusRow } from './changes';
import { isoTime } from './common/iso-time';
import type { Mark } from './market/slice';
import type { Position, RoundTripEnd } from './portfolio/positions';
import { NO_STRATEGY } from './common/symbols';

/** The row of a position, at its mark when there is one. */
export function positionRow(engine: string, p: Position, mark: Mark | undefined, ts: number): PositionRow {
  const qty = p.quantityNumber;
  return {
    engine,
    symbol: p.symbol,
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
export function positionChange(
  engine: string,
  symbol: string,
  p: Position | undefined,
  mark: Mark | undefined,
  ts: number,
): Change {
  const key = `${engine}:${symbol}`;
  if (!p || p.isFlat)
    return { channel: 'positions', key, row: null, final: p ? positionRow(engine, p, mark, ts) : undefined };
  return { channel: 'positions', key, row: positionRow(engine, p, mark, ts) };
}

/** What an engine's status row is read from (its slices: health, risk, strategy, execution). */
export interface StatusSource {
  engine: string;
  lastEventTs: number | null;
  halted: boolean;
  haltReason: string | undefined;
  activeStrategy: string | null;
  components: ReadonlyMap<string, StatusRow['components'][string]>;
  activeOrders: number;
}

export function statusRow(s: StatusSource): StatusRow {
  const row: StatusRow = {
    engine: s.engine,
    last_event_at: s.lastEventTs === null ? null : isoTime(s.lastEventTs),
    halted: s.halted,
    active_strategy: s.activeStrategy,
    components: Object.fromEntries(s.components),
    active_orders: s.activeOrders,
  };
  if (s.haltReason) row.halt_reason = s.haltReason;
  return row;
}

export function statusChange(s: StatusSource): Change {
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
