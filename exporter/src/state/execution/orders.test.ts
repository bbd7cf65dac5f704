import { validateEvent } from '../../events/validate';
import type { TradingEvent } from '../../events/schema';
import type { Change } from '../changes';
import { Store } from '../store';
import { orderRow } from '../wire-rows';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const ev = (raw: Record<string, unknown>): TradingEvent => {
  const r = validateEvent({ engine: 'e1', ...raw }, 0);
  if (Array.isArray(r)) throw new Error(JSON.stringify(r));
  return r;
};
const order = (status: string, over: Record<string, unknown> = {}) =>
  ev({
    type: 'order',
    ts: T0,
    order_id: 'o-1',
    symbol: 'BTC/USD',
    side: 'buy',
    order_type: 'limit',
    status,
    quantity: 2,
    limit_price: 100,
    strategy: 's1',
    ...over,
  });
const newStore = () =>
  new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 30 * 86_400_000 } });

describe('orders: the active set is new + partially_filled', () => {
  it('a new order is active, counted as submitted once, and announced on the feed', () => {
    const store = newStore();
    const { changes } = store.apply([
      order('new'),
      order('partially_filled', { ts: T0 + 1000, filled_quantity: 1 }),
    ]);
    const s = store.engine('e1');
    expect([...s.execution.orders.active.keys()]).toEqual(['o-1']);
    const active = s.execution.orders.active.get('o-1');
    // As the feed writes it: created when first seen, whatever the later states.
    expect(active && orderRow(active)).toMatchObject({
      status: 'partially_filled',
      filled_quantity: 1,
      strategy: 's1',
      created_at: new Date(T0).toISOString(),
    });
    expect(s.execution.submitted.get({ strategy: 's1', symbol: 'BTC/USD', side: 'buy' })).toBe(1);
    expect(
      changes.filter((c) => c.channel === 'orders').map((c) => c.row && (c.row as { status: string }).status),
    ).toEqual(['new', 'partially_filled']);
  });

  it.each(['filled', 'canceled', 'rejected', 'expired'])(
    '%s closes the order: it leaves the set with its final state',
    (status) => {
      const store = newStore();
      store.apply([order('new')]);
      const { changes } = store.apply([
        order(status, { ts: T0 + 60_000, filled_quantity: status === 'filled' ? 2 : 0 }),
      ]);
      const s = store.engine('e1');
      expect(s.execution.orders.active.size).toBe(0);
      expect(s.execution.closed.get({ strategy: 's1', symbol: 'BTC/USD', status })).toBe(1);
      const removal = changes.find((c): c is Change<'orders'> => c.channel === 'orders');
      expect(removal).toMatchObject({ key: 'o-1', row: null, final: { status } });
      if (status === 'filled') {
        const [h] = [...s.execution.fillTime.values()];
        expect(h.dist.count).toBe(1);
        expect(h.dist.sum).toBe(60); // created at T0, filled 60 s later
      }
    },
  );

  it('a late earlier state does not reopen a closed order, nor roll back a newer one', () => {
    const store = newStore();
    store.apply([order('new', { ts: T0 }), order('canceled', { ts: T0 + 2000 })]);
    store.apply([order('partially_filled', { ts: T0 + 1000, filled_quantity: 1 })]);
    const s = store.engine('e1');
    expect(s.execution.orders.active.size).toBe(0);
    expect(s.execution.submitted.total()).toBe(1);
    expect(s.execution.closed.total()).toBe(1);

    store.apply([order('partially_filled', { order_id: 'o-2', ts: T0 + 5000, filled_quantity: 1 })]);
    store.apply([order('new', { order_id: 'o-2', ts: T0 + 4000 })]);
    expect(s.execution.orders.active.get('o-2')?.status).toBe('partially_filled');
  });

  it('a snapshot replaces the open orders: those absent leave the set', () => {
    const store = newStore();
    store.apply([order('new', { order_id: 'a' }), order('new', { order_id: 'b' })]);
    const { changes } = store.apply([
      ev({
        type: 'snapshot',
        ts: T0 + 1000,
        orders: [
          { order_id: 'b', symbol: 'BTC/USD', side: 'buy', order_type: 'limit', status: 'new', quantity: 2 },
          {
            order_id: 'c',
            symbol: 'ETH/USD',
            side: 'sell',
            order_type: 'market',
            status: 'new',
            quantity: 1,
          },
        ],
      }),
    ]);
    expect([...store.engine('e1').execution.orders.active.keys()].sort()).toEqual(['b', 'c']);
    expect(changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ channel: 'orders', key: 'a', row: null })]),
    );
  });

  it('a closed order that is then reported filled leaves the feed again with that state, never joining the active set', () => {
    // An engine snapshot that no longer lists `a` closes it; the engine then reports it filled.
    const store = newStore();
    store.apply([order('new', { order_id: 'a' })]);
    store.apply([ev({ type: 'snapshot', ts: T0 + 1000, orders: [] })]);
    const { changes } = store.apply([order('filled', { order_id: 'a', ts: T0 + 2000, filled_quantity: 2 })]);
    const orders = changes.filter((c) => c.channel === 'orders');
    expect(orders).toEqual([
      expect.objectContaining({ key: 'a', row: null, final: expect.objectContaining({ status: 'filled' }) }),
    ]);
    expect(store.engine('e1').execution.orders.active.size).toBe(0);
    // Closed once: the snapshot's close is the one counted.
    expect(
      store.engine('e1').execution.closed.get({ strategy: 's1', symbol: 'BTC/USD', status: 'filled' }),
    ).toBe(0);
  });

  it('keeps engines apart', () => {
    const store = newStore();
    store.apply([order('new'), ev({ ...order('new'), engine: 'e2' } as unknown as Record<string, unknown>)]);
    expect(store.engine('e1').execution.orders.active.size).toBe(1);
    expect(store.engine('e2').execution.orders.active.size).toBe(1);
  });
});

describe('risk, strategy, signals, health, alerts', () => {
  it('a halt flips the gauge and counts once per halt', () => {
    const store = newStore();
    store.apply([
      ev({
        type: 'risk',
        ts: T0,
        halted: true,
        halt_reason: 'drawdown',
        limits: { drawdown: { value: 0.11, limit: 0.1 } },
      }),
      ev({ type: 'risk', ts: T0 + 1, halted: true }),
      ev({ type: 'risk', ts: T0 + 2, halted: false }),
      ev({ type: 'risk', ts: T0 + 3, halted: true }),
    ]);
    const s = store.engine('e1');
    expect(s.risk.halted).toBe(true);
    expect(s.risk.haltsTotal).toBe(2);
    expect(s.risk.riskLimits.get('drawdown')).toEqual({ value: 0.11, limit: 0.1 });
  });

  it('counts a change of the running strategy as one transition, through a transitioning phase', () => {
    const store = newStore();
    store.apply([
      ev({ type: 'strategy', ts: T0, strategy: 'a', state: 'active' }),
      ev({
        type: 'strategy',
        ts: T0 + 1,
        strategy: 'a',
        state: 'transitioning',
        from_strategy: 'a',
        to_strategy: 'b',
      }),
      ev({
        type: 'strategy',
        ts: T0 + 2,
        strategy: 'b',
        state: 'active',
        from_strategy: 'a',
        to_strategy: 'b',
      }),
      ev({ type: 'strategy', ts: T0 + 3, strategy: 'b', state: 'active' }),
    ]);
    const s = store.engine('e1');
    expect(s.strategy.strategyTransitions).toBe(1);
    expect(s.strategy.activeStrategy()).toBe('b');
    expect(s.strategy.strategies.get('a')).toBe('inactive');
  });

  it('signals by decision; venue latency, errors and component status; engine alerts', () => {
    const store = newStore();
    store.apply([
      ev({
        type: 'signal',
        ts: T0,
        signal_id: '1',
        symbol: 'XRP/USD',
        side: 'buy',
        decision: 'proposed',
        strategy: 'a',
      }),
      ev({
        type: 'signal',
        ts: T0,
        signal_id: '1',
        symbol: 'XRP/USD',
        side: 'buy',
        decision: 'rejected',
        strategy: 'a',
      }),
      ev({ type: 'health', ts: T0, component: 'api', venue: 'kraken', latency_seconds: 0.3, status: 'ok' }),
      ev({
        type: 'health',
        ts: T0,
        component: 'api',
        venue: 'kraken',
        latency_seconds: 6,
        error: 'timeout',
        status: 'down',
      }),
      ev({ type: 'alert', ts: T0, name: 'x', severity: 'critical', message: 'boom' }),
    ]);
    const s = store.engine('e1');
    expect(s.strategy.signals.get({ strategy: 'a', decision: 'rejected' })).toBe(1);
    const [lat] = [...s.health.venueLatency.values()];
    expect(lat.labels).toEqual({ venue: 'kraken' });
    expect(lat.dist.count).toBe(2);
    expect(lat.dist.counts[lat.dist.buckets.indexOf(5)]).toBe(1); // 0.3 ≤ 5 s, 6 s is above
    expect(s.health.venueErrors.get({ venue: 'kraken' })).toBe(1);
    expect(s.health.components.get('api')).toBe('down');
    expect(s.health.engineAlerts.get({ severity: 'critical' })).toBe(1);
    expect(s.health.recentAlerts[0]).toMatchObject({ name: 'x', message: 'boom' });
  });
});
