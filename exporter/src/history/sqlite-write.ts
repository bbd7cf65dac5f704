/**
 * The SQLite history's writes, on a database handle of their own: run in the write worker
 * (sqlite-write-worker.ts), never on the exporter's event loop. Pure but for the handle.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { insertSql } from './sql';
import { dialect } from './sqlite-read';
import type { HistoryBatch } from './store';
import { HISTORY_TABLES, TABLES, type Cell, type HistoryTable } from './tables';

/** A batch's rows as the cells each table stores (tables.ts, `toCells`), table by table. */
export type CellBatch = { [T in HistoryTable]: Cell[][] };

/** One job the write worker runs. */
export type WriteJob =
  { kind: 'write'; cells: CellBatch } | { kind: 'prune'; before: number } | { kind: 'sync' };

/**
 * The cells of `batch`, made on the event loop before it is posted: postMessage clones arrays
 * of cells in about half the time it clones the records, property names and all
 * (bench/history/post.bench.ts), and the worker no longer makes them.
 */
export function toCellBatch(batch: HistoryBatch): CellBatch {
  return {
    fills: batch.fills.map((r) => TABLES.fills.toCells(r)),
    orders: batch.orders.map((r) => TABLES.orders.toCells(r)),
    round_trips: batch.round_trips.map((r) => TABLES.round_trips.toCells(r)),
    alerts: batch.alerts.map((r) => TABLES.alerts.toCells(r)),
  };
}

export interface SqliteWriter {
  /** Writes the batch's rows in one transaction, idempotent on each row's identity. */
  write(cells: CellBatch): void;
  /** Deletes rows older than `before` (epoch ms) from every table; returns how many. */
  prune(before: number): number;
  /** Syncs the WAL: every transaction committed so far survives a power loss. */
  sync(): void;
  close(): void;
}

/**
 * Opens the (already checked and migrated) file for writing. The write worker's CPU a row is
 * what competes with the event loop on a small machine; the choices below bring it to
 * 0.59-0.66 of the one-statement-a-row writer's in 600-row batches (3.10-3.17 against
 * 4.82-5.23 µs) and 0.65-0.69 in 3,000-row ones (2.78-3.23 against 4.26-4.72 µs):
 * bench/history/writer-cpu.bench.ts, files growing to 500k rows, 3 rounds. The figures
 * below are from one run of every variant (600 / 3,000).
 */
export function openWriter(file: string): SqliteWriter {
  const db = new Database(file, { fileMustExist: true });
  // WAL + NORMAL: a committed transaction survives a process crash (kill -9); a power
  // loss may take back those since the WAL was last synced. Before a snapshot says the
  // store lacks no rows before a record, the WAL is synced (`sync`, the history writer's
  // durableNeedsFrom); rows of the records after it are derived again by the replay.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // A checkpoint every 4,000 WAL pages (16 MB) rather than SQLite's 1,000: the pages every
  // batch touches again (each index's last leaf, the parents) are copied into the file once
  // per checkpoint, so fewer cost the worker less CPU a row: 0.59-0.66 of the CPU before
  // against 0.66-0.74 with SQLite's (bench/history/writer-cpu, 600-row batches; 10,000 or
  // 20,000 pages: no better). The longer unsynced WAL loses nothing: see above.
  db.pragma('wal_autocheckpoint = 4000');
  const writers = {
    fills: tableWriter(db, 'fills'),
    orders: tableWriter(db, 'orders'),
    round_trips: tableWriter(db, 'round_trips'),
    alerts: tableWriter(db, 'alerts'),
  };
  const write = db.transaction((cells: CellBatch) => {
    for (const name of HISTORY_TABLES) writers[name](cells[name]);
  });
  const prune = db.transaction((before: number) => {
    let deleted = 0;
    for (const name of HISTORY_TABLES)
      deleted += db.prepare(`DELETE FROM "${name}" WHERE ${TABLES[name].time} < ?`).run(before).changes;
    return deleted;
  });
  return {
    write: (cells) => write(cells),
    prune: (before) => prune(before),
    sync: () => syncWal(`${file}-wal`),
    close: () => db.close(),
  };
}

/**
 * Rows one INSERT statement takes. A statement's run costs the worker more than binding and
 * storing one row (the call, its result object, the statement's reset, its cursors), so
 * ROWS_PER_INSERT rows a statement cost less CPU a row: 0.925 / 0.907 of one statement a row
 * (50 rows: 0.934 / 0.939; 200: no better than 100).
 */
export const ROWS_PER_INSERT = 100;

/**
 * Writes rows into `name`: ROWS_PER_INSERT at a time by one multi-row INSERT, the rest one
 * by one. SQLite runs a multi-row INSERT row after row, each with its ON CONFLICT rule, so
 * the rows land as they would one statement each; a refused row fails its whole statement
 * (and so the batch) with SQLite's code, as one of its own would.
 */
function tableWriter(db: Database.Database, name: HistoryTable): (rows: readonly Cell[][]) => void {
  // OR ROLLBACK: a refused row ends the whole transaction at once, as the batch fails then
  // anyway, so SQLite keeps no statement journal to undo one multi-row statement alone
  // (its copies of the pages the statement changes): 0.756 / 0.692 of before against
  // 0.759 / 0.755 (another run, 4 rounds: 0.65-0.73 / 0.67-0.69 against 0.67-0.75 / 0.73-0.78).
  const insert = (rows: number) => db.prepare(insertSql(dialect, name, rows, { orRollback: true }));
  const one = insert(1);
  const many = insert(ROWS_PER_INSERT);
  const width = TABLES[name].columns.length;
  const args = new Array<Cell>(ROWS_PER_INSERT * width);
  return (rows) => {
    let r = 0;
    for (; r + ROWS_PER_INSERT <= rows.length; r += ROWS_PER_INSERT) {
      let k = 0;
      for (let i = r; i < r + ROWS_PER_INSERT; i++) {
        const row = rows[i];
        for (let c = 0; c < width; c++) args[k++] = row[c];
      }
      // Spread, not the array: better-sqlite3 reads an array's cells one by one through V8's
      // API (Object::Get), arguments as they come: 0.759 / 0.755 of before against 0.875 / 0.859.
      many.run(...args);
    }
    for (; r < rows.length; r++) one.run(...rows[r]);
  };
}

/**
 * A commit writes its pages to the WAL, which synchronous = NORMAL syncs only at a
 * checkpoint; fsync of the WAL file makes every commit so far durable (a checkpoint that
 * reset the WAL meanwhile synced the database file first).
 */
function syncWal(wal: string): void {
  let fd: number;
  try {
    fd = openSync(wal, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing written yet
    throw err;
  }
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function runWrite(writer: SqliteWriter, job: WriteJob): number {
  if (job.kind === 'prune') return writer.prune(job.before);
  if (job.kind === 'sync') {
    writer.sync();
    return 0;
  }
  writer.write(job.cells);
  return 0;
}
