/**
 * Equity over event time: running peak, drawdown, daily PnL, and the equity samples at
 * period boundaries that return statistics are computed from (docs/metrics.md, "Accounting conventions": empyrical).
 *
 * Sampling: equity is sampled at each period boundary of event time (UTC aligned: the
 * boundaries are the multiples of the period since the Unix epoch, so a 1d period samples
 * at 00:00 UTC), as of the last event before the boundary — an event exactly at a
 * boundary comes after it. The first sample is the first boundary after the engine's
 * first event with a known equity. A return is the change between two consecutive
 * samples, so only completed periods count; the period in progress never does.
 *
 * Memory: samples are kept for the longest finite window only; the whole-life window
 * ("all") reads running moments of every return ever taken. Every field is a plain
 * number, null or array of plain objects (serializable as is).
 */
import {
  addReturn,
  addZeroReturns,
  emptyMoments,
  simpleReturn,
  statsOfMoments,
  type ReturnMoments,
  type ReturnStats,
} from './statistics';

export interface EquityOptions {
  /** Sampling period of equity for return statistics, in ms (default 1h). */
  periodMs: number;
  /** Longest finite window kept in samples, in ms (30 days by default). */
  retainMs: number;
}

const DAY_MS = 86_400_000;

export interface EquitySample {
  /** The period boundary (epoch ms, UTC aligned). */
  ts: number;
  equity: number;
}

export class EquityTracker {
  /** Equity after the latest event (valuation currency); null until one is known. */
  current: number | null = null;
  /** Highest equity after any event. */
  peak: number | null = null;
  /** Deepest drawdown from the running peak over the engine's whole life, event by event. */
  maxDrawdownAll = 0;
  /** Latest event time seen. */
  lastTs: number | null = null;
  private dayIndex: number | null = null;
  /** Equity as of the start of the current UTC day (the last value before midnight). */
  dayStartEquity: number | null = null;
  /** Samples within the retention, oldest first. */
  readonly samples: EquitySample[] = [];
  /** The latest sample ever taken (kept even when retention drops it). */
  lastSample: EquitySample | null = null;
  /** Moments of every return since the first sample (the "all" window). */
  readonly allReturns: ReturnMoments = emptyMoments();

  constructor(readonly options: EquityOptions) {}

  observe(ts: number, equity: number | null): void {
    const period = this.options.periodMs;
    // Boundaries crossed since the last event sample the equity as it stood before this event.
    if (this.lastTs !== null && this.current !== null && ts > this.lastTs) {
      const first = Math.floor(this.lastTs / period) * period + period;
      if (first <= ts) {
        const last = Math.floor(ts / period) * period;
        const crossed = (last - first) / period + 1;
        const value = this.current;
        // Every boundary crossed samples the same equity: the first return is the move since
        // the last sample, the others are zero (closed form below), so the work is bounded
        // by the retention, not by the gap (docs/architecture.md, "Bounds").
        if (this.lastSample !== null) {
          const r = simpleReturn(this.lastSample.equity, value);
          if (r !== undefined) addReturn(this.allReturns, r);
        }
        if (crossed > 1 && simpleReturn(value, value) !== undefined)
          addZeroReturns(this.allReturns, crossed - 1);
        // A long silence crosses many boundaries; only those within the retention are stored.
        const keepFrom = Math.max(first, Math.floor((ts - this.options.retainMs) / period) * period);
        for (let boundary = keepFrom; boundary <= last; boundary += period)
          this.samples.push({ ts: boundary, equity: value });
        this.lastSample = { ts: last, equity: value };
        const horizon = ts - this.options.retainMs - period;
        let drop = 0;
        while (drop < this.samples.length && this.samples[drop].ts < horizon) drop++;
        if (drop > 0) this.samples.splice(0, drop);
      }
    }
    const day = Math.floor(ts / DAY_MS);
    if (this.dayIndex === null || day > this.dayIndex) {
      this.dayIndex = day;
      this.dayStartEquity = this.current ?? equity;
    }
    if (this.lastTs === null || ts > this.lastTs) this.lastTs = ts;
    if (equity === null) return;
    if (this.dayStartEquity === null) this.dayStartEquity = equity;
    this.current = equity;
    if (this.peak === null || equity > this.peak) this.peak = equity;
    const dd = this.drawdown();
    if (dd > this.maxDrawdownAll) this.maxDrawdownAll = dd;
  }

  /** (peak − equity) / peak, a positive fraction; 0 at a new high, without data, or with a peak ≤ 0. */
  drawdown(): number {
    if (this.current === null || this.peak === null || this.peak <= 0) return 0;
    return Math.max(0, (this.peak - this.current) / this.peak);
  }

  /** Equity now minus equity at the start of the current UTC day of event time. */
  dailyPnl(): number {
    if (this.current === null || this.dayStartEquity === null) return 0;
    return this.current - this.dayStartEquity;
  }

  /**
   * Return statistics over a window: the returns of the periods that ended within the
   * last `windowMs` before the latest boundary passed (null: every period of the engine's life).
   */
  returnStats(windowMs: number | null, periodsPerYear: number): ReturnStats {
    if (windowMs === null) return statsOfMoments(this.allReturns, periodsPerYear);
    const m = emptyMoments();
    const samples = this.windowSamples(windowMs);
    for (let i = 1; i < samples.length; i++) {
      const r = simpleReturn(samples[i - 1].equity, samples[i].equity);
      if (r !== undefined) addReturn(m, r);
    }
    return statsOfMoments(m, periodsPerYear);
  }

  /** The samples a window's returns are taken between: its base sample and every later one. */
  windowSamples(windowMs: number): EquitySample[] {
    if (this.lastSample === null) return [];
    const from = this.lastSample.ts - windowMs;
    let start = this.samples.length;
    while (start > 0 && this.samples[start - 1].ts >= from) start--;
    return this.samples.slice(start);
  }
}
