/**
 * What a subscription sees: which rows of a channel pass its filter, and the snapshot of
 * its channel read from the store. Pure: no sockets.
 */
import { APPEND_ONLY_CHANNELS, CHANNELS, type Channel, type FeedFilter } from '@tradewatch/feed-protocol';
import type { Store } from '../state/store';
import { alertRow, fillRow, orderRow, positionRow, statusRow } from '../state/wire-rows';

type RowLike = { engine?: unknown; strategy?: unknown; symbol?: unknown };

/** True when a row passes the filter. A filter field the row does not have never matches. */
export function matches(filter: FeedFilter, row: unknown): boolean {
  const r = row as RowLike;
  if (filter.engine !== undefined && r.engine !== filter.engine) return false;
  if (filter.strategy !== undefined && r.strategy !== filter.strategy) return false;
  if (filter.symbol !== undefined && r.symbol !== filter.symbol) return false;
  return true;
}

/** The filter fields each channel's rows carry; the others are dropped from a filter. */
const FILTERABLE: Record<Channel, readonly (keyof FeedFilter)[]> = {
  orders: ['engine', 'strategy', 'symbol'],
  fills: ['engine', 'strategy', 'symbol'],
  positions: ['engine', 'symbol'],
  alerts: ['engine'],
  status: ['engine'],
};

/** The filter as it applies to a channel (a symbol filter means nothing to `status`). */
export function channelFilter(channel: Channel, filter: FeedFilter): FeedFilter {
  const out: FeedFilter = {};
  for (const field of FILTERABLE[channel]) if (filter[field] !== undefined) out[field] = filter[field];
  return out;
}

/** Channels whose rows form a set that changes (rows may leave); the others only grow. */
export const STATE_CHANNELS: ReadonlySet<Channel> = new Set(
  CHANNELS.filter((c) => !APPEND_ONLY_CHANNELS.has(c)),
);

/** The rows a new subscription starts from, read from the live state (its records, written as wire rows). */
export function snapshotRows(store: Store, channel: Channel, filter: FeedFilter): unknown[] {
  const rows: unknown[] = [];
  for (const [engine, state] of store.engines) {
    if (filter.engine !== undefined && filter.engine !== engine) continue;
    switch (channel) {
      case 'orders':
        for (const o of state.execution.orders.active.values())
          if (matches(filter, o)) rows.push(orderRow(o));
        break;
      case 'fills':
        for (const f of state.execution.recentFills) if (matches(filter, f)) rows.push(fillRow(f));
        break;
      case 'positions': {
        const ts = state.health.lastEventTs ?? 0;
        for (const [symbol, p] of state.portfolio.positions) {
          if (p.isFlat) continue;
          const record = state.positionRecord(symbol, ts);
          if (matches(filter, record)) rows.push(positionRow(record));
        }
        break;
      }
      case 'alerts':
        for (const a of state.health.recentAlerts) if (matches(filter, a)) rows.push(alertRow(a));
        break;
      case 'status': {
        const record = state.statusRecord();
        if (matches(filter, record)) rows.push(statusRow(record));
        break;
      }
    }
  }
  return rows;
}
