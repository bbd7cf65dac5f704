/** Analytics windows over event time (1d, 7d, 30d, all). */
import type { EquitySample } from './analytics';
import type { RoundTrip } from './engine';

export interface AnalyticsWindow {
  name: string;
  /** Length in ms; null for the engine's whole life. */
  ms: number | null;
}

export interface AnalyticsWindows {
  windows: readonly AnalyticsWindow[];
  periodsPerYear: number;
}

export function samplesInWindow(samples: readonly EquitySample[], now: number, ms: number | null): EquitySample[] {
  if (ms === null) return samples as EquitySample[];
  const from = now - ms;
  // The sample at or just before the window's start is the base of its first return.
  let start = samples.length;
  while (start > 0 && samples[start - 1].ts > from) start--;
  return samples.slice(Math.max(0, start - 1));
}

export function tripsInWindow(trips: readonly RoundTrip[], now: number, ms: number | null): RoundTrip[] {
  if (ms === null) return trips as RoundTrip[];
  const from = now - ms;
  let start = trips.length;
  while (start > 0 && trips[start - 1].ts > from) start--;
  return trips.slice(start);
}
