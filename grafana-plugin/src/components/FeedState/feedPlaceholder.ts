import type { ConnectionState } from '@tradewatch/feed-client';

import type { FeedStateKind } from './FeedState';

export interface FeedPlaceholderInput {
  /** The interpolated feed URL ('' when unusable) and what the user typed. */
  url: string;
  rawUrl: string;
  unconfiguredHint?: string;
  state: ConnectionState;
  /** True once a snapshot arrived on the current connection. */
  loaded: boolean;
  /** Rows the panel holds, before its own filters. */
  total: number;
  /** True when the subscription is narrowed to an engine, strategy or symbol. */
  scoped: boolean;
  what: 'orders' | 'fills';
}

/**
 * What a feed panel shows instead of its grid, checked in the order a user acts on it: no
 * URL, then a problem, then still connecting, then nothing there yet. Rows already held win
 * over a problem or a reconnect (the stale banner tells those). null: show the grid.
 */
export function feedPlaceholder(p: FeedPlaceholderInput): FeedStateKind | null {
  if (!p.url) {
    return { kind: 'unconfigured', rawUrl: p.rawUrl, hint: p.unconfiguredHint };
  }
  if (p.total > 0) {
    return null;
  }
  if (p.state.status === 'reconnecting' && p.state.problem) {
    return { kind: 'error', problem: p.state.problem, url: p.url };
  }
  if (!p.loaded) {
    return { kind: 'connecting', url: p.url };
  }
  return { kind: 'empty', filtered: false, scoped: p.scoped, what: p.what };
}
