/**
 * Analytics windows over event time (1d, 7d, 30d, all by default). A window of length W
 * ends at the engine's latest event time: return statistics take the periods that ended
 * in the last W before the latest period boundary passed; round-trip statistics take the
 * round trips that ended in the last W (to the minute). `all` is the engine's whole life.
 */

export interface AnalyticsWindow {
  name: string;
  /** Length in ms; null for the engine's whole life. */
  ms: number | null;
}

export interface AnalyticsWindows {
  windows: readonly AnalyticsWindow[];
  periodsPerYear: number;
}

/** How long samples and round-trip buckets must be kept: the longest finite window. */
export function retentionMs(windows: readonly AnalyticsWindow[]): number {
  return Math.max(0, ...windows.map((w) => w.ms ?? 0));
}
