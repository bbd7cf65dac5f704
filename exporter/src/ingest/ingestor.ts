/**
 * The one ingest service every source uses (HTTP, demo, NATS, replay). Inside one ordering
 * queue it runs decode → adapt (a foreign format such as Gal Friday's) → validate → bound
 * (cardinality caps) → journal → apply, so an adapter that reads the state (a cumulative
 * fill, say) reads it as the previous batch left it, and the journal and the state see
 * batches in the same order. Every answer is atomic: a refusal applies nothing and
 * journals nothing. Controllers (http/, sources/) only translate the result.
 */
import type { Logger } from 'pino';
import { decodeEvents } from '../events/decode';
import { validateBatch, type EventProblem } from '../events/validate';
import type { TradingEvent } from '../events/schema';
import type { CardinalityLimits } from '../config';
import type { Store } from '../state/store';
import { LabeledCounter } from '../state/tallies';
import { checkCardinality } from './cardinality';

/** Where validated batches are made durable before they are applied (storage/). */
export interface Journal {
  append(events: readonly TradingEvent[], receivedAt?: number): Promise<void>;
}

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
    return this.enqueue(() => {
      const count = 'values' in input ? input.values.length : 1;
      let raws: unknown[];
      if ('values' in input) raws = [...input.values];
      else {
        const decoded = decodeEvents(input.text, input.ndjson);
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
      const batch = validateBatch(raws);
      if (!batch.ok)
        return this.refuse(
          400,
          'invalid_event',
          raws.length,
          `${new Set(batch.problems.map((p) => p.index)).size} invalid event(s); nothing of this batch was applied`,
          batch.problems,
        );
      const committed = this.commit(batch.events, source, options);
      return refused.length === 0 ? committed : committed.then((r) => (r.ok ? { ...r, refused } : r));
    });
  }

  /** Applies events already validated (NATS and replay sources validate per message or line). */
  ingestValid(events: TradingEvent[], source: string, options: IngestOptions = {}): Promise<IngestResult> {
    return this.enqueue(() => this.commit(events, source, options));
  }

  reject(reason: string, count = 1): void {
    this.rejected.inc({ reason }, count);
    this.log.debug({ reason, count }, 'events rejected');
  }

  private async commit(
    events: TradingEvent[],
    source: string,
    options: IngestOptions,
  ): Promise<IngestResult> {
    if (this.limits) {
      const over = checkCardinality(this.store, events, this.limits);
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
    if (this.journal && fresh.length > 0) {
      try {
        await this.journal.append(fresh, now);
      } catch (err) {
        this.log.error({ err: (err as Error).message, source }, 'ingest: the journal refused a batch');
        return this.refuse(
          500,
          'journal_failed',
          events.length,
          `the batch was not made durable: ${(err as Error).message}`,
          [],
        );
      }
    }
    const result = this.store.apply(fresh, now);
    this.ingested.inc({ source }, result.applied);
    options.charge?.(result.applied);
    return {
      ok: true,
      accepted: events.length,
      applied: result.applied,
      duplicates: events.length - result.applied,
    };
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

  private enqueue(run: () => IngestResult | Promise<IngestResult>): Promise<IngestResult> {
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
