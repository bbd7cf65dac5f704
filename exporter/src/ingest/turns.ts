/**
 * Sharing the event loop: work on a large batch (or a snapshot) is done in slices, and
 * between slices the loop turns, so /healthz, scrapes and other clients' requests are
 * answered (docs/events.md, "Large batches").
 */

/** A pause: resolves at once while the budget lasts, else after one turn of the loop. */
export type Pause = () => Promise<void>;

/** Pauses that let the event loop turn once `budgetMs` of work has passed since the last turn. */
export function breather(budgetMs = 20): Pause {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

/** A pause that never pauses (a small batch is done in one go). */
export const noPause: Pause = async () => undefined;
