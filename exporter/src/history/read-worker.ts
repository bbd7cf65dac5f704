/**
 * The SQLite history's read worker (a worker thread): opens the file read-only (WAL lets it
 * read beside the writer) and answers read jobs (sqlite-read.ts), so no history read runs on
 * the exporter's event loop (docs/history.md, "Reads").
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { runRead, type ReadJob } from './sqlite-read';

const { file } = workerData as { file: string };
const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');

parentPort?.on('message', (message: { id: number; job: ReadJob }) => {
  try {
    parentPort?.postMessage({ id: message.id, ok: true, result: runRead(db, message.job) });
  } catch (err) {
    parentPort?.postMessage({ id: message.id, ok: false, error: (err as Error).message });
  }
});
