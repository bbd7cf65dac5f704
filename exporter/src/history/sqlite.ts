/**
 * The embedded history store: one SQLite file in the data dir (better-sqlite3, WAL mode).
 * Times are INTEGER epoch milliseconds. better-sqlite3 is synchronous: a write runs on the
 * event loop, so the writer hands it batches (thousands of rows per transaction), never
 * one statement per event; reads run on a worker thread (read-pool.ts).
 */
import Database from 'better-sqlite3';
import type { EncodedPage } from './encode';
import { ReadPool } from './read-pool';
import { insertSql, migrations } from './sql';
import { dialect, type FillFilter } from './sqlite-read';
import type { HistoryBatch, HistoryQuery, HistoryStore, Page } from './store';
import { HISTORY_TABLES, TABLES, type Cell, type HistoryTable, type RowOfTable } from './tables';

/** SQLite's answers for a file that is not (or no longer) a sound database. */
export function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export class SqliteHistory implements HistoryStore {
  readonly kind = 'sqlite';
  private db!: Database.Database;
  private reader!: ReadPool;
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
    // Reads run on a worker thread with a read-only handle of their own (a fresh one after a reopen).
    void this.reader?.close();
    this.reader = new ReadPool(this.file);
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

  refuses(err: unknown): boolean {
    const code = (err as { code?: unknown }).code;
    return (
      typeof code === 'string' &&
      (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG')
    );
  }

  /** Read on the worker thread (read-pool.ts): a long read never holds the event loop. */
  read<T extends HistoryTable>(table: T, query: HistoryQuery): Promise<Page<RowOfTable[T]>> {
    return this.reader.run({ kind: 'page', table, query }) as Promise<Page<RowOfTable[T]>>;
  }

  /** A page encoded for the viewer API on the worker thread: the event loop only passes the text on. */
  readEncoded(table: HistoryTable, query: HistoryQuery, csv: boolean): Promise<EncodedPage> {
    return this.reader.run({ kind: 'encoded', table, query, csv }) as Promise<EncodedPage>;
  }

  /**
   * The newest `limit` fills passing the filters, newest first, for the feed's `fills`
   * snapshot (sqlite-read.ts), on the worker thread; the walk stops at `until` (epoch ms).
   */
  readNewestFills(
    filter: FillFilter,
    limit: number,
    { slice = 10_000, until = Infinity }: { slice?: number; until?: number } = {},
  ): Promise<RowOfTable['fills'][]> {
    return this.reader.run({ kind: 'newest', filter, limit, slice, until }) as Promise<RowOfTable['fills'][]>;
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

  async close(): Promise<void> {
    await this.reader.close();
    if (this.db.open) this.db.close();
  }
}
