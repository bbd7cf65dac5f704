/**
 * The embedded history store: one SQLite file in the data dir (better-sqlite3, WAL mode).
 * Times are INTEGER epoch milliseconds. better-sqlite3 is synchronous: a write runs on the
 * event loop, so the writer hands it batches (thousands of rows per transaction), never
 * one statement per event.
 */
import Database from 'better-sqlite3';
import { insertSql, migrations, selectSql, toPage, type Dialect } from './sql';
import type { HistoryBatch, HistoryQuery, HistoryStore, Page } from './store';
import { HISTORY_TABLES, TABLES, type Cell, type HistoryTable, type RowOfTable } from './tables';

/** SQLite's answers for a file that is not (or no longer) a sound database. */
export function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

const dialect: Dialect = {
  param: () => '?',
  type: (t) => (t === 'text' ? 'TEXT' : t === 'real' ? 'REAL' : 'INTEGER'),
  table: (name) => `"${name}"`,
  index: (name) => `"${name}"`,
};

export class SqliteHistory implements HistoryStore {
  readonly kind = 'sqlite';
  private db!: Database.Database;
  private inserts!: { [T in HistoryTable]: Database.Statement };
  private writeAll!: (batch: HistoryBatch) => void;

  /**
   * Opens (or creates) the file and checks it is a sound tradewatch history; throws, naming
   * what is wrong, when it is not (sqlite-file.ts moves such a file aside).
   * `onDamage`: a write that finds the file damaged later calls it with the error, to move
   * the damaged file aside (or throw); a fresh file is then opened in its place.
   */
  constructor(
    readonly file: string,
    private readonly onDamage?: (err: Error) => void,
  ) {
    this.open();
  }

  private open(): void {
    this.db = new Database(this.file);
    try {
      this.db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a committed transaction survives a process crash (kill -9); only a
      // power loss may take the last ones back, and the journal brings those again.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      // Pages overwritten in mid-file open fine and fail every later write: found here, at start.
      const check = this.db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw new Error(`the file is damaged (quick_check: ${String(check)})`);
      this.migrate();
      this.checkColumns();
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.prepare();
  }

  /** A table of the same name made by something else (other columns) is not ours to write. */
  private checkColumns(): void {
    for (const name of HISTORY_TABLES) {
      const have = (this.db.pragma(`table_info("${name}")`) as { name: string }[]).map((c) => c.name);
      const want = TABLES[name].columns.map((c) => c.name);
      if (have.join(',') !== want.join(','))
        throw new Error(
          `its table ${name} is not tradewatch's (columns ${have.join(', ')}; expected ${want.join(', ')})`,
        );
    }
  }

  private prepare(): void {
    this.inserts = {
      fills: this.db.prepare(insertSql(dialect, 'fills')),
      orders: this.db.prepare(insertSql(dialect, 'orders')),
      round_trips: this.db.prepare(insertSql(dialect, 'round_trips')),
      alerts: this.db.prepare(insertSql(dialect, 'alerts')),
    };
    this.writeAll = this.db.transaction((batch: HistoryBatch) => {
      for (const name of HISTORY_TABLES) {
        const spec = TABLES[name];
        const insert = this.inserts[name];
        for (const row of batch[name]) insert.run(...(spec.toCells as (r: typeof row) => Cell[])(row));
      }
    });
  }

  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
    );
    const done = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    for (const m of migrations(dialect)) {
      if (done.has(m.version)) continue;
      this.db.transaction(() => {
        for (const s of m.statements) this.db.exec(s);
        this.db
          .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
          .run(m.version, Date.now());
      })();
    }
  }

  write(batch: HistoryBatch): Promise<void> {
    try {
      this.writeAll(batch);
      return Promise.resolve();
    } catch (err) {
      if (isDamage(err) && this.onDamage) {
        // The file went bad under us: it is moved aside and a fresh one opened; the writer retries.
        try {
          this.db.close();
          this.onDamage(err as Error);
          this.open();
        } catch (again) {
          return Promise.reject(again as Error);
        }
      }
      return Promise.reject(err as Error);
    }
  }

  read<T extends HistoryTable>(table: T, query: HistoryQuery): Promise<Page<RowOfTable[T]>> {
    const { sql, params } = selectSql(dialect, table, query, (ms) => ms);
    const cells = this.db.prepare(sql).all(...params) as Record<string, Cell>[];
    return Promise.resolve(toPage(table, cells, query.limit));
  }

  /**
   * The newest `limit` fills passing the filters, newest first, for the feed's `fills`
   * snapshot. better-sqlite3 runs on the event loop, and a filter the indexes do not serve
   * (a symbol or strategy with few fills) would scan the whole table in one go (about 100 ms
   * at 300,000 fills): so the time index is walked in slices of at most `slice` rows, with a
   * turn of the event loop between slices, and the walk stops at `until` (epoch ms) with
   * what it found.
   */
  async readNewestFills(
    filter: { engine?: string; strategy?: string; symbol?: string },
    limit: number,
    { slice = 10_000, until = Infinity }: { slice?: number; until?: number } = {},
  ): Promise<RowOfTable['fills'][]> {
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
      const cells = this.db
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
      const cells = this.db
        .prepare(
          `SELECT ${cols} FROM (SELECT * FROM "fills" WHERE ${scope}${cursor} ${order} LIMIT ?)${where} ${order} LIMIT ?`,
        )
        .all(...scopeParams, ...cursorParams, slice, ...restParams, need) as Record<string, Cell>[];
      for (const c of cells) rows.push(spec.fromCells(c));
      if (rows.length >= limit) return rows;
      // Where this slice ended (its last row, filtered or not); none: the table is read.
      const last = this.db
        .prepare(`SELECT ts, engine, fill_id FROM "fills" WHERE ${scope}${cursor} ${order} LIMIT 1 OFFSET ?`)
        .get(...scopeParams, ...cursorParams, slice - 1) as
        { ts: number; engine: string; fill_id: string } | undefined;
      if (!last || Date.now() >= until) return rows;
      after = [last.ts, last.engine, last.fill_id];
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  prune(before: number): Promise<number> {
    let deleted = 0;
    this.db.transaction(() => {
      for (const name of HISTORY_TABLES)
        deleted += this.db
          .prepare(`DELETE FROM "${name}" WHERE ${TABLES[name].time} < ?`)
          .run(before).changes;
    })();
    return Promise.resolve(deleted);
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
