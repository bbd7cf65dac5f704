/** The trade history: the store the configuration names, and the writer that feeds it. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { PostgresHistory } from './postgres';
import { openSqliteHistory } from './sqlite-file';
import type { HistoryStore } from './store';
import { HistoryWriter } from './writer';

export type { HistoryStore, HistoryQuery, HistoryBatch, Page, Cursor } from './store';
export { HistoryWriter } from './writer';
export { TABLES, HISTORY_TABLES, type HistoryTable } from './tables';

export const SQLITE_FILE = 'history.sqlite';
/** Rows the history store refused, one JSON line each (docs/history.md). */
export const DEAD_LETTER_FILE = 'history-dead-letter.jsonl';

/** The store of `config.history`: PostgreSQL at its URL, or SQLite in the data dir. */
export function openHistoryStore(config: Pick<Config, 'history' | 'dataDir'>, log?: Logger): HistoryStore {
  const h = config.history;
  if (h.url)
    return new PostgresHistory({
      url: h.url,
      schema: h.schema,
      onError: (err) => log?.warn({ err: err.message }, 'history: a PostgreSQL connection broke'),
    });
  mkdirSync(config.dataDir, { recursive: true });
  return openSqliteHistory(path.join(config.dataDir, SQLITE_FILE), log);
}

/** The writer for `config.history`, or null when the history is off. */
export function openHistory(
  config: Pick<Config, 'history' | 'dataDir'>,
  log?: Logger,
  { journaled = false }: { journaled?: boolean } = {},
): HistoryWriter | null {
  if (!config.history.enabled) return null;
  const store = openHistoryStore(config, log);
  log?.info(
    { store: store.kind, schema: store.kind === 'postgres' ? config.history.schema : undefined },
    'history: keeping fills, closed orders, round trips and alerts',
  );
  return new HistoryWriter(store, {
    retentionMs: config.history.retentionMs,
    maxPending: config.history.maxPending,
    journaled,
    deadLetterFile: path.join(config.dataDir, DEAD_LETTER_FILE),
    log,
  });
}
