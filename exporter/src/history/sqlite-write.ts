/**
 * The SQLite history's writes, on a database handle of their own: run in the write worker
 * (sqlite-write-worker.ts), never on the exporter's event loop. Pure but for the handle.
 */
import Database from 'better-sqlite3';
import { insertSql } from './sql';
import { dialect } from './sqlite-read';
import type { HistoryBatch } from './store';
import { HISTORY_TABLES, TABLES, type Cell, type HistoryTable } from './tables';

/** A batch's rows as the cells each table stores (tables.ts, `toCells`), table by table. */
export type CellBatch = { [T in HistoryTable]: Cell[][] };

/** One job the write worker runs. */
export type WriteJob = { kind: 'write'; cells: CellBatch } | { kind: 'prune'; before: number };

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
  close(): void;
}

/** Opens the (already checked and migrated) file for writing. */
export function openWriter(file: string): SqliteWriter {
  const db = new Database(file, { fileMustExist: true });
  // WAL + NORMAL: a committed transaction survives a process crash (kill -9); only a
  // power loss may take the last ones back, and the journal brings those again.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const inserts = {
    fills: db.prepare(insertSql(dialect, 'fills')),
    orders: db.prepare(insertSql(dialect, 'orders')),
    round_trips: db.prepare(insertSql(dialect, 'round_trips')),
    alerts: db.prepare(insertSql(dialect, 'alerts')),
  };
  const write = db.transaction((cells: CellBatch) => {
    for (const name of HISTORY_TABLES) {
      const insert = inserts[name];
      for (const row of cells[name]) insert.run(...row);
    }
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
    close: () => db.close(),
  };
}

export function runWrite(writer: SqliteWriter, job: WriteJob): number {
  if (job.kind === 'prune') return writer.prune(job.before);
  writer.write(job.cells);
  return 0;
}
