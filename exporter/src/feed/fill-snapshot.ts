/**
 * The `fills` snapshot when a trade history is kept: the last fills passing the filter, read
 * from the history store (which knows every fill, with its realized PnL), merged with what
 * the state holds in memory and what arrived while the read ran (the history is written a
 * little behind the state). Pure, apart from the read the caller hands in.
 */
import { rowKey, type FeedFilter } from '@tradewatch/feed-protocol';
import type { SqliteHistory } from '../history/sqlite';
import type { HistoryStore } from '../history/store';
import type { Change, FillRow } from '../state/changes';
import { RECENT_FILLS } from '../state/execution/fills';
import type { ReadGate } from '../history/read-gate';
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
  gate?: ReadGate,
): FillHistoryReader {
  const read: FillHistoryReader =
    'readNewestFills' in store
      ? (filter, limit) => store.readNewestFills(filter, limit, { until: Date.now() + timeoutMs })
      : postgresRead(store);
  if (!gate) return read;
  // The same bound as the history API: the feed (one client) waits for a slot within its timeout.
  return async (filter, limit) => {
    const release = await gate.acquire('feed', timeoutMs);
    if (!release) throw new Error('no history read slot within the snapshot timeout');
    try {
      return await read(filter, limit);
    } finally {
      release();
    }
  };
}

function postgresRead(store: Pick<HistoryStore, 'read'>): FillHistoryReader {
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

/** How long a filter's history read may serve later snapshots (ms), fills permitting (below). */
export const FILL_SNAPSHOT_CACHE_MS = 10_000;
const CACHE_ENTRIES = 1000;

/**
 * The history's fills per filter, read once and reused: viewers that subscribe and
 * unsubscribe again and again (or many at once with one filter) cost one read, not one each.
 * A cached read stays exact while fewer than RECENT_FILLS fills were applied since it began:
 * every fill newer than it is then among the fills the state keeps in memory per engine,
 * which the snapshot merges in (mergeFills). Past that, or after FILL_SNAPSHOT_CACHE_MS, the
 * history is read again. At most CACHE_ENTRIES filters are kept (the oldest go first).
 */
export class FillSnapshotCache {
  private applied = 0;
  private readonly entries = new Map<
    string,
    { rows: Promise<readonly FillRow[]>; appliedAt: number; at: number; limit: number }
  >();

  constructor(
    private readonly read: FillHistoryReader,
    private readonly ttlMs = FILL_SNAPSHOT_CACHE_MS,
  ) {}

  /** The state's change listener: counts the fills applied. */
  readonly observe = (changes: readonly Change[]): void => {
    for (const c of changes) if (c.channel === 'fills' && c.row) this.applied += 1;
  };

  readonly reader: FillHistoryReader = (filter, limit) => {
    const key = JSON.stringify([filter.engine ?? null, filter.strategy ?? null, filter.symbol ?? null]);
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.limit >= limit && now - hit.at < this.ttlMs && this.applied - hit.appliedAt < RECENT_FILLS)
      return hit.rows;
    const rows = this.read(filter, limit);
    const entry = { rows, appliedAt: this.applied, at: now, limit };
    this.entries.delete(key);
    this.entries.set(key, entry);
    // A failed read is not kept: the next snapshot tries again.
    rows.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > CACHE_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return rows;
  };
}
