import type { InterpolateFunction } from '@grafana/data';
import type { FeedFilter } from '@tradewatch/feed-client';

import type { ResolvedFilter } from '../types';

/** Grafana's `replaceVariables` (PanelProps), or the identity outside Grafana. */
export type ReplaceVariables = InterpolateFunction;

const ALL_VALUES = new Set(['', '*', 'all', '$__all', '.*']);

/**
 * One filter option after interpolation: undefined means "no filter".
 * An unknown variable stays as `$name` after interpolation: it means no filter too, so the
 * default `$engine` works on dashboards without that variable. A multi-value variable gives
 * the list of its values (interpolated with the csv format).
 */
export function resolveFilterValue(raw: string | undefined, replace: ReplaceVariables): string[] | undefined {
  if (!raw || !raw.trim()) {
    return undefined;
  }
  const value = replace(raw, undefined, 'csv').trim();
  if (ALL_VALUES.has(value.toLowerCase())) {
    return undefined;
  }
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('$'));
  if (parts.length === 0 || parts.some((p) => ALL_VALUES.has(p.toLowerCase()))) {
    return undefined;
  }
  return Array.from(new Set(parts));
}

export function resolveFilter(
  raw: { engine?: string; strategy?: string; symbol?: string },
  replace: ReplaceVariables
): ResolvedFilter {
  const out: ResolvedFilter = {};
  const engine = resolveFilterValue(raw.engine, replace);
  const strategy = resolveFilterValue(raw.strategy, replace);
  const symbol = resolveFilterValue(raw.symbol, replace);
  if (engine) {
    out.engine = engine;
  }
  if (strategy) {
    out.strategy = strategy;
  }
  if (symbol) {
    out.symbol = symbol;
  }
  return out;
}

/**
 * What the server can filter: single values only (the protocol takes one value per field).
 * Multi-value fields are left to the client side (see matchesResolved).
 */
export function toFeedFilter(resolved: ResolvedFilter): FeedFilter {
  const out: FeedFilter = {};
  if (resolved.engine?.length === 1) {
    out.engine = resolved.engine[0];
  }
  if (resolved.strategy?.length === 1) {
    out.strategy = resolved.strategy[0];
  }
  if (resolved.symbol?.length === 1) {
    out.symbol = resolved.symbol[0];
  }
  return out;
}

/** The feed URL with variables interpolated; '' when it is not a ws(s):// URL. */
export function resolveFeedUrl(raw: string | undefined, replace: ReplaceVariables): string {
  const url = replace(raw ?? '').trim();
  return /^wss?:\/\/[^\s]+$/i.test(url) ? url : '';
}
