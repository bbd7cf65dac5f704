/**
 * Orders and engine snapshots: an `order` event replaces the order's state; a `snapshot`
 * resyncs the open orders (and positions and balances where given) to the engine's view.
 */
import type { OrderEvent, SnapshotEvent } from '../../events/schema';
import type { Change } from '../changes';
import type { EngineState } from '../engine';
import { isoTime } from '../common/iso-time';
import { replaceBalances } from '../portfolio/ledger';
import type { OrderRow } from './orders';
import { positionChange, statusChange } from '../rows';
import { NO_STRATEGY } from '../common/symbols';

export function applyOrder(s: EngineState, e: OrderEvent, changes: Change[]): void {
  const t = s.orders.apply(s.engine, e, e.ts);
  if (!t) return;
  const strategy = t.row.strategy ?? NO_STRATEGY;
  if (t.isNew) s.submitted.inc({ strategy, symbol: t.row.symbol, side: t.row.side });
  s.execution.onOrder(t.row, t.createdMs, t.isNew, t.closedNow);
  if (t.closedNow) {
    s.closed.inc({ strategy, symbol: t.row.symbol, status: t.row.status });
    if (t.row.status === 'filled') {
      const seconds = (e.ts - t.createdMs) / 1000;
      if (seconds >= 0) s.fillTime.observe({ symbol: t.row.symbol }, seconds);
    }
    changes.push({ channel: 'orders', key: t.row.order_id, row: null, final: t.row });
  } else {
    changes.push({ channel: 'orders', key: t.row.order_id, row: t.row });
  }
  if (t.isNew || t.closedNow) changes.push(statusChange(s));
}

export function applySnapshot(s: EngineState, e: SnapshotEvent, changes: Change[]): void {
  const seen = new Set<string>();
  for (const o of e.orders) {
    seen.add(o.order_id);
    applyOrder(s, { ...o, type: 'order', ts: e.ts, engine: s.engine }, changes);
  }
  for (const [id, row] of [...s.orders.active]) {
    if (seen.has(id)) continue;
    // Absent from the engine's own view: it left the active set, whatever happened to it.
    s.orders.active.delete(id);
    const final: OrderRow = { ...row, reason: 'absent from engine snapshot', updated_at: isoTime(e.ts) };
    s.orders.recentlyClosed.set(id, final);
    changes.push({ channel: 'orders', key: id, row: null, final });
  }
  if (e.positions) {
    const listed = new Set(e.positions.map((p) => p.symbol));
    for (const [symbol, position] of s.positions) if (!listed.has(symbol)) position.reset(0, 0);
    for (const [i, p] of e.positions.entries()) {
      const exact = (field: string) => e.exact?.[`positions.${i}.${field}`];
      s.positionOf(p.symbol).reset(exact('quantity') ?? p.quantity, exact('avg_price') ?? p.avg_price, e.ts);
    }
    for (const symbol of s.positions.keys()) changes.push(positionChange(s, symbol, e.ts));
  }
  if (e.balances) replaceBalances(s, e.balances, e.exact, e.ts);
  changes.push(statusChange(s));
}
