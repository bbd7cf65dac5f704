/**
 * Runs the SQLite history's reads on a worker thread (read-worker.ts), one job at a time in
 * arrival order; how many may wait is bounded by the callers (the read gate, read-gate.ts).
 * A worker that dies fails its jobs and is started again for the next one.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadJob } from './sqlite-read';

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export class ReadPool {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(private readonly file: string) {}

  run(job: ReadJob): Promise<unknown> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, job });
    });
  }

  private start(): Worker {
    // Compiled, the worker is a .js file beside this one; from the sources (tests), tsx runs the .ts.
    const ts = __filename.endsWith('.ts');
    const worker = new Worker(path.join(__dirname, `read-worker.${ts ? 'ts' : 'js'}`), {
      workerData: { file: this.file },
      ...(ts ? { execArgv: ['--require', require.resolve('tsx/cjs')] } : {}),
    });
    // Never what keeps a process alive.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (reply.ok) w.resolve(reply.result);
      else w.reject(new Error(reply.error));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the history read worker stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
