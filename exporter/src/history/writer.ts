/**
 * Feeds the history store from the state's change listener, off the ingest path.
 *
 * Durability follows the journal. A change reaches the writer only after its batch was
 * journaled; the writer queues its rows in memory and writes them in batches, without
 * ever making ingest wait. What is queued and not yet written is covered by the journal:
 * the journal's snapshot hook (`beforeSnapshot`) first writes everything queued, and when
 * it cannot (the store is down), the snapshot is put off, so the journal keeps every record
 * whose rows are not in the store. After a kill -9 the restart replays those records, the
 * state emits the same rows again, and the store keeps each identity once.
 */
import type { Logger } from 'pino';
import type { Change, FillRow, RoundTripRow } from '../state/changes';
import type { Store } from '../state/store';
import { batchSize, emptyBatch, type HistoryBatch, type HistoryStore } from './store';
import type { AlertRow, OrderRow } from './tables';

export interface WriterOptions {
  /** Rows per write (one transaction). */
  batchRows?: number;
  /** How long rows may wait for a fuller batch (ms). */
  flushMs?: number;
  /** Rows kept in memory while the store is down; beyond, the journal alone holds them (caught up at the next start). */
  maxQueued?: number;
  /** Retention: rows older than this (ms, against the wall clock) are deleted hourly. */
  retentionMs?: number;
  log?: Logger;
}

export interface WriterStats {
  written: number;
  queued: number;
  failures: number;
  /** True while the last write failed (the store is down or refusing). */
  down: boolean;
  /** Rows dropped from memory while the store was down (the journal keeps them). */
  overflowed: boolean;
  lastError: string | null;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 15_000;
const PRUNE_EVERY_MS = 3_600_000;

export class HistoryWriter {
  readonly stats: WriterStats = {
    written: 0,
    queued: 0,
    failures: 0,
    down: false,
    overflowed: false,
    lastError: null,
  };
  private queue: HistoryBatch = emptyBatch();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private retryMs = RETRY_MIN_MS;
  private pruneTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly batchRows: number;
  private readonly flushMs: number;
  private readonly maxQueued: number;
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly store: HistoryStore,
    private readonly options: WriterOptions = {},
  ) {
    this.batchRows = options.batchRows ?? 5000;
    this.flushMs = options.flushMs ?? 200;
    this.maxQueued = options.maxQueued ?? 1_000_000;
  }

  /** Listens to the state's changes (attach before the journal replays, so recovery feeds it too). */
  attach(state: Store): this {
    this.unsubscribe = state.onChanges((changes) => this.take(changes));
    if (this.options.retentionMs !== undefined) {
      const prune = () => void this.prune();
      this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
      this.pruneTimer.unref();
      setImmediate(prune);
    }
    return this;
  }

  /** The rows a batch of changes leaves for the history (synchronous: the ingest path). */
  take(changes: readonly Change[]): void {
    if (this.closed) return;
    const q = this.queue;
    let added = 0;
    for (const c of changes) {
      if (c.channel === 'fills' && c.row) {
        q.fills.push(c.row as FillRow);
        added += 1;
        if (c.roundTrip) {
          q.round_trips.push(c.roundTrip as RoundTripRow);
          added += 1;
        }
      } else if (c.channel === 'orders' && c.row === null && c.final) {
        q.orders.push(c.final as OrderRow);
        added += 1;
      } else if (c.channel === 'alerts' && c.row) {
        q.alerts.push(c.row as AlertRow);
        added += 1;
      }
    }
    if (added === 0) return;
    this.stats.queued += added;
    if (this.stats.queued > this.maxQueued) {
      // The journal holds these (no snapshot is taken while rows are missing): the next start writes them.
      if (!this.stats.overflowed)
        this.options.log?.error(
          { queued: this.stats.queued },
          'history: the store has been down too long; queued rows are dropped from memory and will be written from the journal at the next start',
        );
      this.stats.overflowed = true;
      this.queue = emptyBatch();
      this.stats.queued = 0;
      return;
    }
    this.schedule(this.stats.queued >= this.batchRows ? 0 : this.flushMs);
  }

  private schedule(ms: number): void {
    if (this.closed || this.flushing) return;
    if (this.timer) {
      if (ms > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    // Never what keeps a process alive (close() writes what is left).
    this.timer.unref();
  }

  /** Writes one batch of what is queued; on failure keeps it and retries with backoff. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.stats.queued === 0) return Promise.resolve();
    const batch = this.takeBatch();
    this.flushing = (async () => {
      try {
        await this.store.write(batch);
        this.stats.written += batchSize(batch);
        if (this.stats.down)
          this.options.log?.info(
            { store: this.store.kind },
            'history: the store is reachable again; catching up',
          );
        this.stats.down = false;
        this.retryMs = RETRY_MIN_MS;
      } catch (err) {
        this.putBack(batch);
        this.stats.failures += 1;
        this.stats.lastError = (err as Error).message;
        if (!this.stats.down)
          this.options.log?.error(
            { store: this.store.kind, err: (err as Error).message },
            'history: cannot write to the store; rows stay queued (and in the journal) and are retried',
          );
        this.stats.down = true;
      } finally {
        this.flushing = null;
      }
      if (this.stats.queued > 0 && !this.closed) {
        const wait = this.stats.down ? this.retryMs : this.stats.queued >= this.batchRows ? 0 : this.flushMs;
        if (this.stats.down) this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
        this.schedule(wait);
      }
    })();
    return this.flushing;
  }

  /**
   * Writes everything queued now. True when the store holds every row the state has
   * emitted so far (the journal may then snapshot past them); false when it could not.
   */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    // While the store is known down, the retry timer tries it; a snapshot does not wait (ingest would).
    if (this.stats.down && !this.flushing && this.stats.queued > 0) return false;
    for (;;) {
      if (this.stats.overflowed) return false;
      // A store that hangs (not refusing, not answering) never holds the caller past the deadline.
      if (this.flushing && !(await settlesBy(this.flushing, deadline))) return false;
      if (this.stats.queued === 0) return true;
      if (Date.now() > deadline) return false;
      if (!(await settlesBy(this.flush(), deadline))) return false;
      if (this.stats.down) return false;
    }
  }

  async prune(now = Date.now()): Promise<number> {
    if (this.options.retentionMs === undefined) return 0;
    try {
      const deleted = await this.store.prune(now - this.options.retentionMs);
      if (deleted > 0) this.options.log?.info({ deleted }, 'history: rows past retention deleted');
      return deleted;
    } catch (err) {
      this.options.log?.warn(
        { err: (err as Error).message },
        'history: retention delete failed; retried in an hour',
      );
      return 0;
    }
  }

  /** Writes what is queued (within the timeout), then closes the store. */
  async close(timeoutMs = 5000): Promise<void> {
    this.unsubscribe?.();
    await this.drain(timeoutMs);
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    if (this.flushing) await settlesBy(this.flushing, Date.now() + timeoutMs);
    await this.store.close();
  }

  private takeBatch(): HistoryBatch {
    const q = this.queue;
    if (this.stats.queued <= this.batchRows) {
      this.queue = emptyBatch();
      this.stats.queued = 0;
      return q;
    }
    // A prefix of each table, up to batchRows in all (fills first: they are most of it).
    const batch = emptyBatch();
    let room = this.batchRows;
    for (const name of ['fills', 'round_trips', 'orders', 'alerts'] as const) {
      const taken = (q[name] as unknown[]).splice(0, room);
      (batch[name] as unknown[]).push(...taken);
      room -= taken.length;
    }
    this.stats.queued -= batchSize(batch);
    return batch;
  }

  private putBack(batch: HistoryBatch): void {
    for (const name of ['fills', 'round_trips', 'orders', 'alerts'] as const)
      (this.queue[name] as unknown[]).unshift(...(batch[name] as unknown[]));
    this.stats.queued += batchSize(batch);
  }
}

/** True when `p` settles before `deadline` (epoch ms); false when the deadline comes first. */
async function settlesBy(p: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([
      p.then(
        () => true as const,
        () => true as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
