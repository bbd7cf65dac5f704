/**
 * The live state of every engine. A validated batch is applied in order; the changes it
 * made are handed to listeners (the feed) after the whole batch is in. A batch too large
 * to apply in one turn of the event loop is applied in slices under `hold()`: listeners
 * hear its changes at `release()`, and readers of the state (scrapes, the read API, feed
 * snapshots) wait for `settled()`, so none of them sees half a batch.
 */
import type { TradingEvent } from '../events/schema';
import type { Change, FeedChannel } from './changes';
import { EngineState, type AccountingNotice } from './engine';
import type { EquityOptions } from './portfolio/analytics';
import { BoundedSet } from './common/bounded';

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

/**
 * A listener that takes changes a slice at a time (`onChanges(…, { inSlices: true })`) gets
 * a large release this many at a time, the loop turning between slices: the history took
 * the rows of a 43 k-event batch in one 35 ms stretch (docs/events.md, "Large batches").
 */
export const RELEASE_SLICE_CHANGES = 2048;

/**
 * Channels of which a held batch keeps only each row's newest upsert, in the place of its
 * first (a removal is always kept, and an upsert after it is kept apart): the listeners keep
 * these rows by key, newest first-placed as a Map keeps them (the feed's pending rows), and
 * the history reads only their removals (an order's final state) or none. A 43 k-event batch
 * made 60 k such upserts, each a record living through the whole batch, of which scavenges
 * cost in proportion (docs/events.md, "Large batches").
 */
const NEWEST_UPSERT_ONLY: ReadonlySet<FeedChannel> = new Set<FeedChannel>(['orders', 'positions', 'status']);

export class Store {
  readonly engines = new Map<string, EngineState>();
  private readonly eventIds: BoundedSet;
  private readonly listeners = new Set<ChangeListener>();
  private readonly slicedListeners = new Set<ChangeListener>();
  /** Changes still to hand to the sliced listeners, in order (null: no release in slices under way). */
  private toSlice: Change[] | null = null;
  /** Changes kept while held (null: not held). */
  private held: Change[] | null = null;
  /** While held: per channel of NEWEST_UPSERT_ONLY, the place in `held` of each key's upsert since its last removal. */
  private heldUpserts = new Map<FeedChannel, Map<string, number>>();
  private settledWaiters: (() => void)[] = [];

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

  /** True when an event of this engine with this id was applied (an adapter skips a copy it has seen). */
  hasEventId(engine: string, id: string): boolean {
    return this.eventIds.has(`${engine}\u0000${id}`);
  }

  /** True when the event carries an id already applied, or is a fill whose (engine, fill_id) was. */
  isDuplicate(event: TradingEvent): boolean {
    if (event.id !== undefined && this.eventIds.has(`${event.engine}\u0000${event.id}`)) return true;
    return (
      event.type === 'fill' && this.engines.get(event.engine)?.execution.fillIds.has(event.fill_id) === true
    );
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
      if (event.type === 'fill' && this.engines.get(event.engine)?.execution.fillIds.has(event.fill_id)) {
        duplicates += 1;
        continue;
      }
      this.engine(event.engine).apply(event, changes, receivedAt);
      applied += 1;
    }
    if (this.held) this.keep(this.held, changes);
    else if (changes.length > 0) this.hand(changes);
    return { applied, duplicates, changes };
  }

  private keep(held: Change[], changes: readonly Change[]): void {
    for (const change of changes) {
      if (NEWEST_UPSERT_ONLY.has(change.channel)) {
        let places = this.heldUpserts.get(change.channel);
        if (!places) this.heldUpserts.set(change.channel, (places = new Map()));
        if (change.row === null) places.delete(change.key);
        else {
          const at = places.get(change.key);
          if (at !== undefined) {
            held[at] = change;
            continue;
          }
          places.set(change.key, held.length);
        }
      }
      held.push(change);
    }
  }

  /** From now until `release()`, applied changes are kept for the listeners and readers wait. */
  hold(): void {
    this.held ??= [];
  }

  /** Hands the kept changes to the listeners in one go and lets the waiting readers in. */
  release(): void {
    const changes = this.unhold();
    if (changes.length > 0) this.hand(changes);
  }

  /**
   * `release()`, but the listeners that take changes in slices (the history) get them
   * RELEASE_SLICE_CHANGES at a time, `pause` letting the loop turn between; the readers are
   * let in and the other listeners (the feed) get the whole batch at once. Resolves once
   * every slice is handed over: until then, changes applied meanwhile queue behind them.
   */
  async releaseInSlices(pause: () => Promise<void>): Promise<void> {
    const changes = this.unhold();
    if (changes.length === 0) return;
    for (const listener of this.listeners) listener(changes);
    if (this.toSlice) {
      for (const change of changes) this.toSlice.push(change); // the release under way hands them over
      return;
    }
    const queue = (this.toSlice = changes);
    try {
      for (let i = 0; i < queue.length; i += RELEASE_SLICE_CHANGES) {
        const slice = queue.slice(i, i + RELEASE_SLICE_CHANGES);
        for (const listener of this.slicedListeners) listener(slice);
        await pause();
      }
    } finally {
      this.toSlice = null;
    }
  }

  /** Ends the hold: the changes kept, and the readers let in. */
  private unhold(): Change[] {
    const changes = this.held ?? [];
    this.held = null;
    this.heldUpserts = new Map();
    for (const wake of this.settledWaiters.splice(0)) wake();
    return changes;
  }

  /** Hands changes to every listener now, behind a release in slices under way for the sliced ones. */
  private hand(changes: Change[]): void {
    for (const listener of this.listeners) listener(changes);
    if (this.toSlice) for (const change of changes) this.toSlice.push(change);
    else for (const listener of this.slicedListeners) listener(changes);
  }

  /** True while a batch is being applied in slices. */
  get isHeld(): boolean {
    return this.held !== null;
  }

  /** Resolves when no batch is half applied (at once, mostly). */
  settled(): Promise<void> {
    if (this.held === null) return Promise.resolve();
    return new Promise((wake) => this.settledWaiters.push(wake));
  }

  /** `inSlices`: the listener may get a large release in slices, over several turns of the loop. */
  onChanges(listener: ChangeListener, { inSlices = false }: { inSlices?: boolean } = {}): () => void {
    const set = inSlices ? this.slicedListeners : this.listeners;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Event ids remembered for idempotency, oldest first (for durable snapshots). */
  rememberedEventIds(): string[] {
    return this.eventIds.toArray();
  }
}
