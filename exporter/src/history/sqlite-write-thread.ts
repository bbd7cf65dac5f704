/**
 * Posts the SQLite history's writes to its write worker (sqlite-write-worker.ts) and hands
 * back their answers. Jobs are written in the order they were posted (one worker, one
 * connection). A worker that dies (a crash, terminated) is started again and every job it
 * had not answered is posted again, in order: each write is idempotent on each row's
 * identity, so a batch the dead worker had committed just finds its rows stored. A job that
 * has seen `MAX_ATTEMPTS` workers die under it fails (the history writer retries it later).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WriteJob } from './sqlite-write';

type Reply =
  { id: number; ok: true; result: number } | { id: number; ok: false; error: string; code?: string };

interface Job {
  id: number;
  job: WriteJob;
  attempts: number;
  resolve(v: number): void;
  reject(e: Error): void;
}

const MAX_ATTEMPTS = 3;

export class WriteThread {
  private worker: Worker | null = null;
  private nextId = 1;
  /** Posted and not answered yet, in posting order. */
  private readonly waiting = new Map<number, Job>();
  private closed = false;
  /** Workers started so far (1 plus the restarts). */
  starts = 0;

  constructor(private readonly file: string) {}

  run(job: WriteJob): Promise<number> {
    if (this.closed) return Promise.reject(new Error('the history write worker is closed'));
    return new Promise((resolve, reject) => {
      const j: Job = { id: this.nextId++, job, attempts: 0, resolve, reject };
      this.waiting.set(j.id, j);
      this.post(j);
    });
  }

  /** Jobs posted and not answered yet. */
  get unanswered(): number {
    return this.waiting.size;
  }

  /** The worker's thread, for a test that kills it. */
  get current(): Worker | null {
    return this.worker;
  }

  private post(j: Job): void {
    j.attempts += 1;
    (this.worker ?? this.start()).postMessage({ id: j.id, job: j.job });
  }

  private start(): Worker {
    this.starts += 1;
    // Compiled, the worker is a .js file beside this one; from the sources (tests), tsx runs the .ts.
    const ts = __filename.endsWith('.ts');
    const worker = new Worker(path.join(__dirname, `sqlite-write-worker.${ts ? 'ts' : 'js'}`), {
      workerData: { file: this.file },
      ...(ts ? { execArgv: ['--require', require.resolve('tsx/cjs')] } : {}),
    });
    // Never what keeps a process alive (the history writer's close() waits for its writes).
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const j = this.waiting.get(reply.id);
      if (!j) return;
      this.waiting.delete(reply.id);
      if (reply.ok) j.resolve(reply.result);
      else j.reject(Object.assign(new Error(reply.error), { code: reply.code }));
    });
    let gone = false;
    const died = (why: string) => {
      if (gone) return;
      gone = true;
      if (this.worker === worker) this.worker = null;
      const unanswered = [...this.waiting.values()];
      if (this.closed) {
        for (const j of unanswered) j.reject(new Error(`the history write worker stopped (${why})`));
        this.waiting.clear();
        return;
      }
      // In posting order (the map keeps insertion order): a later state never lands before an earlier one.
      for (const j of unanswered) {
        if (j.attempts < MAX_ATTEMPTS) this.post(j);
        else {
          this.waiting.delete(j.id);
          j.reject(
            new Error(`the history write worker stopped ${MAX_ATTEMPTS} times under this write (${why})`),
          );
        }
      }
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`exit ${code}`));
    this.worker = worker;
    return worker;
  }

  /** Lets the worker finish what it was given, then stops it (terminated if it does not within `timeoutMs`). */
  async close(timeoutMs = 5000): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true });
    const timer = setTimeout(() => void worker.terminate(), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
