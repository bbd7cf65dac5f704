/**
 * Feeds the history store from the state's change listener, off the ingest path.
 *
 * Durability follows the journal. A change reaches the writer only after its batch was
 * journaled; the writer queues its rows in memory, each batch's rows under the journal
 * record they came from, and writes them in batches without ever making ingest wait. The
 * journal asks the writer what it still lacks (`needsFrom`, the oldest record whose rows
 * are not in the store) and keeps that record, the snapshot before it and everything after,
 * while it keeps taking snapshots on schedule; a snapshot records the same, so a start from
 * it (after a kill -9) catches up from there.
 *
 * Memory is bounded (`maxPending` rows, TRADEWATCH_HISTORY_MAX_PENDING): past it, the rows
 * in memory are let go and the writer stops queueing; the rows of those records are derived
 * again from the journal (catch-up.ts), slice by slice, as fast as the store takes them,
 * then the writer follows the live state again. Nothing acknowledged is dropped: only a
 * writer without a journal (TRADEWATCH_JOURNAL=false) has nowhere to find them again.
 *
 * A failed write is retried after a backoff (250 ms doubling to 15 s) however many rows wait.
 *
 * Up to the store's `writesInFlight` batches are written at once (SQLite: 2, on its write
 * worker; PostgreSQL: 3, on connections of their own), so a burst is never held behind one
 * transaction's round trip; while the store is down, one write at a time probes it.
 */
import { appendFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Change } from '../state/changes';
import { Backoff } from '../retry/backoff';
import type { Store } from '../state/store';
import { catchUp, type CatchUpSource } from './catch-up';
import { addRows, JournalPlaces } from './rows';
import { batchSize, emptyBatch, type HistoryBatch, type HistoryStore } from './store';

export interface WriterOptions {
  /** Rows per write (one transaction). */
  batchRows?: number;
  /** How long rows may wait for a fuller batch (ms). */
  flushMs?: number;
  /** Rows kept in memory; beyond, they are derived from the journal again (TRADEWATCH_HISTORY_MAX_PENDING). */
  maxPending?: number;
  /** Retention: rows older than this (ms, against the wall clock) are deleted hourly. */
  retentionMs?: number;
  /**
   * Whether a journal will be there to derive let-go rows from (`follow`). Without one
   * (TRADEWATCH_JOURNAL=false), rows past `maxPending` are lost, counted and logged.
   */
  journaled?: boolean;
  /** Where rows the store refuses are set aside, one JSON line each (the data dir's history-dead-letter.jsonl). */
  deadLetterFile?: string;
  log?: Logger;
}

export interface WriterStats {
  written: number;
  queued: number;
  failures: number;
  /** True while the last write failed (the store is down or refusing). */
  down: boolean;
  /** True while rows the writer let go are derived from the journal again. */
  catchingUp: boolean;
  /** Rows written by the catch-up (derived from the journal). */
  caughtUp: number;
  /** Rows lost for want of a journal (only with TRADEWATCH_JOURNAL=false). */
  lost: number;
  /** Rows the store refused, set aside in the dead-letter file (the rows behind them go on). */
  setAside: number;
  lastError: string | null;
}

/** A journal record's rows, waiting for the store. */
interface Pending {
  seq: number;
  batch: HistoryBatch;
  rows: number;
}

/** One batch being written. */
interface Write {
  taken: Pending[];
  done: Promise<void>;
}

const RETRY_MAX_MS = 15_000;
const PRUNE_EVERY_MS = 3_600_000;

export class HistoryWriter {
  readonly stats: WriterStats = {
    written: 0,
    queued: 0,
    failures: 0,
    down: false,
    catchingUp: false,
    caughtUp: 0,
    lost: 0,
    setAside: 0,
    lastError: null,
  };
  private pending: Pending[] = [];
  /** Batches being written, oldest first. */
  private inFlight: Write[] = [];
  /** The first record whose rows the writer let go (derived from the journal again); null: none. */
  private behind: number | null = null;
  /** The journal record being applied (its changes come next). */
  private seq = 0;
  /** The first record whose rows are not known to survive a power loss (`durableNeedsFrom`); null before the first record. */
  private durableFrom: number | null = null;
  private readonly places = new JournalPlaces();
  private source: CatchUpSource | null = null;
  private catching: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Without jitter: the store is this exporter's own, probed at the times docs/history.md gives. */
  private readonly backoff = new Backoff({ initialMs: 250, maxMs: RETRY_MAX_MS, jitter: false });
  /** While the store is down, no write (live or catch-up) is tried before this time (epoch ms). */
  private nextTryAt = 0;
  private pruneTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly batchRows: number;
  private readonly flushMs: number;
  private readonly maxPending: number;
  private readonly maxInFlight: number;
  private unsubscribe: (() => void) | null = null;

  constructor(
    readonly store: HistoryStore,
    private readonly options: WriterOptions = {},
  ) {
    this.batchRows = options.batchRows ?? 5000;
    this.flushMs = options.flushMs ?? 200;
    this.maxPending = options.maxPending ?? 100_000;
    this.maxInFlight = Math.max(1, store.writesInFlight ?? 1);
  }

  /** Listens to the state's changes (attach before the journal replays, so recovery feeds it too). */
  attach(state: Store): this {
    // In slices: a large batch's rows are taken over several turns of the loop (state/store.ts).
    this.unsubscribe = state.onChanges((changes) => this.take(changes), { inSlices: true });
    if (this.options.retentionMs !== undefined) {
      const prune = () => void this.prune();
      this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
      this.pruneTimer.unref();
      setImmediate(prune);
    }
    return this;
  }

  /**
   * Where rows the writer lets go are found again (the journal, once it is open); without
   * one (no journal), rows past `maxPending` are lost, and logged so.
   */
  follow(source: CatchUpSource | null): this {
    this.source = source;
    this.startCatchUp();
    return this;
  }

  // The journal's follower (storage/journal.ts, JournalFollower).
  applying(seq: number): void {
    this.seq = seq;
    this.durableFrom ??= seq;
  }

  /**
   * `needsFrom`, with the rows before it made to survive a power loss first (`store.sync`),
   * for a snapshot to record: a snapshot that says the store lacks nothing lets the journal
   * drop the records, and a commit of SQLite's (synchronous = NORMAL) alone may still be
   * taken back by a power loss. A sync that fails or takes over `timeoutMs` leaves the answer
   * at the first record not known durable (the journal keeps it; a restart derives again).
   */
  async durableNeedsFrom(timeoutMs = 2000): Promise<number | null> {
    const from = this.needsFrom();
    const through = this.seq;
    if (!this.store.sync) return from;
    // Every row before `from` is committed, so its write was posted before this sync.
    const synced = this.store.sync().then(
      () => true,
      () => false,
    );
    if ((await settlesBy(synced, Date.now() + timeoutMs)) && (await synced)) {
      const frontier = from ?? through + 1;
      this.durableFrom = Math.max(this.durableFrom ?? frontier, frontier);
      return from;
    }
    this.options.log?.warn(
      { from: this.durableFrom },
      'history: the store could not be synced for a snapshot; the journal keeps the records since the last sync',
    );
    return from === null ? this.durableFrom : Math.min(from, this.durableFrom ?? from);
  }
  needsFrom(): number | null {
    let from = this.behind;
    for (const p of [...this.inFlight.map((w) => w.taken[0]), this.pending[0]])
      if (p && (from === null || p.seq < from)) from = p.seq;
    return from;
  }
  lacksFrom(seq: number): void {
    this.options.log?.info(
      { from: seq },
      'history: the snapshot says the store lacked rows from this journal record on; they are derived from the journal again',
    );
    this.letGo(seq);
  }

  /** The rows a batch of changes leaves for the history (synchronous: the ingest path). */
  take(changes: readonly Change[]): void {
    if (this.closed || this.behind !== null) return; // the catch-up derives these from the journal
    const batch = emptyBatch();
    const rows = addRows(batch, changes, (row) => this.places.place(row, this.seq));
    if (rows === 0) return;
    if (this.stats.queued + rows > this.maxPending) {
      if (this.options.journaled) {
        this.options.log?.warn(
          { rows: this.stats.queued + rows, maxPending: this.maxPending },
          'history: more rows than TRADEWATCH_HISTORY_MAX_PENDING wait for the store; they are derived from the journal again as the store takes them',
        );
        this.letGo(this.pending[0]?.seq ?? this.seq);
        return;
      }
      if (this.stats.lost === 0)
        this.options.log?.error(
          { maxPending: this.maxPending },
          'history: more rows than TRADEWATCH_HISTORY_MAX_PENDING wait for the store and there is no journal (TRADEWATCH_JOURNAL=false) to find them again: new rows are lost until the store takes writes',
        );
      this.stats.lost += rows;
      return;
    }
    // One entry per journal record (a record's rows may come in several change batches).
    let last: Pending | undefined = this.pending[this.pending.length - 1];
    if (last?.seq === this.seq) appendBatch(last.batch, batch);
    else this.pending.push((last = { seq: this.seq, batch, rows: 0 }));
    last.rows += rows;
    this.stats.queued += rows;
    // While the store is down the backoff holds whatever the queue's length.
    this.schedule(this.nextWriteIn());
  }

  /** Lets go of the rows in memory from record `seq` on; the catch-up derives them again. */
  private letGo(seq: number): void {
    if (this.behind === null || seq < this.behind) this.behind = seq;
    this.pending = [];
    this.stats.queued = 0;
    this.stats.catchingUp = true;
    this.startCatchUp();
  }

  private startCatchUp(): void {
    if (this.catching || this.closed || this.behind === null) return;
    if (!this.source) return; // at start, before the journal is open: follow() starts it
    const source = this.source;
    this.catching = (async () => {
      while (this.behind !== null && !this.closed) {
        const from = this.behind;
        try {
          await catchUp(source, from, {
            batchRows: this.batchRows,
            storeDown: () => this.stats.down,
            write: async (batch, rows) => {
              await this.writeRetrying(batch);
              this.stats.caughtUp += rows;
            },
            atEnd: (rest, rows, restFrom) => {
              // Synchronous with the journal's last record: live changes are queued from here on.
              if (this.behind !== from) return; // let go further back meanwhile: go round again
              this.behind = null;
              this.stats.catchingUp = false;
              if (rows > 0) {
                this.stats.caughtUp += rows;
                this.pending.unshift({ seq: restFrom, batch: rest, rows });
                this.stats.queued += rows;
                this.schedule(this.backoffLeft());
              }
            },
          });
          if (this.behind === null)
            this.options.log?.info(
              { from, rows: this.stats.caughtUp },
              'history: caught up from the journal; following the live state again',
            );
        } catch (err) {
          if (this.closed) break;
          // Not the store (writes are retried inside): the journal could not be read. Try again later.
          this.options.log?.error(
            { err: (err as Error).message, from },
            'history: the catch-up from the journal failed; retried',
          );
          await this.sleep(RETRY_MAX_MS);
        }
      }
    })().finally(() => {
      this.catching = null;
    });
  }

  /** Writes `batch`, retrying after a backoff until it is stored; throws only when the writer closes. */
  private async writeRetrying(batch: HistoryBatch): Promise<void> {
    for (;;) {
      // One backoff for every writer of the store: the live queue and the catch-up alike.
      while (this.stats.down && !this.closed && Date.now() < this.nextTryAt)
        await this.sleep(this.nextTryAt - Date.now());
      if (this.closed) throw new Error('the history writer is closed');
      try {
        this.wrote(batchSize(batch) - (await this.writeSorting(batch)));
        return;
      } catch (err) {
        this.failed(err as Error);
      }
    }
  }

  /**
   * Writes `batch`; when the store refuses a row's content, halves the batch until the
   * refused rows stand alone, writes the rest and sets those aside (`setAsideRow`). Throws
   * when the store cannot be written (down); returns how many rows were set aside.
   */
  private async writeSorting(batch: HistoryBatch): Promise<number> {
    try {
      await this.store.write(batch);
      return 0;
    } catch (err) {
      if (!this.store.refuses?.(err)) throw err;
      if (batchSize(batch) === 1) {
        this.setAsideRow(batch, err as Error);
        return 1;
      }
      const [a, b] = halves(batch);
      return (await this.writeSorting(a)) + (await this.writeSorting(b));
    }
  }

  private setAsideRow(batch: HistoryBatch, err: Error): void {
    const table = (['fills', 'round_trips', 'orders', 'alerts'] as const).find((t) => batch[t].length > 0);
    const row = table ? batch[table][0] : null;
    const line = JSON.stringify({ at: new Date().toISOString(), table, error: err.message, row });
    try {
      if (this.options.deadLetterFile) appendFileSync(this.options.deadLetterFile, `${line}\n`);
    } catch (writeErr) {
      this.options.log?.error(
        { file: this.options.deadLetterFile, err: (writeErr as Error).message, row: line },
        'history: a refused row cannot be written to the dead-letter file; it is in this log line',
      );
    }
    this.stats.setAside += 1;
    if (this.stats.setAside === 1 || Number.isInteger(Math.log10(this.stats.setAside)))
      this.options.log?.error(
        { table, err: err.message, file: this.options.deadLetterFile, setAside: this.stats.setAside },
        'history: the store refused a row; it is set aside in the dead-letter file and the rows behind it are written',
      );
  }

  private wrote(rows: number): void {
    this.stats.written += rows;
    if (this.stats.down)
      this.options.log?.info(
        { store: this.store.kind },
        'history: the store is reachable again; catching up',
      );
    this.stats.down = false;
    this.backoff.reset();
    this.nextTryAt = 0;
  }

  private failed(err: Error): void {
    this.stats.failures += 1;
    this.stats.lastError = err.message;
    // A write that was in flight beside the one that found the store down: one backoff step per probe.
    if (this.stats.down && Date.now() < this.nextTryAt) return;
    if (!this.stats.down)
      this.options.log?.error(
        { store: this.store.kind, err: err.message },
        'history: cannot write to the store; rows stay queued (and in the journal) and are retried',
      );
    this.stats.down = true;
    this.nextTryAt = Date.now() + this.backoff.next();
  }

  /**
   * When to write what is queued: after the backoff while the store is down; at once when a
   * batch is full or no write is in flight (a quiet store takes rows as they come, so the
   * history lags the last acknowledgement by one write, not by `flushMs`); otherwise rows
   * gather for up to `flushMs` or until a write in flight settles.
   */
  private nextWriteIn(): number {
    if (this.stats.down) return this.backoffLeft();
    return this.stats.queued >= this.batchRows || this.inFlight.length === 0 ? 0 : this.flushMs;
  }

  /** How long the next write must wait (the backoff while the store is down). */
  private backoffLeft(): number {
    return this.stats.down ? Math.max(0, this.nextTryAt - Date.now()) : 0;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }

  private schedule(ms: number): void {
    // A write settling schedules what is queued behind it.
    if (this.closed || this.inFlight.length >= this.maxInFlight) return;
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

  /**
   * Starts writing what is queued, batch by batch, while fewer than `maxInFlight` are in
   * flight (one while the store is down); a failed batch goes back to the queue and is
   * retried with backoff. Settles when the oldest write in flight does.
   */
  flush(): Promise<void> {
    while (
      this.stats.queued > 0 &&
      this.inFlight.length < (this.stats.down ? 1 : this.maxInFlight) &&
      !this.closed
    ) {
      if (this.backoffLeft() > 0) {
        this.schedule(this.backoffLeft());
        break;
      }
      this.startWrite();
    }
    return this.inFlight[0]?.done ?? Promise.resolve();
  }

  private startWrite(): void {
    const taken = this.takeBatch();
    const write: Write = { taken, done: Promise.resolve() };
    this.inFlight.push(write);
    write.done = (async () => {
      const batch = merged(taken);
      try {
        this.wrote(batchSize(batch) - (await this.writeSorting(batch)));
      } catch (err) {
        // Unless the catch-up now covers them (the writer let go from an older record meanwhile).
        if (this.behind === null || taken[0].seq < this.behind) this.putBack(taken);
        this.failed(err as Error);
      } finally {
        this.inFlight.splice(this.inFlight.indexOf(write), 1);
      }
      if (this.stats.queued > 0 && !this.closed) this.schedule(this.nextWriteIn());
    })();
  }

  /** Settles when every write in flight now has. */
  private writesSettled(): Promise<unknown> {
    return Promise.all(this.inFlight.map((w) => w.done));
  }

  /**
   * Writes everything queued now. True when the store holds every row the state has
   * emitted so far; false when it could not (the journal keeps what it lacks).
   */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    // While the store is known down, the retry timer tries it; a caller does not wait for it.
    if (this.stats.down && this.inFlight.length === 0 && this.stats.queued > 0) return false;
    for (;;) {
      if (this.behind !== null || this.stats.lost > 0) return false;
      if (this.inFlight.length > 0) {
        // A store that hangs (not refusing, not answering) never holds the caller past the deadline.
        if (!(await settlesBy(this.writesSettled(), deadline))) return false;
        if (this.stats.down) return false;
        continue;
      }
      if (this.stats.queued === 0) return this.behind === null;
      if (Date.now() > deadline) return false;
      this.flush();
      if (this.inFlight.length === 0) return false; // held by the backoff
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
    if (this.inFlight.length > 0) await settlesBy(this.writesSettled(), Date.now() + timeoutMs);
    if (this.catching) await settlesBy(this.catching, Date.now() + timeoutMs);
    await this.store.close();
  }

  /** Rows from the front of the queue, up to `batchRows` (a record's rows split if need be, keeping its seq). */
  private takeBatch(): Pending[] {
    const taken: Pending[] = [];
    let room = this.batchRows;
    while (this.pending.length > 0 && room > 0) {
      const p = this.pending[0];
      if (p.rows <= room) {
        taken.push(this.pending.shift() as Pending);
        room -= p.rows;
        continue;
      }
      // A prefix of each table of this record's rows (fills first: they are most of it).
      const part: Pending = { seq: p.seq, batch: emptyBatch(), rows: 0 };
      for (const name of ['fills', 'round_trips', 'orders', 'alerts'] as const) {
        const moved = (p.batch[name] as unknown[]).splice(0, room - part.rows);
        for (const row of moved) (part.batch[name] as unknown[]).push(row);
        part.rows += moved.length;
      }
      p.rows -= part.rows;
      taken.push(part);
      room = 0;
    }
    for (const p of taken) this.stats.queued -= p.rows;
    return taken;
  }

  /** Back to the queue, in journal order (a write beside it may have been put back already). */
  private putBack(taken: Pending[]): void {
    this.pending = [...taken, ...this.pending].sort((a, b) => a.seq - b.seq);
    for (const p of taken) this.stats.queued += p.rows;
  }
}

/** The rows of `batch` in two batches of about half each (table by table). */
function halves(batch: HistoryBatch): [HistoryBatch, HistoryBatch] {
  const a = emptyBatch();
  const b = emptyBatch();
  let left = Math.floor(batchSize(batch) / 2);
  for (const name of ['fills', 'round_trips', 'orders', 'alerts'] as const)
    for (const row of batch[name] as unknown[]) {
      ((left > 0 ? a : b)[name] as unknown[]).push(row);
      left -= 1;
    }
  return [a, b];
}

function appendBatch(into: HistoryBatch, from: HistoryBatch): void {
  for (const name of ['fills', 'round_trips', 'orders', 'alerts'] as const)
    for (const row of from[name] as unknown[]) (into[name] as unknown[]).push(row);
}

function merged(parts: readonly Pending[]): HistoryBatch {
  if (parts.length === 1) return parts[0].batch;
  const out = emptyBatch();
  for (const p of parts) appendBatch(out, p.batch);
  return out;
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
