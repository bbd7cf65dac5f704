/**
 * Replay of a recorded JSONL file of tradewatch events through the ingest service: one
 * implementation, used by the `replay` source of the exporter and by `tradewatch replay`.
 *
 * `replayJsonl` reads the file (jsonl.ts) and hands its lines' values, in batches, to the
 * ingest service, which validates them as it does every source's (a line that is not a
 * valid event is left out alone: `leaveOutInvalid`). It paces them at recorded speed
 * (speed 1), N times faster (N), or as fast as possible (0), by the values' own `ts`;
 * analytics run on event time, so the figures are the recorded run's at any speed. A line
 * that is not a valid event is skipped and told with its line number; under `strict` the
 * first one stops the replay, everything before it applied.
 *
 * The replay source gives events without an id one from the file name and line
 * (`replay:<file>:<line>`), so replaying the same file again (e.g. after a restart)
 * applies nothing twice.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { EventProblem } from '../events/validate';
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

/** Lines read and not yet handed to the ingest service: their values, and the lines that were not JSON. */
interface PendingLines {
  values: unknown[];
  /** The line number of each value. */
  lines: number[];
  malformed: LineProblem[];
}

/** The time a value asks to be replayed at: its `ts` when it is a number (validity is the ingest service's call). */
function paceTs(value: unknown): number | null {
  const ts = typeof value === 'object' && value !== null ? (value as { ts?: unknown }).ts : undefined;
  return typeof ts === 'number' && Number.isFinite(ts) ? ts : null;
}

/** The first problem of each value left out, as line problems. */
function lineProblems(refused: readonly EventProblem[], lines: readonly number[]): LineProblem[] {
  const out: LineProblem[] = [];
  for (const p of refused)
    if (out.length === 0 || out[out.length - 1].line !== lines[p.index])
      out.push({ line: lines[p.index], field: p.field, reason: p.reason });
  return out;
}

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
  let pending: PendingLines = { values: [], lines: [], malformed: [] };
  let batchDue = 0;
  const size = () => pending.values.length + pending.malformed.length;

  const ingest = async (values: unknown[], lines: readonly number[], leaveOutInvalid: boolean) => {
    const result = await ingestor.ingest({ values }, options.source, {
      leaveOutInvalid,
      idFor: options.idsFromLines ? (i) => `replay:${name}:${lines[i]}` : undefined,
    });
    if (result.ok) {
      progress.applied += result.applied;
      progress.duplicates += result.duplicates;
    }
    return result;
  };
  /** Hands the pending lines to the ingest service; false when a bad line stopped the replay (`strict`). */
  const flush = async (): Promise<boolean> => {
    if (size() === 0) return true;
    const { values, lines, malformed } = pending;
    pending = { values: [], lines: [], malformed: [] };
    if (options.strict) return flushStrict(values, lines, malformed[0]);
    const result = values.length > 0 ? await ingest(values, lines, true) : null;
    const invalid = result?.ok ? lineProblems(result.refused ?? [], lines) : [];
    // Told in line order, the lines that were not JSON among the invalid ones.
    for (const p of [...malformed, ...invalid].sort((a, b) => a.line - b.line)) {
      progress.skipped += 1;
      options.onProblem(p);
    }
    return true;
  };
  /**
   * Under `strict` a batch is all or nothing; when a line of it is invalid, the lines before
   * it (and before a line that was not JSON) are applied, and the first bad line is told.
   */
  const flushStrict = async (
    values: unknown[],
    lines: number[],
    malformed?: LineProblem,
  ): Promise<boolean> => {
    const result = values.length > 0 ? await ingest(values, lines, false) : null;
    const invalid = result && !result.ok && result.reason === 'invalid_event' ? result.problems[0] : null;
    if (!invalid) {
      if (malformed) options.onProblem(malformed);
      return !malformed;
    }
    // The lines before the first invalid one are all valid: applied as the lenient replay would.
    if (invalid.index > 0) await ingest(values.slice(0, invalid.index), lines, false);
    // (A line that was not JSON is the batch's last: under `strict` it flushes at once.)
    options.onProblem(lineProblems([invalid], lines)[0]);
    return false;
  };

  let stoppedEarly = false;
  for await (const read of readJsonl(file)) {
    if (stopped()) {
      stoppedEarly = true;
      break;
    }
    progress.lines += 1;
    if ('malformed' in read) {
      const problem = { line: read.line, field: '', reason: read.malformed };
      // A line that is not JSON never reaches the ingest service: counted here, as the replay always has.
      ingestor.reject('invalid_event');
      pending.malformed.push(problem);
      if (!options.strict) continue;
      if (!(await flush())) {
        stoppedEarly = true;
        break;
      }
      continue;
    }
    if (speed !== 0) {
      const ts = paceTs(read.value);
      if (ts !== null) {
        firstTs ??= ts;
        const due = started + Math.max(0, ts - firstTs) / speed;
        if (size() > 0 && due - batchDue > TIMED_BATCH_MS && !(await flush())) {
          stoppedEarly = true;
          break;
        }
        if (size() === 0) {
          batchDue = due;
          await sleepUntil(due);
          if (stopped()) {
            stoppedEarly = true;
            break;
          }
        }
      }
    }
    pending.values.push(read.value);
    pending.lines.push(read.line);
    if (speed === 0 && pending.values.length >= options.batchSize && !(await flush())) {
      stoppedEarly = true;
      break;
    }
  }
  if (!stopped() && !stoppedEarly && !(await flush())) stoppedEarly = true;
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

  /** Logs a skipped line (the ingest service counted it). */
  private skipped({ line, field, reason }: LineProblem): void {
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
