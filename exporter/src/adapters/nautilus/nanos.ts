/**
 * NautilusTrader's times, exactly: UNIX nanoseconds as an integer (Rust serde), a string of
 * digits (the Python node writes `ts_*` fields as strings), or an ISO 8601 string with up to
 * nine fraction digits (`timestamps_as_iso8601`). tradewatch keeps epoch milliseconds, so the
 * nanoseconds are cut to the millisecond they fall in, in integer arithmetic: no double ever
 * holds the nanosecond count. The bounds (events/bounds.ts) then apply to the result.
 */
const DIGITS = /^\d{1,20}$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of a Nautilus time, or null when it is not one. */
export function nanosToMs(value: unknown): number | null {
  if (typeof value === 'number') {
    // Small integers only: a JSON number above 2^53 was already rounded (exact-json.ts keeps those as strings).
    if (!Number.isSafeInteger(value) || value < 0) return null;
    return Math.floor(value / 1_000_000);
  }
  if (typeof value !== 'string') return null;
  if (DIGITS.test(value)) {
    // A 20-digit count is past year 2500: refused by the bounds later, not here.
    const ms = value.length > 6 ? Number(value.slice(0, -6)) : 0;
    return Number.isSafeInteger(ms) ? ms : null;
  }
  const m = ISO.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return null;
  ms += Number(frac.padEnd(3, '0').slice(0, 3));
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ms;
}
