/**
 * The live state of every engine. A validated batch is applied in order; the changes it
 * made are handed to listeners (the feed) after the whole batch is in.
 */
import type { TradingEvent } from '../events/schema';
import type { Change } from './changes';
import { EngineState, type AccountingNotice } from './engine';
import type { EquityOptions } from './analytics';
import { BoundedSet } from './tallies';

export interface StoreOptions {
  valuationCurrency: string;
  equity: EquityOptions;
  /** Told once per engine and subject when the accounting must leave an amount out (a log line). */
  onNotice?: (notice: AccountingNotice) => void;
  /** Event ids remembered for idempotency (a repeated id is acknowledged, not applied). */
  rememberedEventIds?: number;
}

export interface ApplyResult {
  applied: number;
  duplicates: number;
  changes: Change[];
}

export type ChangeListener = (changes: readonly Change[]) => void;

export class Store {
  readonly engines = new Map<string, EngineState>();
  private readonly eventIds: BoundedSet;
  private readonly listeners = new Set<ChangeListener>();

  constructor(readonly options: StoreOptions) {
    this.eventIds = new BoundedSet(options.rememberedEventIds ?? 1_000_000);
  }

  engine(name: string): EngineState {
    let state = this.engines.get(name);
    if (!state) {
      state = new EngineState(
        name,
        this.options.valuationCurrency,
        this.options.equity,
        this.options.onNotice,
      );
      this.engines.set(name, state);
    }
    return state;
  }

  /** True when the event carries an id already applied, or is a fill whose (engine, fill_id) was. */
  isDuplicate(event: TradingEvent): boolean {
    if (event.id !== undefined && this.eventIds.has(`${event.engine}\u0000${event.id}`)) return true;
    return event.type === 'fill' && this.engines.get(event.engine)?.fillIds.has(event.fill_id) === true;
  }

  /** `receivedAt`: when the batch was received, wall-clock epoch ms (the journal's time on replay). */
  apply(events: readonly TradingEvent[], receivedAt = Date.now()): ApplyResult {
    const changes: Change[] = [];
    let applied = 0;
    let duplicates = 0;
    for (const event of events) {
      if (event.id !== undefined) {
        const key = `${event.engine}\u0000${event.id}`;
        if (this.eventIds.has(key)) {
          duplicates += 1;
          continue;
        }
        this.eventIds.add(key);
      }
      // A fill is identified by (engine, fill_id) whatever its event id (docs/architecture.md, "Identity").
      if (event.type === 'fill' && this.engines.get(event.engine)?.fillIds.has(event.fill_id)) {
        duplicates += 1;
        continue;
      }
      this.engine(event.engine).apply(event, changes, receivedAt);
      applied += 1;
    }
    if (changes.length > 0) for (const listener of this.listeners) listener(changes);
    return { applied, duplicates, changes };
  }

  onChanges(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Event ids remembered for idempotency, oldest first (for durable snapshots). */
  rememberedEventIds(): string[] {
    return this.eventIds.toArray();
  }
}
