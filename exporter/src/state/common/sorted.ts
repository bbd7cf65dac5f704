/** Sorted string arrays kept sorted by binary search (valuation gaps). */

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts into a sorted array unless present; false when it was there. */
export function insertSorted(sorted: string[], value: string): boolean {
  const at = lowerBound(sorted, value);
  if (sorted[at] === value) return false;
  sorted.splice(at, 0, value);
  return true;
}

export function removeSorted(sorted: string[], value: string): void {
  const at = lowerBound(sorted, value);
  if (sorted[at] === value) sorted.splice(at, 1);
}
