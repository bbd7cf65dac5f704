/**
 * Recent marks of one symbol, sorted by event time (equal times in order of arrival): what
 * execution quality looks an order's arrival price up in (docs/metrics.md, "Market data
 * and execution quality"). Bounded: MARK_RING marks a symbol.
 */

/** Marks remembered per symbol for arrival look-ups of orders created before their first event. */
export const MARK_RING = 64;

export interface MarkRing {
  ts: number[];
  price: number[];
}

/** Adds a mark after every mark at or before `ts` (usually the end: marks come in time order). */
export function addToRing(ring: MarkRing, ts: number, price: number): void {
  const i = upperBound(ring.ts, ts);
  if (i === ring.ts.length) {
    ring.ts.push(ts);
    ring.price.push(price);
  } else {
    ring.ts.splice(i, 0, ts);
    ring.price.splice(i, 0, price);
  }
  if (ring.ts.length > MARK_RING) {
    ring.ts.shift();
    ring.price.shift();
  }
}

/** The latest price at or before `at` that the ring still holds. */
export function ringAt(ring: MarkRing, at: number): number | null {
  const i = upperBound(ring.ts, at) - 1;
  return i >= 0 ? ring.price[i] : null;
}

/** First index whose value is greater than `x` in an ascending array. */
function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
