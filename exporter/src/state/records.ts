/**
 * The records the state keeps and hands out in its changes (changes.ts), built from an
 * engine's state; times stay epoch ms (the readers write them: wire-rows.ts). Nothing here
 * changes state: each function reads what it is given and returns a record or a change.
 */
import type { AlertEvent, FillEvent } from '../events/schema';
import type {
  AlertRecord,
  Change,
  FillRecord,
  PositionRecord,
  RoundTripRecord,
  StatusRecord,
} from './changes';
import type { Mark } from './market/slice';
import type { Position, RoundTripEnd } from './portfolio/positions';
import { NO_STRATEGY } from './common/symbols';

/** The record of a position, at its mark when there is one. */
export function positionRecord(
  engine: string,
  p: Position,
  mark: Mark | undefined,
  ts: number,
): PositionRecord {
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
    updatedMs: ts,
  };
}

/** The key of a position's changes. */
export function positionKey(engine: string, symbol: string): string {
  return `${engine}:${symbol}`;
}

/** A position's upsert, or its removal once flat. `key`: positionKey(engine, symbol), when kept. */
export function positionChange(
  engine: string,
  symbol: string,
  p: Position | undefined,
  mark: Mark | undefined,
  ts: number,
  key = positionKey(engine, symbol),
): Change {
  if (!p || p.isFlat)
    return {
      channel: 'positions',
      key,
      row: null,
      final: p ? positionRecord(engine, p, mark, ts) : undefined,
    };
  return { channel: 'positions', key, row: positionRecord(engine, p, mark, ts) };
}

/** What an engine's status record is read from (its slices: health, risk, strategy, execution). */
export interface StatusSource {
  engine: string;
  lastEventTs: number | null;
  halted: boolean;
  haltReason: string | undefined;
  activeStrategy: string | null;
  components: ReadonlyMap<string, StatusRecord['components'][string]>;
  activeOrders: number;
}

export function statusRecord(s: StatusSource): StatusRecord {
  const row: StatusRecord = {
    engine: s.engine,
    lastEventMs: s.lastEventTs,
    halted: s.halted,
    active_strategy: s.activeStrategy,
    components: Object.fromEntries(s.components),
    active_orders: s.activeOrders,
  };
  if (s.haltReason) row.halt_reason = s.haltReason;
  return row;
}

export function statusChange(s: StatusSource): Change {
  return { channel: 'status', key: s.engine, row: statusRecord(s) };
}

/** The record of a fill, with the PnL it realized in the valuation currency. */
export function fillRecord(engine: string, e: FillEvent, strategy: string, realizedPnl: number): FillRecord {
  const row: FillRecord = {
    engine,
    fill_id: e.fill_id,
    order_id: e.order_id,
    symbol: e.symbol,
    side: e.side,
    price: e.price,
    quantity: e.quantity,
    fee: e.fee,
    tsMs: e.ts,
    realized_pnl: realizedPnl,
  };
  if (e.fee_currency) row.fee_currency = e.fee_currency;
  if (e.liquidity) row.liquidity = e.liquidity;
  if (strategy !== NO_STRATEGY) row.strategy = strategy;
  return row;
}

/** The record of a round trip that `e` ended. */
export function roundTripRecord(
  engine: string,
  e: FillEvent,
  strategy: string,
  trip: RoundTripEnd,
  outcome: RoundTripRecord['outcome'],
): RoundTripRecord {
  return {
    engine,
    symbol: e.symbol,
    strategy,
    direction: trip.direction,
    openedMs: trip.openedAt === 0 ? e.ts : trip.openedAt,
    closedMs: e.ts,
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

export function alertRecord(engine: string, e: AlertEvent): AlertRecord {
  const row: AlertRecord = {
    engine,
    key: e.id ?? `${e.name}@${e.ts}`,
    name: e.name,
    severity: e.severity,
    message: e.message,
    tsMs: e.ts,
  };
  if (e.labels) row.labels = e.labels;
  return row;
}
