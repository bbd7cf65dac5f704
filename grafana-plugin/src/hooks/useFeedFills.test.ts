import { act, renderHook } from '@testing-library/react';

import { fakeFactory, fill, manualFrames } from '../testUtils/fakeFeedClient';
import { useFeedFills, type UseFeedFillsParams } from './useFeedFills';

function setup(overrides: Partial<UseFeedFillsParams> = {}) {
  const factory = fakeFactory();
  const frames = manualFrames();
  const initialProps: UseFeedFillsParams = {
    url: 'ws://x/feed',
    token: 'tok',
    filter: { engine: 'e1' },
    limit: 100,
    createClient: factory,
    scheduler: frames,
    ...overrides,
  };
  const hook = renderHook((p: UseFeedFillsParams) => useFeedFills(p), { initialProps });
  return { factory, frames, hook, initialProps };
}

describe('useFeedFills', () => {
  it('subscribes to fills with the filter, and shows the snapshot and live fills newest first, once per frame', () => {
    const { factory, frames, hook } = setup();
    const client = factory.last();
    expect(client.options).toEqual({ url: 'ws://x/feed', token: 'tok' });
    expect(client.subscriptions).toEqual([expect.objectContaining({ channel: 'fills', filter: { engine: 'e1' } })]);
    act(() => {
      client.snapshotFills([fill({ fill_id: 'a' }), fill({ fill_id: 'b' })]);
      client.updateFills([fill({ fill_id: 'c', realized_pnl: -2 })]);
    });
    expect(hook.result.current.rows).toHaveLength(0);
    expect(hook.result.current.loaded).toBe(false);
    act(() => frames.flush());
    expect(hook.result.current.rows.map((r) => r.fill.fill_id)).toEqual(['c', 'b', 'a']);
    expect(hook.result.current.rows[0].fill.realized_pnl).toBe(-2);
    expect(hook.result.current.loaded).toBe(true);
  });

  it('closes its client on unmount and opens a new one, from an empty tape, when the filter changes', () => {
    const { factory, frames, hook, initialProps } = setup();
    const first = factory.last();
    act(() => first.snapshotFills([fill()]));
    act(() => frames.flush());
    expect(hook.result.current.rows).toHaveLength(1);
    hook.rerender({ ...initialProps, filter: { engine: 'e2' } });
    expect(first.closed).toBe(true);
    expect(factory.clients).toHaveLength(2);
    expect(factory.last().subscriptions[0].filter).toEqual({ engine: 'e2' });
    expect(hook.result.current.rows).toHaveLength(0);
    hook.unmount();
    expect(factory.last().closed).toBe(true);
  });

  it('without a URL it opens nothing and says closed', () => {
    const { factory, hook } = setup({ url: '' });
    expect(factory.clients).toHaveLength(0);
    expect(hook.result.current.state).toEqual({ status: 'closed' });
  });
});
