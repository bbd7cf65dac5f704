import { rowKey, type ChannelView, type OrderRow } from '@tradewatch/feed-client';

import { order } from '../testUtils/fakeFeedClient';
import { OrderStore } from './orderStore';

const snapshot = (rows: OrderRow[]): ChannelView<OrderRow> => ({
  channel: 'orders',
  rows: new Map(rows.map((r) => [rowKey('orders', r), r])),
  upserts: rows,
  removed: [],
  fromSnapshot: true,
  seq: 1,
});
/** The key of order `id` of engine e1 (the default of `order()`), as the feed client keys it. */
const k = (id: string, engine = 'e1') => rowKey('orders', { engine, order_id: id });
const gone = (id: string, finalRow?: OrderRow) => {
  const identity = { engine: finalRow?.engine ?? 'e1', order_id: id };
  return finalRow
    ? { key: rowKey('orders', identity), identity, finalRow }
    : { key: rowKey('orders', identity), identity };
};
const update = (upserts: OrderRow[], removed: ChannelView<OrderRow>['removed'] = []): ChannelView<OrderRow> => ({
  channel: 'orders',
  rows: new Map(),
  upserts,
  removed,
  fromSnapshot: false,
  seq: 2,
});

describe('OrderStore', () => {
  it('replaces on snapshot without flashing, and flashes upserts', () => {
    const s = new OrderStore(10_000);
    const a = order({ order_id: 'a' });
    s.apply(snapshot([a, order({ order_id: 'b' })]), 1000);
    expect(s.rows().map((r) => [r.key, r.changedAt])).toEqual([
      [k('a'), undefined],
      [k('b'), undefined],
    ]);
    s.apply(update([{ ...a, filled_quantity: 10, status: 'partially_filled' }]), 2000);
    expect(s.rows().find((r) => r.key === k('a'))).toMatchObject({ changedAt: 2000, order: { filled_quantity: 10 } });
  });

  it('keeps closed orders with their final status for the retention, then drops them', () => {
    const s = new OrderStore(5000);
    const a = order({ order_id: 'a' });
    s.apply(snapshot([a]), 0);
    s.apply(update([], [gone('a', { ...a, status: 'canceled' })]), 1000);
    expect(s.activeCount).toBe(0);
    expect(s.rows()).toEqual([
      expect.objectContaining({ key: k('a'), closedAt: 1000, order: expect.objectContaining({ status: 'canceled' }) }),
    ]);
    expect(s.prune(5999)).toBe(false);
    expect(s.prune(6000)).toBe(true);
    expect(s.rows()).toEqual([]);
  });

  it('keeps the last known state when the server sends no final row; retention 0 drops at once', () => {
    const s = new OrderStore(5000);
    s.apply(snapshot([order({ order_id: 'a', status: 'partially_filled' })]), 0);
    s.apply(update([], [gone('a')]), 10);
    expect(s.rows()[0]).toMatchObject({ closedAt: 10, order: { status: 'partially_filled' } });
    s.setRetention(0);
    s.prune(20);
    expect(s.rows()).toEqual([]);
    s.apply(snapshot([order({ order_id: 'b' })]), 30);
    s.apply(update([], [gone('b')]), 40);
    expect(s.rows()).toEqual([]);
  });

  it('revives a closed order that becomes active again, and a resnapshot flashes only real changes', () => {
    const s = new OrderStore(5000);
    const a = order({ order_id: 'a' });
    const b = order({ order_id: 'b' });
    s.apply(snapshot([a, b]), 0);
    s.apply(update([], [gone('a', { ...a, status: 'expired' })]), 10);
    s.apply(update([a]), 20);
    expect(s.closedCount).toBe(0);
    s.apply(snapshot([a, { ...b, filled_quantity: 1, updated_at: 'later' }]), 30);
    const byKey = new Map(s.rows().map((r) => [r.key, r]));
    expect(byKey.get(k('a'))?.changedAt).toBe(20);
    expect(byKey.get(k('b'))?.changedAt).toBe(30);
  });

  it('keys rows by (engine, order_id): one engine closing o-1 leaves the other engine o-1 active', () => {
    const s = new OrderStore(5000);
    const a = order({ engine: 'a', order_id: 'o-1' });
    const b = order({ engine: 'b', order_id: 'o-1' });
    s.apply(snapshot([a, b]), 0);
    s.apply(update([{ ...b, filled_quantity: 5, status: 'partially_filled' }]), 5);
    expect(s.activeCount).toBe(2);
    s.apply(update([], [gone('o-1', { ...a, status: 'canceled' })]), 10);
    expect(s.activeCount).toBe(1);
    expect(s.rows().map((r) => [r.order.engine, r.order.status, r.closedAt])).toEqual([
      ['b', 'partially_filled', undefined],
      ['a', 'canceled', 10],
    ]);
  });

  it('bumps its version and caches rows between changes', () => {
    const s = new OrderStore(1000);
    const v = s.version;
    s.apply(snapshot([order()]), 0);
    expect(s.version).toBeGreaterThan(v);
    expect(s.rows()).toBe(s.rows());
  });
});
