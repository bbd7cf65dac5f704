/**
 * Rows the history writer could not hold in memory, derived again from the journal: a state
 * of its own (never the live one) is restored from the newest snapshot before the first
 * record whose rows the store lacks, the journal's records are applied to it one by one, and
 * the rows they leave are written in slices of `batchRows`, each written before the next
 * slice is derived (so memory holds one slice and one state, whatever the outage's length).
 * The event loop turns at least every 20 ms. When the records run out (the journal's end),
 * `atEnd` hands the last, partial slice back to the writer synchronously, and the writer
 * follows the live state again from there.
 */
import type { Store } from '../state/store';
import { addRows, orderState } from './rows';
import { emptyBatch, type HistoryBatch } from './store';
import type { OrderState } from './tables';

/** The journal as the catch-up reads it (storage/journal.ts's DurableJournal). */
export interface JournalSource {
  replayFor(
    from: number,
    into: Store,
    each: (seq: number) => Promise<void>,
    atEnd: (through: number) => void,
  ): Promise<void>;
}

export interface CatchUpSource {
  journal: JournalSource;
  /** An empty state with the live state's options. */
  newState(): Store;
}

export interface CatchUpSteps {
  batchRows: number;
  /**
   * True while the store is known down: the slice is written at once (however small), so the
   * pass waits there, with backoff, until the store is back, instead of deriving rows no store
   * takes (and starting over from the snapshot each time the records run out).
   */
  storeDown(): boolean;
  /** Writes a slice, retrying with backoff until it is stored; throws only when the writer closes. */
  write(batch: HistoryBatch, rows: number): Promise<void>;
  /** The records ran out: the partial slice (its rows from records `from` on) goes to the live queue. */
  atEnd(rest: HistoryBatch, rows: number, from: number): void;
}

export async function catchUp(source: CatchUpSource, from: number, steps: CatchUpSteps): Promise<void> {
  const shadow = source.newState();
  let slice = emptyBatch();
  let rows = 0;
  let sliceFrom = from;
  let seq = from;
  // The record a change comes from is known once it is applied (`each`): its order states
  // are numbered then, as the live writer numbers them (rows.ts, JournalPlaces).
  let unplaced: OrderState[] = [];
  const stop = shadow.onChanges((changes) => {
    rows += addRows(slice, changes, (row) => {
      const state = orderState(row, 0, 0);
      unplaced.push(state);
      return state;
    });
  });
  let since = performance.now();
  try {
    await source.journal.replayFor(
      from,
      shadow,
      async (applied) => {
        unplaced.forEach((state, pos) => {
          state.journal_seq = applied;
          state.journal_pos = pos;
        });
        unplaced = [];
        seq = applied + 1;
        if (rows >= steps.batchRows || (rows > 0 && steps.storeDown())) {
          const full = slice;
          const n = rows;
          slice = emptyBatch();
          rows = 0;
          sliceFrom = seq;
          await steps.write(full, n);
          since = performance.now();
        } else if (performance.now() - since >= 20) {
          await new Promise((resolve) => setImmediate(resolve));
          since = performance.now();
        }
      },
      () => steps.atEnd(slice, rows, sliceFrom),
    );
  } finally {
    stop();
  }
}
