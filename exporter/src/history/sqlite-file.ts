/**
 * The SQLite history file in the data dir, opened so that a damaged one never stops the
 * exporter (docs/history.md, "A damaged history.sqlite"). A file that is not a database, is
 * damaged, holds tables of the same names made by something else, or is a directory, is
 * moved aside (`history.sqlite.damaged-<time>`, with its -wal and -shm) and a fresh file is
 * started; the log says so, naming both paths and how to recover the old rows. A write that
 * finds the file damaged later does the same. If even a fresh file cannot be made, the
 * history is down (every write fails, `tradewatch_history_store_up` 0, the journal keeps
 * what it lacks) and the log says why; ingest and metrics go on either way.
 */
import { existsSync, renameSync } from 'node:fs';
import type { Logger } from 'pino';
import { SqliteHistory } from './sqlite';
import type { HistoryBatch, HistoryQuery, HistoryStore, Page } from './store';
import type { HistoryTable, RowOfTable } from './tables';

export function openSqliteHistory(file: string, log?: Logger): HistoryStore {
  const onDamage = (err: Error) => {
    const aside = moveAside(file);
    log?.error({ file, movedTo: aside, err: err.message }, damagedMessage(file, aside, err.message));
  };
  try {
    return new SqliteHistory(file, onDamage);
  } catch (err) {
    const reason = (err as Error).message;
    let aside: string;
    try {
      aside = moveAside(file);
    } catch (moveErr) {
      return down(file, `${reason}; and it cannot be moved aside: ${(moveErr as Error).message}`, log);
    }
    log?.error({ file, movedTo: aside, err: reason }, damagedMessage(file, aside, reason));
    try {
      return new SqliteHistory(file, onDamage);
    } catch (again) {
      return down(file, `a fresh file cannot be made: ${(again as Error).message}`, log);
    }
  }
}

function damagedMessage(file: string, aside: string, reason: string): string {
  return (
    `history: ${file} cannot be used as the trade history (${reason}); it was moved aside to ${aside} ` +
    `and a fresh history started. The rows it held are not in the fresh file: to keep them, recover ` +
    `them with "sqlite3 ${aside} .recover" (or keep the file for reference); rows the journal still ` +
    `holds are written again.`
  );
}

/** Renames the file (or directory) and its -wal and -shm aside; returns the new name. */
function moveAside(file: string): string {
  const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  for (const ext of ['-wal', '-shm']) if (existsSync(file + ext)) renameSync(file + ext, aside + ext);
  return aside;
}

function down(file: string, reason: string, log?: Logger): HistoryStore {
  const message = `the history file ${file} cannot be used (${reason}); fix or free that path and restart the exporter`;
  log?.error({ file }, `history: ${message}. The history is down meanwhile; ingest and metrics go on`);
  return new UnavailableHistory(message);
}

/** A history that cannot be opened: every call fails with the reason (the writer retries). */
export class UnavailableHistory implements HistoryStore {
  readonly kind = 'sqlite';
  constructor(private readonly reason: string) {}
  write(_batch: HistoryBatch): Promise<void> {
    return Promise.reject(new Error(this.reason));
  }
  read<T extends HistoryTable>(_table: T, _query: HistoryQuery): Promise<Page<RowOfTable[T]>> {
    return Promise.reject(new Error(this.reason));
  }
  prune(_before: number): Promise<number> {
    return Promise.reject(new Error(this.reason));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
