import type { ConnectionState } from '@tradewatch/feed-client';

import { feedPlaceholder, type FeedPlaceholderInput } from './feedPlaceholder';

const url = 'wss://x:9478/feed';
const refused: ConnectionState = {
  status: 'reconnecting',
  attempt: 3,
  staleSince: 1_000,
  problem: { kind: 'unauthorized', message: 'cannot reach the feed: 401', status: 401 },
};
const input = (p: Partial<FeedPlaceholderInput>): FeedPlaceholderInput => ({
  url,
  rawUrl: url,
  state: { status: 'live', since: 1_000 },
  loaded: true,
  total: 0,
  scoped: false,
  what: 'fills',
  ...p,
});

describe('feedPlaceholder', () => {
  it('names a bad URL first, whatever else is known', () => {
    expect(feedPlaceholder(input({ url: '', rawUrl: 'http://x', state: refused, total: 5 }))).toEqual({
      kind: 'unconfigured',
      rawUrl: 'http://x',
      hint: undefined,
    });
  });

  it('shows the problem rather than "connecting" while a refused feed is retried with nothing to show', () => {
    expect(feedPlaceholder(input({ state: refused, loaded: false }))).toMatchObject({ kind: 'error', url });
    expect(feedPlaceholder(input({ loaded: false, state: { status: 'connecting', attempt: 0 } }))).toEqual({
      kind: 'connecting',
      url,
    });
  });

  it('keeps the rows it holds on screen through a reconnect (the stale banner tells it)', () => {
    expect(feedPlaceholder(input({ state: refused, total: 2 }))).toBeNull();
  });

  it('says which panel is empty and whether its scope is why', () => {
    expect(feedPlaceholder(input({ scoped: true, what: 'orders' }))).toEqual({
      kind: 'empty',
      filtered: false,
      scoped: true,
      what: 'orders',
    });
  });
});
