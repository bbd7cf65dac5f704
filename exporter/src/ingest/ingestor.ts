/**
 * The one ingest service every source uses (HTTP, demo, NATS, replay, the producers'
 * sources): each hands it raw values or text, never events it checked itself. Inside one
 * ordering queue it runs decode → adapt (a foreign format such as Gal Friday's) → validate → bound
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
import type { BodyText } from '../events/body-text';
import { decodeEvents, decodeEventsInRuns, decodeEventsSliced, sentArrayText } from '../events/decode';
import {
  validateBatch,
  validateBatchSliced,
  validateEachSliced,
  validateRunInto,
  type EventProblem,
} from '../events/validate';
import type { TradingEvent } from '../events/schema';
import type { CardinalityLimits } from '../config';
import type { Store } from '../state/store';
import { LabeledCounter } from '../state/common/counters';
import { checkCardinality } from './cardinality';
import { breather, PAUSE_EVERY_EVENTS, TURN_BUDGET_MS, type Pause } from './turns';

/** Where validated batches are made durable before they are applied (storage/). */
export interface Journal {
  /** Makes every batch durable as its own record, in order, by one write (group commit). */
  appendAll(
    batches: readonly {
      events: readonly TradingEvent[];
      receivedAt: number;
      sent?: () => readonly string[];
    }[],
  ): Promise<void>;
}

/**
 * A batch's values checked: its events (with, when values were left out, the index of the
 * value each came from), the values left out, and how many values the batch had.
 */
interface CheckedValues {
  events: TradingEvent[];
  indices: readonly number[] | null;
  refused: EventProblem[];
  count: number;
}

/** What the queue's check of a batch gives: a refusal now, or the answer to come after its commit. */
type Checked = IngestResult | { pending: Promise<IngestResult> };

/** A checked batch waiting for its group's write and sync, then its apply. */
interface Staged {
  events: TradingEvent[];
  /** The events not already in the state (duplicates are acknowledged, not journaled). */
  fresh: TradingEvent[];
  receivedAt: number;
  /** The batch's text as sent (a JSON array's, one line, in pieces), for the journal; absent when not at hand. */
  sent?: () => readonly string[];
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

/** A group with more events than this is applied in slices, under the store's hold. */
const SLICED_APPLY_EVENTS = 512;
/**
 * A slice of applying: 512 events took 12–17 ms at load 6 and a turn ran to the budget plus
 * one whole slice; 128 take about a quarter of that. Decoding, validating, journaling and applying
 * let the loop turn every TURN_BUDGET_MS of work (docs/events.md, "Large batches").
 */
const APPLY_SLICE_EVENTS = PAUSE_EVERY_EVENTS;

/** Turns a foreign format's decoded values into tradewatch events (run inside the queue). */
export type Adapter = (raws: unknown[]) =>
  | {
      ok: true;
      events: unknown[];
      /** Values left out alone (the rest of the batch goes on). */
      refused?: EventProblem[];
    }
  | { ok: false; problems: EventProblem[] };

/**
 * What a caller hands in: decoded values, a body still to decode, or several bodies (a NATS
 * pull's messages, each JSON: an event or an array), each all or nothing on its own: one
 * that is not valid JSON or holds an invalid event is left out alone and named in the
 * answer's `refusedMessages`; the others are one batch (one journal record).
 */
export type IngestInput =
  { values: readonly unknown[] } | { text: BodyText; ndjson: boolean } | { messages: readonly string[] };

/** A message of a `messages` input left out: its index, why (the rejected reason), and its problems. */
export interface MessageRefusal {
  message: number;
  reason: 'malformed_json' | 'invalid_event';
  problems: EventProblem[];
}

export interface IngestOptions {
  /** A foreign format by name (`?format=`); absent or `tradewatch` for the native schema. */
  format?: string;
  /**
   * The values are independent records (replay's lines): one that is not a valid event is
   * left out alone, counted as `invalid_event` and named in the answer's `refused`, and the
   * rest of the batch goes on. Without it, one invalid value refuses the whole batch.
   */
  leaveOutInvalid?: boolean;
  /**
   * An id for each event that has none, by the index of its value among those validated (an
   * adapter's output, when there is one; for `messages`, within its message, whose index is
   * the second argument): a source that can name a record by where it found it (a stream's
   * sequence, a file's line) makes a redelivery or a second replay apply nothing twice.
   */
  idFor?: (index: number, message: number) => string;
  /** Charged for what is applied, once it is applied (a refused batch costs nothing). */
  charge?: (applied: number) => void;
}

export type IngestResult =
  | {
      ok: true;
      accepted: number;
      applied: number;
      duplicates: number;
      refused?: EventProblem[];
      /** For `messages`: the messages left out. */
      refusedMessages?: MessageRefusal[];
    }
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
    if ('messages' in input)
      return this.enqueue((stage) => this.checkMessages(input.messages, source, options, stage));
    return this.enqueue(async (stage) => {
      // A large batch is checked a slice at a time, the event loop turning in between.
      const pause = breather(TURN_BUDGET_MS);
      const format = options.format ?? 'tradewatch';
      const checked =
        'text' in input && format === 'tradewatch' && !options.leaveOutInvalid
          ? await this.validateAsDecoded(input, pause)
          : await this.checkValues(input, format, options, pause);
      if ('status' in checked) return checked;
      const { events, indices, refused, count } = checked;
      const { idFor } = options;
      if (idFor)
        events.forEach((e, k) => {
          if (e.id === undefined) e.id = idFor(indices ? indices[k] : k, 0);
        });
      // The body's own text goes to the journal (no second stringify), for the native format
      // only, and only when the journaled events are exactly the body's (nothing left out, no
      // id given here). A large batch's record is made from it in slices (storage/journal-files.ts,
      // SENT_RECORD_MAX_EVENTS).
      const text =
        'text' in input && format === 'tradewatch' && events.length === count && !idFor ? input : null;
      const sent = text ? () => sentArrayText(text.text, text.ndjson, count) : undefined;
      const staged = await stage(events, source, options, pause, sent);
      if (refused.length === 0 || !('pending' in staged)) return staged;
      return { pending: staged.pending.then((r) => (r.ok ? { ...r, refused } : r)) };
    });
  }

  /**
   * A body in the native format, all or nothing: each run of values is validated as soon as
   * it is decoded and then dropped, so only the validated events live through the batch
   * (a 10 MB body's decoded values surviving it made the scavenges that held the loop:
   * docs/events.md, "Large batches"). The same answers as decoding first: a body malformed
   * anywhere is refused as malformed, whatever invalid events came before the fault.
   */
  private async validateAsDecoded(
    input: { text: BodyText; ndjson: boolean },
    pause: Pause,
  ): Promise<CheckedValues | IngestRefusal> {
    const events: TradingEvent[] = [];
    const problems: EventProblem[] = [];
    const decoded = await decodeEventsInRuns(input.text, input.ndjson, pause, (run, first) =>
      validateRunInto(run, first, events, problems, pause),
    );
    if (!decoded.ok) return this.refuseMalformed(decoded.problems);
    if (problems.length > 0) return this.refuseInvalid(decoded.count, problems);
    return { events, indices: null, refused: [], count: decoded.count };
  }

  /** Values handed in, or a body decoded whole: adapted (a foreign format), then validated. */
  private async checkValues(
    input: { values: readonly unknown[] } | { text: BodyText; ndjson: boolean },
    format: string,
    options: IngestOptions,
    pause: Pause,
  ): Promise<CheckedValues | IngestRefusal> {
    let raws: unknown[];
    if ('values' in input) raws = [...input.values];
    else {
      const decoded = await decodeEventsSliced(input.text, input.ndjson, pause);
      if (!decoded.ok) return this.refuseMalformed(decoded.problems);
      raws = decoded.values;
    }
    const count = raws.length;
    let refused: EventProblem[] = [];
    if (format !== 'tradewatch') {
      // A Map, not an object: `?format=constructor` names no adapter (it once gave a 500).
      const adapter = this.adapters.get(format);
      if (!adapter)
        return this.refuse(
          400,
          'unknown_format',
          'values' in input ? count : 1,
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
    if (options.leaveOutInvalid) {
      const each = await validateEachSliced(raws, pause);
      if (each.problems.length > 0) {
        this.reject('invalid_event', raws.length - each.events.length);
        refused = [...refused, ...each.problems];
      }
      return { events: each.events, indices: each.indices, refused, count: raws.length };
    }
    const batch = await validateBatchSliced(raws, pause);
    if (!batch.ok) return this.refuseInvalid(raws.length, batch.problems);
    return { events: batch.events, indices: null, refused, count: raws.length };
  }

  private refuseMalformed(problems: EventProblem[]): IngestRefusal {
    return this.refuse(
      400,
      'malformed_json',
      1,
      `the body is not valid JSON or NDJSON: ${problems[0].reason}`,
      problems,
    );
  }

  private refuseInvalid(count: number, problems: EventProblem[]): IngestRefusal {
    return this.refuse(
      400,
      'invalid_event',
      count,
      `${new Set(problems.map((p) => p.index)).size} invalid event(s); nothing of this batch was applied`,
      problems,
    );
  }

  /** Decodes and validates each message on its own, leaves out the bad ones (counted), and stages the rest as one batch. */
  private async checkMessages(
    messages: readonly string[],
    source: string,
    options: IngestOptions,
    stage: Ingestor['stage'],
  ): Promise<Checked> {
    if (options.format !== undefined && options.format !== 'tradewatch')
      throw new Error('ingest: messages are in the native format only');
    const pause = breather(TURN_BUDGET_MS);
    const events: TradingEvent[] = [];
    const refusedMessages: MessageRefusal[] = [];
    for (let m = 0; m < messages.length; m++) {
      const checked = this.checkMessage(messages[m], m);
      if ('reason' in checked) refusedMessages.push(checked);
      else
        checked.forEach((e, i) => {
          if (e.id === undefined && options.idFor) e.id = options.idFor(i, m);
          events.push(e);
        });
      await pause();
    }
    const checked = await stage(events, source, options, pause);
    if (refusedMessages.length === 0 || !('pending' in checked)) return checked;
    return { pending: checked.pending.then((r) => (r.ok ? { ...r, refusedMessages } : r)) };
  }

  /** One message's events, or why it is left out (counted as the HTTP path counts a body). */
  private checkMessage(text: string, message: number): TradingEvent[] | MessageRefusal {
    const decoded = decodeEvents(text, false);
    if (!decoded.ok) {
      this.reject('malformed_json');
      return { message, reason: 'malformed_json', problems: decoded.problems };
    }
    const batch = validateBatch(decoded.values);
    if (batch.ok) return batch.events;
    this.reject('invalid_event', decoded.values.length);
    return { message, reason: 'invalid_event', problems: batch.problems };
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
    sent?: () => readonly string[],
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
    const fresh: TradingEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      this.lastSeen.set(e.engine, now);
      if (!this.store.isDuplicate(e)) fresh.push(e);
      if (i % PAUSE_EVERY_EVENTS === PAUSE_EVERY_EVENTS - 1) await pause(); // 43 k events: 13–23 ms
    }
    const pending = new Promise<IngestResult>((answer, fail) => {
      this.staged.push({ events, fresh, receivedAt: now, sent, source, options, answer, fail });
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
          await this.journal.appendAll(
            toJournal.map((s) => ({
              events: s.fresh,
              receivedAt: s.receivedAt,
              // The text sent holds every event of the batch: only a batch without duplicates.
              sent: s.fresh.length === s.events.length ? s.sent : undefined,
            })),
          );
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
    const sliced = events > SLICED_APPLY_EVENTS;
    const pause = sliced ? breather(TURN_BUDGET_MS) : null;
    const answers: (() => void)[] = [];
    let handing: Promise<void> | null = null;
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
      // Readers and the feed get the batch whole at once; the history takes its changes in
      // slices (state/store.ts), after the answers but before the next group is journaled:
      // its rows are counted from this group's record.
      if (pause) handing = this.store.releaseInSlices(pause);
    }
    for (const answer of answers) answer();
    await handing;
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
