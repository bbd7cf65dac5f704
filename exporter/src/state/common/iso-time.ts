/**
 * Epoch milliseconds as an RFC 3339 string, exactly as `Date#toISOString` writes it.
 * Every row the state emits carries a time, so this is on the ingest hot path: integer
 * times in years 0–9999 are written by arithmetic (no Date object), anything else goes
 * through Date; and the last answer is remembered, since the rows one event produces
 * (an order or fill, its position, the engine's status) mostly carry the same time.
 */
const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z. */
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;

let lastMs = NaN;
let lastIso = '';

export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    // Total: a time Date cannot write (validation refuses them) never throws here.
    lastIso =
      Number.isInteger(ms) && ms >= MIN_MS && ms <= MAX_MS
        ? format(ms)
        : Number.isFinite(new Date(ms).getTime())
          ? new Date(ms).toISOString()
          : 'invalid time';
    lastMs = ms;
  }
  return lastIso;
}

function format(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  // Civil date from days since 1970-01-01 (the proleptic Gregorian calendar, as Date uses).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return (
    pad4(year) +
    '-' +
    pad2(month) +
    '-' +
    pad2(day) +
    'T' +
    pad2(hours) +
    ':' +
    pad2(minutes) +
    ':' +
    pad2(seconds) +
    '.' +
    (millis < 10 ? '00' : millis < 100 ? '0' : '') +
    millis +
    'Z'
  );
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

function pad4(n: number): string {
  return n < 10 ? '000' + n : n < 100 ? '00' + n : n < 1000 ? '0' + n : '' + n;
}
