import { act, renderHook } from '@testing-library/react';
import { rowKey } from '@tradewatch/feed-client';

import { fakeFactory, manualFrames, order } from '../testUtils/fakeFeedClient';
import { useFeedOrders, type UseFeedOrdersParams } from './useFeedOrders';

function setup(overrides: Partial<UseFeedOrdersParams> = {}) {
  const factory = fakeFactory();
  const frames = manualFrames();
  const initialProps: UseFeedOrdersParams = {
    url: 'ws://x/feed',
    token: 'tok',
    filter: { engine: 'e1' },
    retentionMs: 5000,
    createClient: factory,
    scheduler: frames,
    ...overrides,
  };
  const hook = renderHook((p: UseFeedOrdersParams) => useFeedOrders(p), { initialProps });
  return { factory, frames, hook, initialProps };
}

describe('useFeedOrders', () => {
  it('opens one client with the URL, token and filter and subscribes to orders', () => {
    const { factory } = setup();
    expect(factory.clients).toHaveLength(1);
    expect(factory.last().options).toEqual({ url: 'ws://x/feed', token: 'tok' });
    expect(factory.last().subscriptions).toEqual([
      expect.objectContaining({ channel: 'orders', filter: { engine: 'e1' } }),
    ]);
  });

  it('applies every view of a frame at once, on the frame', () => {
    const { factory, frames, hook } = setup();
    const client = factory.last();
    act(() => {
      client.snapshot([order({ order_id: 'a' })]);
      client.update([order({ order_id: 'b' })]);
      client.update([order({ order_id: 'c' })]);
    });
    expect(hook.result.current.rows).toHaveLength(0);
    expect(frames.pending).toBe(1);
    const before = hook.result.current.version;
    act(() => frames.flush());
    expect(hook.result.current.rows.map((r) => r.order.order_id).sort()).toEqual(['a', 'b', 'c']);
    expect(hook.result.current.loaded).toBe(true);
    expect(hook.result.current.version).toBeGreaterThan(before);
  });

  it('reports connection states as the client reports them', () => {
    const { factory, hook } = setup();
    const client = factory.last();
    expect(hook.result.current.state).toEqual({ status: 'connecting', attempt: 0 });
    act(() => client.setState({ status: 'live', since: 1 }));
    expect(hook.result.current.state).toEqual({ status: 'live', since: 1 });
    const problem = {
      kind: 'unauthorized' as const,
      message: 'cannot reach the feed at ws://x/feed: 401, check the viewer token',
      status: 401,
    };
    act(() => client.setState({ status: 'reconnecting', attempt: 1, staleSince: 5, problem }));
    expect(hook.result.current.state).toMatchObject({ status: 'reconnecting', staleSince: 5, problem });
  });

  it('closes the socket on unmount and drops a pending frame', () => {
    const { factory, frames, hook } = setup();
    act(() => factory.last().snapshot([order()]));
    hook.unmount();
    expect(factory.last().closed).toBe(true);
    expect(factory.last().subscriptions).toHaveLength(0);
    expect(frames.pending).toBe(0);
  });

  it('reopens the socket when the URL, token or filter change, not on an equal filter', () => {
    const { factory, frames, hook, initialProps } = setup();
    act(() => factory.last().snapshot([order({ order_id: 'a' })]));
    act(() => frames.flush());
    hook.rerender({ ...initialProps, filter: { engine: 'e1' } });
    expect(factory.clients).toHaveLength(1);
    hook.rerender({ ...initialProps, filter: { engine: 'e2' } });
    expect(factory.clients).toHaveLength(2);
    expect(factory.clients[0].closed).toBe(true);
    expect(factory.last().subscriptions[0].filter).toEqual({ engine: 'e2' });
    expect(hook.result.current.rows).toHaveLength(0);
    hook.rerender({ ...initialProps, filter: { engine: 'e2' }, token: 'other' });
    expect(factory.clients).toHaveLength(3);
    expect(factory.last().options.token).toBe('other');
  });

  it('keeps one row per (engine, order_id): closing engine a o-1 leaves engine b o-1', () => {
    const { factory, frames, hook } = setup({ filter: {} });
    const client = factory.last();
    const a = order({ engine: 'a', order_id: 'o-1' });
    const b = order({ engine: 'b', order_id: 'o-1' });
    act(() => client.snapshot([a, b]));
    act(() => frames.flush());
    expect(hook.result.current.rows).toHaveLength(2);
    act(() => client.update([{ ...b, status: 'partially_filled', filled_quantity: 1 }]));
    act(() => client.update([], [{ key: 'o-1', engine: 'a', finalRow: { ...a, status: 'canceled' } }]));
    act(() => frames.flush());
    const rows = hook.result.current.rows.map((r) => [r.order.engine, r.order.status, r.closedAt === undefined]);
    expect(rows).toEqual([
      ['b', 'partially_filled', true],
      ['a', 'canceled', false],
    ]);
  });

  it('opens nothing without a URL', () => {
    const { factory, hook } = setup({ url: '' });
    expect(factory.clients).toHaveLength(0);
    expect(hook.result.current.state).toEqual({ status: 'closed' });
  });

  it('keeps closed orders for the retention time, then prunes them', () => {
    jest.useFakeTimers();
    try {
      const { factory, frames, hook } = setup({ retentionMs: 3000, pruneIntervalMs: 500 });
      const client = factory.last();
      const a = order({ order_id: 'a' });
      act(() => client.snapshot([a]));
      act(() => frames.flush());
      act(() => client.update([], [{ key: 'a', finalRow: { ...a, status: 'filled', filled_quantity: a.quantity } }]));
      act(() => frames.flush());
      expect(hook.result.current.rows).toEqual([
        expect.objectContaining({
          key: rowKey('orders', a),
          closedAt: expect.any(Number),
          order: expect.objectContaining({ status: 'filled' }),
        }),
      ]);
      act(() => jest.advanceTimersByTime(2500));
      expect(hook.result.current.rows).toHaveLength(1);
      act(() => jest.advanceTimersByTime(1000));
      expect(hook.result.current.rows).toHaveLength(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
