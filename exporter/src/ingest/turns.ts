/**
 * Sharing the event loop: work on a large batch (or a snapshot) is done in slices, and
 * between slices the loop turns, so /healthz, scrapes and other clients' requests are
 * answered (docs/events.md, "Large batches").
 */

/** A pause: resolves at once while the budget lasts, else after one turn of the loop. */
export type Pause = () => Promise<void>;

/**
 * Work between two turns of the loop. A turn lasts this, plus the rest of the slice under way,
 * plus any GC pause that falls in it; at 20 ms, with slices of 512 events, turns ran 35–40 ms
 * before any GC (a 10 MB batch at load 4–6, docs/events.md "Large batches"), so 10.
 */
export const TURN_BUDGET_MS = 10;

/** Work loops over events call their pause every this many events (a power of two). */
export const PAUSE_EVERY_EVENTS = 128;

/** Pauses that let the event loop turn once `budgetMs` of work has passed since the last turn. */
export function breather(budgetMs = TURN_BUDGET_MS): Pause {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

/** A pause that never pauses (a small batch is done in one go). */
export const noPause: Pause = async () => undefined;
