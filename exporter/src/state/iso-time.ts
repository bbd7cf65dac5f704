/**
 * Epoch milliseconds as an RFC 3339 string (`Date#toISOString`), remembering the last
 * answer: the rows one event produces (an order, a fill, its position, the engine's
 * status) mostly carry the same time.
 */
let lastMs = NaN;
let lastIso = '';

export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
