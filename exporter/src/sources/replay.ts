/**
 * Replay source: a recorded JSONL file of tradewatch events fed through the ingest path
 * at recorded speed (TRADEWATCH_REPLAY_SPEED=1), N times faster (N), or as fast as
 * possible (0). Timing follows the events' own `ts`; analytics run on event time, so the
 * figures are the recorded run's at any speed.
 *
 * A line that is not a valid event is skipped, counted and logged with its line number.
 * Events without an id get one from the file name and line (`replay:<file>:<line>`), so
 * replaying the same file again (e.g. after a restart) applies nothing twice.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { validateEvent } from '../events/validate';
import type { TradingEvent } from '../events/schema';
import type { Ingestor } from '../ingest/ingestor';

export interface ReplayOptions {
  file: string;
  /** 1 = recorded speed, N = N× faster, 0 = as fast as possible. */
  speed: number;
}

/** Events per ingest batch when replaying as fast as possible. */
const FAST_BATCH = 1000;
/** Events due within this many ms of each other go in one batch. */
const TIMED_BATCH_MS = 5;

export interface ReplayProgress {
  lines: number;
  applied: number;
  skipped: number;
  done: boolean;
}

export class ReplaySource {
  readonly progress: ReplayProgress = { lines: 0, applied: 0, skipped: 0, done: false };
  private stopped = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly options: ReplayOptions,
    private readonly ingestor: Ingestor,
    private readonly log: Logger,
  ) {}

  start(): Promise<void> {
    this.running = this.run().catch((err: Error) => {
      this.log.error(
        { source: 'replay', file: this.options.file, err: err.message },
        `replay failed: ${err.message}`,
      );
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    const { file, speed } = this.options;
    const name = path.basename(file);
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    const started = Date.now();
    let firstTs: number | null = null;
    let batch: TradingEvent[] = [];
    let batchDue = 0;
    this.log.info(
      { source: 'replay', file, speed },
      `replaying ${file} ${speed === 0 ? 'as fast as possible' : `at ${speed}× recorded speed`}`,
    );

    const flush = async () => {
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      const result = await this.ingestor.ingestValid(events, 'replay');
      if (result.ok) this.progress.applied += result.applied;
    };

    let lineNo = 0;
    for await (const line of lines) {
      lineNo += 1;
      if (this.stopped) break;
      if (line.trim() === '') continue;
      this.progress.lines += 1;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (err) {
        this.skip(lineNo, '', `malformed JSON: ${(err as Error).message}`);
        continue;
      }
      const checked = validateEvent(raw, lineNo - 1);
      if (Array.isArray(checked)) {
        this.skip(lineNo, checked[0].field, checked[0].reason);
        continue;
      }
      if (checked.id === undefined) checked.id = `replay:${name}:${lineNo}`;

      if (speed === 0) {
        batch.push(checked);
        if (batch.length >= FAST_BATCH) await flush();
        continue;
      }
      firstTs ??= checked.ts;
      const due = started + Math.max(0, checked.ts - firstTs) / speed;
      if (batch.length > 0 && due - batchDue > TIMED_BATCH_MS) await flush();
      if (batch.length === 0) {
        batchDue = due;
        await this.sleepUntil(due);
        if (this.stopped) break;
      }
      batch.push(checked);
    }
    lines.close();
    if (!this.stopped) await flush();
    this.progress.done = !this.stopped;
    this.log.info(
      { source: 'replay', file, ...this.progress, seconds: (Date.now() - started) / 1000 },
      'replay finished',
    );
  }

  private skip(line: number, field: string, reason: string): void {
    this.progress.skipped += 1;
    this.ingestor.reject('invalid_event');
    this.log.warn(
      { source: 'replay', file: this.options.file, line, field, reason },
      `replay: line ${line} skipped: ${field ? `${field}: ` : ''}${reason}`,
    );
  }

  private sleepUntil(at: number): Promise<void> {
    const ms = at - Date.now();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
