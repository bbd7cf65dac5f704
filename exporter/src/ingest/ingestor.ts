/**
 * The one ingest path every source uses (HTTP, demo, NATS, replay): validate the whole
 * batch, make it durable, then apply it. Batches are serialized, so the journal and the
 * state see them in the same order.
 */
import type { Logger } from 'pino';
import { validateBatch, type EventProblem } from '../events/validate';
import type { TradingEvent } from '../events/schema';
import type { Store } from '../state/store';
import { LabeledCounter } from '../state/tallies';

/** Where validated batches are made durable before they are applied (storage/). */
export interface Journal {
  append(events: readonly TradingEvent[]): Promise<void>;
}

export type IngestResult =
  | { ok: true; accepted: number; applied: number; duplicates: number }
  | { ok: false; problems: EventProblem[] };

export class Ingestor {
  readonly rejected = new LabeledCounter(); // reason
  readonly ingested = new LabeledCounter(); // source
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly journal: Journal | null = null,
    /** Wall-clock ms each engine was last heard from (duplicates count: the engine is alive). */
    readonly lastSeen = new Map<string, number>(),
  ) {}

  /** Validates and applies raw (decoded JSON) events as one atomic batch. */
  ingest(raws: readonly unknown[], source: string): Promise<IngestResult> {
    const batch = validateBatch(raws);
    if (!batch.ok) {
      this.reject('invalid_event', raws.length);
      return Promise.resolve({ ok: false, problems: batch.problems });
    }
    return this.ingestValid(batch.events, source);
  }

  /** Applies events already validated (an adapter's output, or the journal on restore). */
  ingestValid(events: TradingEvent[], source: string): Promise<IngestResult> {
    const run = async (): Promise<IngestResult> => {
      const now = Date.now();
      for (const e of events) this.lastSeen.set(e.engine, now);
      const fresh = events.filter((e) => !this.store.isDuplicate(e));
      if (this.journal && fresh.length > 0) await this.journal.append(fresh);
      const result = this.store.apply(fresh);
      this.ingested.inc({ source }, result.applied);
      return {
        ok: true,
        accepted: events.length,
        applied: result.applied,
        duplicates: events.length - result.applied,
      };
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  reject(reason: string, count = 1): void {
    this.rejected.inc({ reason }, count);
    this.log.debug({ reason, count }, 'events rejected');
  }
}
