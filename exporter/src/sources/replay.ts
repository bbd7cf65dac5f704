/**
 * Replay of a recorded JSONL file of tradewatch events through the ingest service: one
 * implementation, used by the `replay` source of the exporter and by `tradewatch replay`.
 *
 * `replayJsonl` reads the file (jsonl.ts), validates each line, and applies the valid
 * events in batches at recorded speed (speed 1), N times faster (N), or as fast as possible
 * (0). Timing follows the events' own `ts`; analytics run on event time, so the figures are
 * the recorded run's at any speed. A line that is not a valid event is skipped and told
 * with its line number; under `strict` the first one stops the replay, everything before
 * it applied.
 *
 * The replay source gives events without an id one from the file name and line
 * (`replay:<file>:<line>`), so replaying the same file again (e.g. after a restart)
 * applies nothing twice.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { validateEvent } from '../events/validate';
import type { TradingEvent } from '../events/schema';
import type { Ingestor } from '../ingest/ingestor';
import { readJsonl } from './jsonl';

/** A line skipped: its number (from 1), the field at fault ('' for the whole line) and why. */
export interface LineProblem {
  line: number;
  field: string;
  reason: string;
}

export interface ReplayProgress {
  /** Non-blank lines read. */
  lines: number;
  applied: number;
  /** Events whose id (or fill id) was seen before: acknowledged, not applied twice. */
  duplicates: number;
  skipped: number;
  /** The whole file was read (not stopped, not stopped by a bad line under `strict`). */
  done: boolean;
}

export interface ReplayRunOptions {
  /** 1 = recorded speed, N = N× faster, 0 = as fast as possible. */
  speed: number;
  /** The ingest source label. */
  source: string;
  /** Events per ingest batch when replaying as fast as possible. */
  batchSize: number;
  /** Give events without an id one from the file name and line. */
  idsFromLines: boolean;
  /** Stop at the first bad line (after applying the lines before it). */
  strict?: boolean;
  /** Told each bad line (under `strict`, the one that stopped the replay). */
  onProblem(problem: LineProblem): void;
  /** Polled between lines: true stops the replay. */
  stopped?(): boolean;
  /** Waits until the wall-clock time `at` (epoch ms). */
  sleepUntil?(at: number): Promise<void>;
}

/** Events due within this many ms of each other go in one batch. */
const TIMED_BATCH_MS = 5;

export function newProgress(): ReplayProgress {
  return { lines: 0, applied: 0, duplicates: 0, skipped: 0, done: false };
}

/** Replays `file` through `ingestor`, counting into `progress` as it goes. */
export async function replayJsonl(
  file: string,
  ingestor: Ingestor,
  options: ReplayRunOptions,
  progress: ReplayProgress = newProgress(),
): Promise<ReplayProgress> {
  const { speed } = options;
  const name = path.basename(file);
  const stopped = options.stopped ?? (() => false);
  const sleepUntil = options.sleepUntil ?? sleepUntilTime;
  const started = Date.now();
  let firstTs: number | null = null;
  let batch: TradingEvent[] = [];
  let batchDue = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const events = batch;
    batch = [];
    const result = await ingestor.ingestValid(events, options.source);
    if (result.ok) {
      progress.applied += result.applied;
      progress.duplicates += result.duplicates;
    }
  };
  /** False when the replay stops at this problem. */
  const problem = async (p: LineProblem): Promise<boolean> => {
    if (options.strict) {
      await flush();
      options.onProblem(p);
      return false;
    }
    progress.skipped += 1;
    options.onProblem(p);
    return true;
  };

  let stoppedEarly = false;
  for await (const read of readJsonl(file)) {
    if (stopped()) {
      stoppedEarly = true;
      break;
    }
    progress.lines += 1;
    if ('malformed' in read) {
      if (await problem({ line: read.line, field: '', reason: read.malformed })) continue;
      stoppedEarly = true;
      break;
    }
    const checked = validateEvent(read.value, read.line - 1);
    if (Array.isArray(checked)) {
      if (await problem({ line: read.line, field: checked[0].field, reason: checked[0].reason })) continue;
      stoppedEarly = true;
      break;
    }
    if (options.idsFromLines && checked.id === undefined) checked.id = `replay:${name}:${read.line}`;

    if (speed === 0) {
      batch.push(checked);
      if (batch.length >= options.batchSize) await flush();
      continue;
    }
    firstTs ??= checked.ts;
    const due = started + Math.max(0, checked.ts - firstTs) / speed;
    if (batch.length > 0 && due - batchDue > TIMED_BATCH_MS) await flush();
    if (batch.length === 0) {
      batchDue = due;
      await sleepUntil(due);
      if (stopped()) {
        stoppedEarly = true;
        break;
      }
    }
    batch.push(checked);
  }
  if (!stopped()) await flush();
  progress.done = !stoppedEarly && !stopped();
  return progress;
}

function sleepUntilTime(at: number): Promise<void> {
  const ms = at - Date.now();
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- the replay source --------------------------------------------------------------

export interface ReplayOptions {
  file: string;
  /** 1 = recorded speed, N = N× faster, 0 = as fast as possible. */
  speed: number;
}

/** Events per ingest batch when replaying as fast as possible. */
const FAST_BATCH = 1000;

/** The `replay` source: the file through the exporter's ingest service; bad lines counted and logged. */
export class ReplaySource {
  readonly progress: ReplayProgress = newProgress();
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
    const started = Date.now();
    this.log.info(
      { source: 'replay', file, speed },
      `replaying ${file} ${speed === 0 ? 'as fast as possible' : `at ${speed}× recorded speed`}`,
    );
    await replayJsonl(
      file,
      this.ingestor,
      {
        speed,
        source: 'replay',
        batchSize: FAST_BATCH,
        idsFromLines: true,
        onProblem: (p) => this.skipped(p),
        stopped: () => this.stopped,
        sleepUntil: (at) => this.sleepUntil(at),
      },
      this.progress,
    );
    const { lines, applied, skipped, done } = this.progress;
    this.log.info(
      { source: 'replay', file, lines, applied, skipped, done, seconds: (Date.now() - started) / 1000 },
      'replay finished',
    );
  }

  private skipped({ line, field, reason }: LineProblem): void {
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
