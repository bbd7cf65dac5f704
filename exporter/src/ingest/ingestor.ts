/**
 * The one ingest service every source uses (HTTP, demo, NATS, replay). Inside one ordering
 * queue it runs decode → adapt (a foreign format such as Gal Friday's) → validate → bound
 * (cardinality caps) → journal → apply, so an adapter that reads the state (a cumulative
 * fill, say) reads it as the previous batch left it, and the journal and the state see
 * batches in the same order. Every answer is atomic: a refusal applies nothing and
 * journals nothing. Controllers (http/, sources/) only translate the result.
 *
 * Group commit: a checked batch is staged, not awaited, so the queue checks the next batch
 * while earlier ones are being made durable. One committer at a time takes every staged
 * batch, journals them with one write and one sync, then applies them in order and answers
 * each. A batch is answered 2xx only once its own record is durable; a failed write or sync
 * refuses exactly the batches it carried, none of them applied. What a staged batch is
 * checked against is the state plus the batches staged before it (cardinality caps); an
 * adapter that reads the state (Gal Friday's cumulative fills) first waits until every
 * staged batch is applied.
 */
import type { Logger } from 'pino';
import { decodeEventsSliced } from '../events/decode';
import { validateBatchSliced, type EventProblem } from '../events/validate';
import type { TradingEvent } from '../events/schema';
import type { CardinalityLimits } from '../config';
import type { Store } from '../state/store';
import { LabeledCounter } from '../state/common/counters';
import { checkCardinality } from './cardinality';
import { breather, type Pause } from './turns';

/** Where validated batches are made durable before they are applied (storage/). */
export interface Journal {
  /** Makes every batch durable as its own record, in order, by one write (group commit). */
  appendAll(batches: readonly { events: readonly TradingEvent[]; receivedAt: number }[]): Promise<void>;
}

/** What the queue's check of a batch gives: a refusal now, or the answer to come after its commit. */
type Checked = IngestResult | { pending: Promise<IngestResult> };

/** A checked batch waiting for its group's write and sync, then its apply. */
interface Staged {
  events: TradingEvent[];
  /** The events not already in the state (duplicates are acknowledged, not journaled). */
  fresh: TradingEvent[];
  receivedAt: number;
  source: string;
  options: IngestOptions;
  answer: (result: IngestResult) => void;
  fail: (err: unknown) => void;
}

/**
 * Bounds on one group: staging waits for the committer beyond them, so a burst holds a
 * bounded number of events in memory before its write (the bodies are in memory anyway).
 */
const GROUP_MAX_BATCHES = 256;
const GROUP_MAX_EVENTS = 20_000;

/**
 * Work on one batch between two turns of the event loop: slices of decoding, validating,
 * journaling and applying last about this long (docs/events.md, "Large batches").
 */
const TURN_BUDGET_MS = 20;
/** A group with more events than this is applied in slices of this many. */
const APPLY_SLICE_EVENTS = 512;

/** Turns a foreign format's decoded values into tradewatch events (run inside the queue). */
export type Adapter = (raws: unknown[]) =>
  | {
      ok: true;
      events: unknown[];
      /** Values left out alone (the rest of the batch goes on). */
      refused?: EventProblem[];
    }
  | { ok: false; problems: EventProblem[] };

/** What a caller hands in: decoded values, or a body still to decode. */
export type IngestInput = { values: readonly unknown[] } | { text: string; ndjson: boolean };

export interface IngestOptions {
  /** A foreign format by name (`?format=`); absent or `tradewatch` for the native schema. */
  format?: string;
  /** Charged for what is applied, once it is applied (a refused batch costs nothing). */
  charge?: (applied: number) => void;
}

export type IngestResult =
  | { ok: true; accepted: number; applied: number; duplicates: number; refused?: EventProblem[] }
  | IngestRefusal;

export interface IngestRefusal {
  ok: false;
  /** The HTTP status that says it: 400 invalid, 422 over a cap, 500 not durable. */
  status: 400 | 422 | 500;
  /** The label of tradewatch_events_rejected_total. */
  reason: string;
  error: string;
  problems: EventProblem[];
}

export class Ingestor {
  readonly rejected = new LabeledCounter(); // reason
  readonly ingested = new LabeledCounter(); // source
  private readonly adapters = new Map<string, Adapter>();
  private tail: Promise<unknown> = Promise.resolve();
  private staged: Staged[] = [];
  private stagedBatches = 0;
  private stagedEvents = 0;
  /** The group of the round in flight (written, then applied). */
  private committing: Staged[] = [];
  private round: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly journal: Journal | null = null,
    /** Wall-clock ms each engine was last heard from (duplicates count: the engine is alive). */
    readonly lastSeen = new Map<string, number>(),
    private readonly limits: CardinalityLimits | null = null,
  ) {}

  /** Registers a foreign format (`?format=<name>`). */
  addAdapter(name: string, adapter: Adapter): void {
    this.adapters.set(name, adapter);
  }

  formats(): string[] {
    return ['tradewatch', ...this.adapters.keys()];
  }

  /** Decodes, adapts, validates and applies one atomic batch. */
  ingest(input: IngestInput, source: string, options: IngestOptions = {}): Promise<IngestResult> {
    return this.enqueue(async (stage) => {
      // A large batch is checked a slice at a time, the event loop turning in between.
      const pause = breather(TURN_BUDGET_MS);
      const count = 'values' in input ? input.values.length : 1;
      let raws: unknown[];
      if ('values' in input) raws = [...input.values];
      else {
        const decoded = await decodeEventsSliced(input.text, input.ndjson, pause);
        if (!decoded.ok)
          return this.refuse(
            400,
            'malformed_json',
            1,
            `the body is not valid JSON or NDJSON: ${decoded.problems[0].reason}`,
            decoded.problems,
          );
        raws = decoded.values;
      }
      const format = options.format ?? 'tradewatch';
      let refused: EventProblem[] = [];
      if (format !== 'tradewatch') {
        // A Map, not an object: `?format=constructor` names no adapter (it once gave a 500).
        const adapter = this.adapters.get(format);
        if (!adapter)
          return this.refuse(
            400,
            'unknown_format',
            count,
            `unknown format ${JSON.stringify(format)}; known: ${this.formats().join(', ')}`,
            [],
          );
        // An adapter reads the state as the previous batch left it: every staged batch applied.
        await this.settled();
        const adapted = adapter(raws);
        if (!adapted.ok)
          return this.refuse(
            400,
            'invalid_event',
            raws.length,
            `${adapted.problems.length} invalid ${format} event(s); nothing of this batch was applied`,
            adapted.problems,
          );
        raws = adapted.events;
        // An adapter may leave values out alone (Gal Friday's unusable reports): counted, named in the answer.
        refused = adapted.refused ?? [];
        if (refused.length > 0) this.reject(`${format}_unusable`, new Set(refused.map((p) => p.index)).size);
      }
      const batch = await validateBatchSliced(raws, pause);
      if (!batch.ok)
        return this.refuse(
          400,
          'invalid_event',
          raws.length,
          `${new Set(batch.problems.map((p) => p.index)).size} invalid event(s); nothing of this batch was applied`,
          batch.problems,
        );
      const checked = await stage(batch.events, source, options, pause);
      if (refused.length === 0 || !('pending' in checked)) return checked;
      return { pending: checked.pending.then((r) => (r.ok ? { ...r, refused } : r)) };
    });
  }

  /** Applies events already validated (NATS and replay sources validate per message or line). */
  ingestValid(events: TradingEvent[], source: string, options: IngestOptions = {}): Promise<IngestResult> {
    return this.enqueue((stage) => stage(events, source, options, breather(TURN_BUDGET_MS)));
  }

  reject(reason: string, count = 1): void {
    this.rejected.inc({ reason }, count);
    this.log.debug({ reason, count }, 'events rejected');
  }

  /**
   * Checks a batch against the state and the batches staged before it, then stages it for
   * the committer. Resolves at once with a refusal, or with the promise of the batch's answer.
   */
  private async stage(
    events: TradingEvent[],
    source: string,
    options: IngestOptions,
    pause: Pause,
  ): Promise<Checked> {
    if (this.stagedBatches >= GROUP_MAX_BATCHES || this.stagedEvents >= GROUP_MAX_EVENTS)
      await this.settled();
    if (this.limits) {
      const over = await checkCardinality(this.store, events, this.limits, this.unapplied(), pause);
      if (over)
        return this.refuse(
          422,
          'cardinality_limit',
          events.length,
          `${over.message}; nothing of this batch was applied`,
          [{ index: over.index, field: over.field, reason: over.message }],
        );
    }
    const now = Date.now();
    for (const e of events) this.lastSeen.set(e.engine, now);
    const fresh = events.filter((e) => !this.store.isDuplicate(e));
    const pending = new Promise<IngestResult>((answer, fail) => {
      this.staged.push({ events, fresh, receivedAt: now, source, options, answer, fail });
    });
    this.stagedBatches += 1;
    this.stagedEvents += fresh.length;
    this.kick();
    // Boxed: a promise returned bare would be adopted, and the queue would wait for the commit.
    return { pending };
  }

  /** Events staged or being committed, not yet in the state (what the caps count beside it). */
  private unapplied(): TradingEvent[][] {
    const out: TradingEvent[][] = [];
    for (const s of this.committing) out.push(s.fresh);
    for (const s of this.staged) out.push(s.fresh);
    return out;
  }

  /** Starts a commit round when none runs and something is staged. */
  private kick(): void {
    if (this.round || this.staged.length === 0) return;
    this.round = this.commitRound().finally(() => {
      this.round = null;
      this.kick();
      if (!this.round) for (const wake of this.idleWaiters.splice(0)) wake();
    });
  }

  private async commitRound(): Promise<void> {
    const group = (this.committing = this.staged);
    this.staged = [];
    this.stagedBatches = 0;
    this.stagedEvents = 0;
    try {
      const toJournal = group.filter((s) => s.fresh.length > 0);
      if (this.journal && toJournal.length > 0) {
        try {
          await this.journal.appendAll(toJournal.map((s) => ({ events: s.fresh, receivedAt: s.receivedAt })));
        } catch (err) {
          this.log.error(
            { err: (err as Error).message, batches: group.length },
            'ingest: the journal refused a group of batches',
          );
          for (const s of group)
            s.answer(
              this.refuse(
                500,
                'journal_failed',
                s.events.length,
                `the batch was not made durable: ${(err as Error).message}`,
                [],
              ),
            );
          return;
        }
      }
      await this.applyGroup(group);
    } finally {
      this.committing = [];
    }
  }

  /**
   * Applies a durable group in order and answers each batch. A group too large for one turn
   * of the event loop is applied in slices under the store's hold: the feed, the history
   * and readers see it only whole, and its batches are answered once it is.
   */
  private async applyGroup(group: readonly Staged[]): Promise<void> {
    const events = group.reduce((n, s) => n + s.fresh.length, 0);
    const sliced = events > APPLY_SLICE_EVENTS;
    const pause = sliced ? breather(TURN_BUDGET_MS) : null;
    const answers: (() => void)[] = [];
    if (sliced) this.store.hold();
    try {
      for (const s of group) {
        try {
          let applied = 0;
          if (!pause) applied = this.store.apply(s.fresh, s.receivedAt).applied;
          else
            for (let i = 0; i < s.fresh.length; i += APPLY_SLICE_EVENTS) {
              applied += this.store.apply(s.fresh.slice(i, i + APPLY_SLICE_EVENTS), s.receivedAt).applied;
              await pause();
            }
          this.ingested.inc({ source: s.source }, applied);
          s.options.charge?.(applied);
          const answer: IngestResult = {
            ok: true,
            accepted: s.events.length,
            applied,
            duplicates: s.events.length - applied,
          };
          answers.push(() => s.answer(answer));
        } catch (err) {
          answers.push(() => s.fail(err));
        }
      }
    } finally {
      if (sliced) this.store.release();
    }
    for (const answer of answers) answer();
  }

  /** Resolves once nothing is staged or being committed. */
  private settled(): Promise<void> {
    if (!this.round && this.staged.length === 0) return Promise.resolve();
    return new Promise((wake) => this.idleWaiters.push(wake));
  }

  private refuse(
    status: IngestRefusal['status'],
    reason: string,
    count: number,
    error: string,
    problems: EventProblem[],
  ): IngestRefusal {
    this.reject(reason, count);
    return { ok: false, status, reason, error, problems };
  }

  /**
   * Runs `check` in the one ordering queue. The queue moves on as soon as a batch is checked
   * and staged; the returned promise settles with the batch's answer, after its commit.
   */
  private enqueue(check: (stage: Ingestor['stage']) => Promise<Checked> | Checked): Promise<IngestResult> {
    const stage = this.stage.bind(this);
    const checked = this.tail.then(
      () => check(stage),
      () => check(stage),
    );
    this.tail = checked.catch(() => undefined);
    return checked.then((c) => ('pending' in c ? c.pending : c));
  }
}
