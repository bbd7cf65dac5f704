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

const dialect: Dialect = {
  param: () => '?',
  type: (t) => (t === 'text' ? 'TEXT' : t === 'real' ? 'REAL' : 'INTEGER'),
  table: (name) => `"${name}"`,
  index: (name) => `"${name}"`,
};

export class SqliteHistory implements HistoryStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly inserts: { [T in HistoryTable]: Database.Statement };
  private readonly writeAll: (batch: HistoryBatch) => void;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a committed transaction survives a process crash (kill -9); only a
    // power loss may take the last ones back, and the journal brings those again.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
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
      return Promise.reject(err as Error);
    }
  }

  read<T extends HistoryTable>(table: T, query: HistoryQuery): Promise<Page<RowOfTable[T]>> {
    const { sql, params } = selectSql(dialect, table, query, (ms) => ms);
    const cells = this.db.prepare(sql).all(...params) as Record<string, Cell>[];
    return Promise.resolve(toPage(table, cells, query.limit));
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
