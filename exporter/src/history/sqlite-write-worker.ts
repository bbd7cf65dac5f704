/**
 * The SQLite history's write worker (a worker thread): the one connection that writes the
 * file, so that no transaction runs on the exporter's event loop (docs/history.md, "How the
 * writer runs"). Jobs run one at a time in the order they were posted; each is answered
 * once committed (or failed), with SQLite's error code, which the store reads (refusal,
 * damage, unavailable).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWriter, runWrite, type SqliteWriter, type WriteJob } from './sqlite-write';

const { file } = workerData as { file: string };
let writer: SqliteWriter | null = null;

parentPort?.on('message', (message: { id: number; job: WriteJob } | { close: true }) => {
  if ('close' in message) {
    writer?.close();
    process.exit(0);
  }
  try {
    // Opened at the first job, so that a file that cannot be opened fails that job (retried), not the thread.
    writer ??= openWriter(file);
    parentPort?.postMessage({ id: message.id, ok: true, result: runWrite(writer, message.job) });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    parentPort?.postMessage({
      id: message.id,
      ok: false,
      error: (err as Error).message,
      code: typeof code === 'string' ? code : undefined,
    });
  }
});
