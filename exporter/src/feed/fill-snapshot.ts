/**
 * The `fills` snapshot when a trade history is kept: the last fills passing the filter, read
 * from the history store (which knows every fill, with its realized PnL), merged with what
 * the state holds in memory and what arrived while the read ran (the history is written a
 * little behind the state). Pure, apart from the read the caller hands in.
 */
import type { FeedFilter } from '@tradewatch/feed-client';
import type { SqliteHistory } from '../history/sqlite';
import type { HistoryStore } from '../history/store';
import type { FillRow } from '../state/changes';
import { rowKey } from './keys';
import { matches } from './subscriptions';

/** Rows a `fills` snapshot holds at most when it is read from the history. */
export const FILL_SNAPSHOT_ROWS = 500;
/** How long a snapshot waits for the history before it is built from memory alone (ms). */
export const FILL_SNAPSHOT_TIMEOUT_MS = 2000;

/** Reads the newest `limit` fills passing `filter`, newest first (the history store's read). */
export type FillHistoryReader = (filter: FeedFilter, limit: number) => Promise<readonly FillRow[]>;

/**
 * The reader over a history store: PostgreSQL's `read` (the server does the work, the event
 * loop only waits); SQLite's sliced walk (its driver is synchronous: a long scan would hold
 * the event loop), given up at the snapshot's timeout.
 */
export function fillHistoryReader(
  store: Pick<HistoryStore, 'read'> | Pick<SqliteHistory, 'readNewestFills'>,
  timeoutMs = FILL_SNAPSHOT_TIMEOUT_MS,
): FillHistoryReader {
  if ('readNewestFills' in store)
    return (filter, limit) => store.readNewestFills(filter, limit, { until: Date.now() + timeoutMs });
  return async (filter, limit) =>
    (
      await store.read('fills', {
        ...(filter.engine !== undefined ? { engine: filter.engine } : {}),
        ...(filter.strategy !== undefined ? { strategy: filter.strategy } : {}),
        ...(filter.symbol !== undefined ? { symbol: filter.symbol } : {}),
        limit,
        order: 'desc',
      })
    ).rows;
}

/**
 * The snapshot's rows, oldest first: the union of every source (each row once, by its
 * identity; a later source's copy wins), cut to the newest `limit` passing the filter.
 */
export function mergeFills(filter: FeedFilter, limit: number, ...sources: Iterable<unknown>[]): FillRow[] {
  const byKey = new Map<string, { row: FillRow; t: number; n: number }>();
  let n = 0;
  for (const source of sources)
    for (const row of source) {
      if (!matches(filter, row)) continue;
      const fill = row as FillRow;
      byKey.set(rowKey('fills', fill), { row: fill, t: Date.parse(fill.ts), n: n++ });
    }
  const all = [...byKey.values()].sort((a, b) => a.t - b.t || a.n - b.n);
  return all.slice(Math.max(0, all.length - limit)).map((e) => e.row);
}
