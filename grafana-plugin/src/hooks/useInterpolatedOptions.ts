import { useMemo } from 'react';
import type { FeedFilter } from '@tradewatch/feed-client';

import type { BlotterOptions, ResolvedFilter } from '../types';
import { resolveFeedUrl, resolveFilter, toFeedFilter, type ReplaceVariables } from '../utils/variables';

export interface InterpolatedOptions {
  /** '' when the URL is missing or not ws(s)://. */
  url: string;
  rawUrl: string;
  token: string;
  /** What the server filters (single values). */
  feedFilter: FeedFilter;
  /** Every value list, for the client-side part of multi-value variables. */
  resolved: ResolvedFilter;
}

/**
 * The feed URL and the subscription filters with dashboard variables ($engine, $strategy,
 * $symbol, …) interpolated. The results keep their identity while their values do not change,
 * so the socket is reopened only when something real changed.
 */
export function useInterpolatedOptions(
  options: Pick<BlotterOptions, 'feedUrl' | 'viewerToken' | 'engineFilter' | 'strategyFilter' | 'symbolFilter'>,
  replaceVariables: ReplaceVariables
): InterpolatedOptions {
  const rawUrl = replaceVariables(options.feedUrl ?? '').trim();
  const url = resolveFeedUrl(options.feedUrl, replaceVariables);
  const resolved = resolveFilter(
    { engine: options.engineFilter, strategy: options.strategyFilter, symbol: options.symbolFilter },
    replaceVariables
  );
  const key = JSON.stringify(resolved);
  const token = (options.viewerToken ?? '').trim();
  return useMemo(() => {
    const r: ResolvedFilter = JSON.parse(key);
    return { url, rawUrl, token, resolved: r, feedFilter: toFeedFilter(r) };
  }, [url, rawUrl, token, key]);
}
