/**
 * Bounds on event time (docs/architecture.md, "Bounds"; docs/events.md, "Bounds"): every time field lies between 2000-01-01Z and
 * 24 h after the exporter's clock. A time outside is refused at the edge, so nothing past
 * validation ever meets a time that Date cannot write or that crosses a million periods.
 */
export const EARLIEST_EVENT_MS = Date.UTC(2000, 0, 1);
/** How far ahead of the exporter's clock an engine's clock may run. */
export const MAX_AHEAD_MS = 24 * 3_600_000;

export function latestEventMs(now = Date.now()): number {
  return now + MAX_AHEAD_MS;
}

export function isTimeInBounds(ms: number, now = Date.now()): boolean {
  return ms >= EARLIEST_EVENT_MS && ms <= latestEventMs(now);
}

/** Why a time is out of bounds, with a hint when it looks like the wrong unit. */
export function timeBoundsProblem(ms: number, now = Date.now()): string {
  const range = `between 2000-01-01T00:00:00Z and 24 h after the exporter's clock (${new Date(
    latestEventMs(now),
  ).toISOString()})`;
  let hint = '';
  if (ms > latestEventMs(now)) {
    if (ms / 1e6 >= EARLIEST_EVENT_MS && ms / 1e6 <= latestEventMs(now))
      hint = '; it looks like epoch nanoseconds';
    else if (ms / 1e3 >= EARLIEST_EVENT_MS && ms / 1e3 <= latestEventMs(now))
      hint = '; it looks like epoch microseconds';
  } else if (ms * 1e3 >= EARLIEST_EVENT_MS && ms * 1e3 <= latestEventMs(now)) {
    hint = '; it looks like epoch seconds';
  }
  return `must lie ${range}${hint}: send epoch milliseconds or an RFC 3339 time`;
}

/** True when every time field of an already-parsed event is in bounds (journals written before the bounds). */
export function eventTimesInBounds(
  event: { ts: number; created_at?: number; orders?: readonly { created_at?: number }[] },
  now = Date.now(),
): boolean {
  if (!isTimeInBounds(event.ts, now)) return false;
  if (event.created_at !== undefined && !isTimeInBounds(event.created_at, now)) return false;
  return !event.orders?.some((o) => o.created_at !== undefined && !isTimeInBounds(o.created_at, now));
}
