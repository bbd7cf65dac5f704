/**
 * The SQLite history's reads, on a database handle of their own: run in the read worker
 * (read-worker.ts), never on the exporter's event loop. Pure but for the handle.
 */
import type Database from 'better-sqlite3';
import { encodePage } from './encode';
import { selectSql, toPage, type Dialect } from './sql';
import type { HistoryQuery, Page } from './store';
import { TABLES, type Cell, type HistoryTable, type RowOfTable } from './tables';

export const dialect: Dialect = {
  param: () => '?',
  type: (t) => (t === 'text' ? 'TEXT' : t === 'real' ? 'REAL' : 'INTEGER'),
  table: (name) => `"${name}"`,
  index: (name) => `"${name}"`,
};

export interface FillFilter {
  engine?: string;
  strategy?: string;
  symbol?: string;
}

/** One read the worker runs. */
export type ReadJob =
  | { kind: 'page'; table: HistoryTable; query: HistoryQuery }
  | { kind: 'encoded'; table: HistoryTable; query: HistoryQuery; csv: boolean }
  | { kind: 'newest'; filter: FillFilter; limit: number; slice: number; until: number };

export function runRead(db: Database.Database, job: ReadJob): unknown {
  if (job.kind === 'page') return readPage(db, job.table, job.query);
  if (job.kind === 'encoded') return encodePage(job.table, readPage(db, job.table, job.query), job.csv);
  return readNewestFills(db, job.filter, job.limit, job.slice, job.until);
}

export function readPage<T extends HistoryTable>(
  db: Database.Database,
  table: T,
  query: HistoryQuery,
): Page<RowOfTable[T]> {
  const { sql, params } = selectSql(dialect, table, query, (ms) => ms);
  const cells = db.prepare(sql).all(...params) as Record<string, Cell>[];
  return toPage(table, cells, query.limit);
}

/**
 * The newest `limit` fills passing the filters, newest first, for the feed's `fills`
 * snapshot. A filter the indexes do not serve (a symbol or strategy with few fills) would scan
 * the whole table: so the time index is walked in slices of at most `slice` rows, and the
 * walk stops at `until` (epoch ms) with what it found.
 */
export function readNewestFills(
  db: Database.Database,
  filter: FillFilter,
  limit: number,
  slice: number,
  until: number,
): RowOfTable['fills'][] {
  const spec = TABLES.fills;
  const cols = spec.columns.map((c) => c.name).join(', ');
  const scope = filter.engine !== undefined ? 'engine = ? AND ' : '';
  const scopeParams = filter.engine !== undefined ? [filter.engine] : [];
  const order = 'ORDER BY ts DESC, engine DESC, fill_id DESC';
  const rest: string[] = [];
  const restParams: string[] = [];
  if (filter.strategy !== undefined) {
    rest.push('strategy = ?');
    restParams.push(filter.strategy);
  }
  if (filter.symbol !== undefined) {
    rest.push('symbol = ?');
    restParams.push(filter.symbol);
  }
  if (rest.length === 0) {
    // The indexes serve it (time, or engine and time): one short read.
    const cells = db
      .prepare(
        `SELECT ${cols} FROM "fills"${filter.engine !== undefined ? ' WHERE engine = ?' : ''} ${order} LIMIT ?`,
      )
      .all(...scopeParams, limit) as Record<string, Cell>[];
    return cells.map((c) => spec.fromCells(c));
  }
  const where = ` WHERE ${rest.join(' AND ')}`;
  const rows: RowOfTable['fills'][] = [];
  let after: [number, string, string] | null = null;
  for (;;) {
    const cursor = after ? '(ts, engine, fill_id) < (?, ?, ?)' : '1 = 1';
    const cursorParams = after ?? [];
    const need = limit - rows.length;
    const cells = db
      .prepare(
        `SELECT ${cols} FROM (SELECT * FROM "fills" WHERE ${scope}${cursor} ${order} LIMIT ?)${where} ${order} LIMIT ?`,
      )
      .all(...scopeParams, ...cursorParams, slice, ...restParams, need) as Record<string, Cell>[];
    for (const c of cells) rows.push(spec.fromCells(c));
    if (rows.length >= limit) return rows;
    // Where this slice ended (its last row, filtered or not); none: the table is read.
    const last = db
      .prepare(`SELECT ts, engine, fill_id FROM "fills" WHERE ${scope}${cursor} ${order} LIMIT 1 OFFSET ?`)
      .get(...scopeParams, ...cursorParams, slice - 1) as
      { ts: number; engine: string; fill_id: string } | undefined;
    if (!last || Date.now() >= until) return rows;
    after = [last.ts, last.engine, last.fill_id];
  }
}
