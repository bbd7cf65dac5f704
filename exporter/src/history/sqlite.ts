/**
 * The embedded history store: one SQLite file in the data dir (better-sqlite3, WAL mode).
 * Times are INTEGER epoch milliseconds. better-sqlite3 is synchronous, so nothing runs on
 * the event loop but the check at start: writes (batches of thousands of rows per
 * transaction) run on a write worker thread with the one writing connection
 * (sqlite-write-thread.ts), reads on a read worker with read-only handles (read-pool.ts).
 */
import Database from 'better-sqlite3';
import type { EncodedPage } from './encode';
import { ReadPool } from './read-pool';
import { migrations } from './sql';
import { dialect, type FillFilter } from './sqlite-read';
import { toCellBatch } from './sqlite-write';
import { WriteThread } from './sqlite-write-thread';
import type { HistoryBatch, HistoryQuery, HistoryStore, Page } from './store';
import { HISTORY_TABLES, TABLES, type HistoryTable, type RowOfTable } from './tables';

/** SQLite's answers for a file that is not (or no longer) a sound database. */
export function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export class SqliteHistory implements HistoryStore {
  readonly kind = 'sqlite';
  /**
   * Two batches at once: the worker writes one while the next is copied to it, so it never
   * waits for the event loop between transactions; more would only queue in the worker.
   */
  readonly writesInFlight = 2;
  private db!: Database.Database;
  private reader!: ReadPool;
  /** The writing connection's thread (a fresh one after a reopen). */
  writer!: WriteThread;

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
      // WAL + NORMAL: a committed transaction survives a process crash (kill -9); what a
      // power loss may take back is derived again from the journal (sqlite-write.ts).
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      // Pages overwritten in mid-file open fine and fail every later write: found here, at start.
      const check = this.db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw new Error(`the file is damaged (quick_check: ${String(check)})`);
      this.migrate();
      this.checkColumns();
    } finally {
      // The check's handle only: the write worker opens the one that writes.
      this.db.close();
    }
    this.writer = new WriteThread(this.file);
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

  /** Written on the worker thread (in posting order); settles once committed. */
  async write(batch: HistoryBatch): Promise<void> {
    const writer = this.writer;
    try {
      await writer.run({ kind: 'write', cells: toCellBatch(batch) });
    } catch (err) {
      if (isDamage(err) && this.onDamage && writer === this.writer) {
        // The file went bad under us: it is moved aside and a fresh one opened; the writer retries.
        await writer.close();
        this.onDamage(err as Error);
        this.open();
      }
      throw err;
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
    return this.writer.run({ kind: 'prune', before });
  }

  /** After every write posted before it (the worker runs jobs in order), their WAL synced. */
  async sync(): Promise<void> {
    await this.writer.run({ kind: 'sync' });
  }

  async close(): Promise<void> {
    await Promise.all([this.reader.close(), this.writer.close()]);
  }
}
