/**
 * Equity over event time: running peak, drawdown, daily PnL, and the equity samples at
 * period boundaries that return statistics are computed from (DESIGN.md, empyrical).
 */

export interface EquityOptions {
  /** Sampling period of equity for return statistics, in ms (default 1h). */
  periodMs: number;
  /** Longest window kept in samples, in ms (30 days by default). */
  retainMs: number;
}

const DAY_MS = 86_400_000;

export interface EquitySample {
  /** The period boundary (epoch ms, UTC aligned). */
  ts: number;
  equity: number;
}

export class EquityTracker {
  current: number | null = null;
  peak: number | null = null;
  /** Deepest drawdown seen over the engine's whole life, as a positive fraction. */
  maxDrawdownAll = 0;
  private lastTs: number | null = null;
  private dayIndex: number | null = null;
  /** Equity as of the start of the current UTC day (the last value before midnight). */
  dayStartEquity: number | null = null;
  readonly samples: EquitySample[] = [];

  constructor(private readonly options: EquityOptions) {}

  observe(ts: number, equity: number | null): void {
    // Period boundaries crossed since the last event sample the equity as it stood then.
    if (this.lastTs !== null && this.current !== null && ts > this.lastTs) {
      const period = this.options.periodMs;
      let boundary = Math.floor(this.lastTs / period) * period + period;
      for (; boundary <= ts; boundary += period) this.samples.push({ ts: boundary, equity: this.current });
      const horizon = ts - this.options.retainMs - period;
      let drop = 0;
      while (drop < this.samples.length && this.samples[drop].ts < horizon) drop++;
      if (drop > 0) this.samples.splice(0, drop);
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

  /** (peak − equity) / peak, a positive fraction; 0 at a new high or without data. */
  drawdown(): number {
    if (this.current === null || this.peak === null || this.peak <= 0) return 0;
    return Math.max(0, (this.peak - this.current) / this.peak);
  }

  dailyPnl(): number {
    if (this.current === null || this.dayStartEquity === null) return 0;
    return this.current - this.dayStartEquity;
  }
}
