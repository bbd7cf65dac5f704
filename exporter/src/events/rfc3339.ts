/**
 * The one reader of RFC 3339 times, for event `ts` (the schema and its fast path) and the
 * history API's `from`/`to`.
 *
 * RFC 3339's grammar (section 5.6), no more: the offset is `Z` or `±hh:mm`
 * (time-numoffset = ("+" / "-") time-hour ":" time-minute), so `+0100` (ISO 8601's basic
 * form, strftime's %z) is refused. Every producer tradewatch knows sends the colon:
 * Python's isoformat(), JavaScript's toISOString(), Go's time.RFC3339, Java's
 * OffsetDateTime, Rust's chrono to_rfc3339(); the adapters send epoch milliseconds; and the
 * published event schema already says `format: date-time`, which is this grammar.
 * Allowed as the RFC allows: `t`/`z` in lower case and a space for `T` (its note in 5.6),
 * any number of fraction digits (kept to the millisecond, truncated), and a leap second
 * (`:60`, read as the first instant of the next minute: epoch time has no 61st second).
 *
 * Not Date.parse: it takes 2026-02-30 for March 2 and 24:00 for the next midnight, and
 * refuses a leap second; each field is checked here instead.
 */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** 400 Gregorian years, in ms: shifting a date by it keeps its weekday and leap years. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch milliseconds of an RFC 3339 date-time, or undefined when `text` is not one. */
export function parseRfc3339(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = 0;
  if (!m[8]) {
    const offsetHour = Number(m[10]);
    const offsetMinute = Number(m[11]);
    if (offsetHour > 23 || offsetMinute > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  // Date.UTC reads years 0–99 as 1900–1999: computed 400 years later and shifted back.
  const utc = Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS;
  return utc - offsetMinutes * 60_000;
}
