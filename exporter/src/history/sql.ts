/**
 * SQL both stores share, built from the table descriptions: the versioned migrations, the
 * idempotent insert, and the keyset-paginated range read. A dialect says how the two
 * databases differ (placeholders, column types, how a table is named).
 */
import type { HistoryQuery, Page } from './store';
import {
  HISTORY_TABLES,
  TABLES,
  type Cell,
  type ColumnType,
  type HistoryTable,
  type RowOfTable,
} from './tables';

export interface Dialect {
  /** The n-th placeholder (1-based). */
  param(n: number): string;
  type(t: ColumnType): string;
  /** A table's qualified, quoted name. */
  table(name: string): string;
  /** An index's name (PostgreSQL qualifies only the table, SQLite only the index). */
  index(name: string): string;
}

/**
 * Migrations, in order; each runs once, in a transaction, and its version is recorded.
 * Never edit a released one: add the next.
 */
export function migrations(d: Dialect): { version: number; statements: string[] }[] {
  // Version 1's tables: the columns a later migration added are left to it.
  const create = (name: HistoryTable) => {
    const spec = TABLES[name];
    const columns = spec.columns
      .filter((c) => c.since === undefined)
      .map((c) => `${c.name} ${d.type(c.type)}${c.nullable ? '' : ' NOT NULL'}`);
    return [
      `CREATE TABLE IF NOT EXISTS ${d.table(name)} (${columns.join(', ')}, PRIMARY KEY (engine, ${spec.id}))`,
      // Time-range reads (and the keyset order), overall and per engine.
      `CREATE INDEX IF NOT EXISTS ${d.index(`${name}_time`)} ON ${d.table(name)} (${spec.time}, engine, ${spec.id})`,
      `CREATE INDEX IF NOT EXISTS ${d.index(`${name}_engine_time`)} ON ${d.table(name)} (engine, ${spec.time})`,
    ];
  };
  return [
    {
      version: 1,
      statements: [...create('fills'), ...create('orders'), ...create('round_trips'), ...create('alerts')],
    },
    {
      // Orders: where each state came in the journal, to order states of equal `updated_at`.
      // Rows written before are 0 (any state derived from the journal since is later).
      version: 2,
      statements: addedIn(d, 2),
    },
  ];
}

/** ALTER TABLE … ADD COLUMN for the (integer, not null) columns migration `version` added. */
function addedIn(d: Dialect, version: number): string[] {
  const out: string[] = [];
  for (const name of HISTORY_TABLES)
    for (const c of TABLES[name].columns)
      if (c.since === version) {
        if (c.type !== 'integer' || c.nullable) throw new Error(`column ${name}.${c.name}: add it by hand`);
        out.push(`ALTER TABLE ${d.table(name)} ADD COLUMN ${c.name} ${d.type(c.type)} NOT NULL DEFAULT 0`);
      }
  return out;
}

/**
 * INSERT of `rows` rows, idempotent on identity (a later order state replaces an older one).
 * `orRollback` (SQLite only): a row refused otherwise (NOT NULL…) ends the whole transaction.
 */
export function insertSql(d: Dialect, name: HistoryTable, rows = 1, { orRollback = false } = {}): string {
  const spec = TABLES[name];
  const cols = spec.columns.map((c) => c.name);
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++)
    tuples.push(`(${cols.map((_, i) => d.param(r * cols.length + i + 1)).join(', ')})`);
  const insert = orRollback ? 'INSERT OR ROLLBACK' : 'INSERT';
  return `${insert} INTO ${d.table(name)} (${cols.join(', ')}) VALUES ${tuples.join(', ')} ${onConflict(d, name)}`;
}

/**
 * What a row whose identity is stored already does: nothing, or replace an older state
 * (orders: when its (updated_at, journal_seq, journal_pos) is not lower than the stored one's,
 * whichever transaction commits first).
 */
export function onConflict(d: Dialect, name: HistoryTable): string {
  const spec = TABLES[name];
  const by = spec.replaceBy;
  const action = by
    ? `DO UPDATE SET ${spec.columns
        .map((c) => c.name)
        .filter((c) => c !== 'engine' && c !== spec.id)
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')} WHERE (${by.map((c) => `excluded.${c}`).join(', ')}) >= (${by
        .map((c) => `${d.table(name)}.${c}`)
        .join(', ')})`
    : 'DO NOTHING';
  return `ON CONFLICT (engine, ${spec.id}) ${action}`;
}

/**
 * The range read: filters, time range (both ends inclusive), keyset continuation, order
 * by (time, engine, id), one row more than the limit (to know whether a next page exists).
 * `time` turns an epoch-ms parameter into the store's time type.
 */
export function selectSql(
  d: Dialect,
  name: HistoryTable,
  q: HistoryQuery,
  time: (ms: number) => Cell | Date,
): { sql: string; params: (Cell | Date)[] } {
  const spec = TABLES[name];
  const where: string[] = [];
  const params: (Cell | Date)[] = [];
  const p = (v: Cell | Date) => (params.push(v), d.param(params.length));
  if (q.engine !== undefined) where.push(`engine = ${p(q.engine)}`);
  // A fill or order without a strategy is stored without one; `none` is how every other place names that.
  if (q.strategy === 'none') where.push(`(strategy IS NULL OR strategy = ${p('none')})`);
  else if (q.strategy !== undefined) where.push(`strategy = ${p(q.strategy)}`);
  if (q.symbol !== undefined) where.push(`symbol = ${p(q.symbol)}`);
  if (q.from !== undefined) where.push(`${spec.time} >= ${p(time(q.from))}`);
  if (q.to !== undefined) where.push(`${spec.time} <= ${p(time(q.to))}`);
  const desc = q.order === 'desc';
  if (q.after) {
    const key = `(${spec.time}, engine, ${spec.id})`;
    where.push(`${key} ${desc ? '<' : '>'} (${p(time(q.after.ts))}, ${p(q.after.engine)}, ${p(q.after.id)})`);
  }
  const dir = desc ? 'DESC' : 'ASC';
  const sql =
    `SELECT ${spec.columns
      .filter((c) => !c.internal)
      .map((c) => c.name)
      .join(', ')} FROM ${d.table(name)}` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ${spec.time} ${dir}, engine ${dir}, ${spec.id} ${dir} LIMIT ${p(q.limit + 1)}`;
  return { sql, params };
}

/** A page of rows from the cells read (one more than the limit means a next page exists). */
export function toPage<T extends HistoryTable>(
  name: T,
  cells: Record<string, Cell>[],
  limit: number,
): Page<RowOfTable[T]> {
  const spec = TABLES[name];
  const more = cells.length > limit;
  const kept = more ? cells.slice(0, limit) : cells;
  const last = kept[kept.length - 1];
  return {
    rows: kept.map((c) => spec.fromCells(c) as RowOfTable[T]),
    next:
      more && last
        ? { ts: Number(last[spec.time]), engine: String(last.engine), id: String(last[spec.id]) }
        : null,
  };
}
