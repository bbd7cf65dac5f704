/**
 * Orders: an `order` event replaces the order's state; the orders of an engine `snapshot`
 * resync the open orders to the engine's view. `status` builds the engine's status change
 * (it reads other slices, so the caller gives it).
 */
import { ACTIVE_STATUSES, type OrderEvent, type SnapshotEvent } from '../../events/schema';
import type { Change } from '../changes';
import type { MarketView } from '../market/slice';
import { NO_STRATEGY } from '../common/symbols';
import type { OrderRecord } from './orders';
import type { ExecutionSlice } from './slice';

export type StatusChange = () => Change;

/** `market`: read for the order's arrival price (execution quality). */
export function applyOrder(
  x: ExecutionSlice,
  market: MarketView,
  engine: string,
  e: OrderEvent,
  changes: Change[],
  status: StatusChange,
): void {
  const t = x.orders.apply(engine, e, e.ts);
  if (!t) return;
  const order = t.record;
  const strategy = order.strategy ?? NO_STRATEGY;
  if (t.isNew) x.submitted.inc({ strategy, symbol: order.symbol, side: order.side });
  x.quality.onOrder(order, t.isNew, t.closedNow, market);
  if (t.closedNow) {
    x.closed.inc({ strategy, symbol: order.symbol, status: order.status });
    if (order.status === 'filled') {
      const seconds = (e.ts - order.createdMs) / 1000;
      if (seconds >= 0) x.fillTime.observe({ symbol: order.symbol }, seconds);
    }
  }
  if (ACTIVE_STATUSES.has(order.status)) changes.push({ channel: 'orders', key: order.order_id, row: order });
  // A terminal state leaves the feed's set of active orders, also when the order had left it
  // already (closed by an engine snapshot, then reported filled): the final state corrects it.
  else changes.push({ channel: 'orders', key: order.order_id, row: null, final: order });
  if (t.isNew || t.closedNow) changes.push(status());
}

/** The orders of an engine snapshot: each listed order applied, every other active one closed. */
export function resyncOrders(
  x: ExecutionSlice,
  market: MarketView,
  engine: string,
  e: SnapshotEvent,
  changes: Change[],
  status: StatusChange,
): void {
  const seen = new Set<string>();
  for (const o of e.orders) {
    seen.add(o.order_id);
    applyOrder(x, market, engine, { ...o, type: 'order', ts: e.ts, engine }, changes, status);
  }
  for (const [id, order] of [...x.orders.active]) {
    if (seen.has(id)) continue;
    // Absent from the engine's own view: it left the active set, whatever happened to it.
    x.orders.active.delete(id);
    const final: OrderRecord = { ...order, reason: 'absent from engine snapshot', updatedMs: e.ts };
    x.orders.recentlyClosed.set(id, final);
    changes.push({ channel: 'orders', key: id, row: null, final });
  }
}
