import { EquityTracker } from './analytics';

const H = 3_600_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');

describe('EquityTracker sampling on event time', () => {
  test('samples at each boundary the equity as of the last event before it; an event at a boundary comes after it', () => {
    const t = new EquityTracker({ periodMs: H, retainMs: 24 * H });
    t.observe(T0 + 0.5 * H, 100); // the first event: no sample yet
    expect(t.samples).toEqual([]);
    t.observe(T0 + 1 * H, 110); // exactly at 01:00: the 01:00 sample is the equity before it
    expect(t.samples).toEqual([{ ts: T0 + H, equity: 100 }]);
    t.observe(T0 + 3.25 * H, 120); // crosses 02:00 and 03:00, both at 110
    expect(t.samples).toEqual([
      { ts: T0 + H, equity: 100 },
      { ts: T0 + 2 * H, equity: 110 },
      { ts: T0 + 3 * H, equity: 110 },
    ]);
    // only completed periods: 01→02 (+10 %), 02→03 (0); the period in progress (120) is not one
    const s = t.returnStats(null, 8760);
    expect(s.periods).toBe(2);
    expect(t.allReturns.mean).toBeCloseTo(0.05, 14);
  });

  test('the first sample is the first boundary after the first event, even when that event is on a boundary', () => {
    const t = new EquityTracker({ periodMs: H, retainMs: 24 * H });
    t.observe(T0, 100);
    t.observe(T0 + 0.9 * H, 105);
    expect(t.samples).toEqual([]);
    t.observe(T0 + 1.1 * H, 107);
    expect(t.samples).toEqual([{ ts: T0 + H, equity: 105 }]);
  });

  test('a 1d period samples at 00:00 UTC', () => {
    const D = 24 * H;
    const t = new EquityTracker({ periodMs: D, retainMs: 30 * D });
    t.observe(T0 + 13 * H, 100);
    t.observe(T0 + D + 2 * H, 101);
    expect(t.samples.map((s) => new Date(s.ts).toISOString())).toEqual(['2026-01-06T00:00:00.000Z']);
  });

  test('a window takes the periods that ended in its last W; "all" keeps running moments in bounded memory', () => {
    const t = new EquityTracker({ periodMs: H, retainMs: 24 * H });
    let equity = 1000;
    for (let i = 0; i <= 24 * 40; i++) {
      equity *= i % 5 === 0 ? 0.99 : 1.004;
      t.observe(T0 + i * H + 1, equity);
    }
    // 24 h retention + a period: never more than 26 samples, whatever the life span
    expect(t.samples.length).toBeLessThanOrEqual(26);
    expect(t.returnStats(24 * H, 8760).periods).toBe(24);
    // events at 00:00:00.001 of hours 0…960 cross the boundaries of hours 1…960: 960 samples, 959 returns
    expect(t.returnStats(null, 8760).periods).toBe(24 * 40 - 1);
  });

  test('daily PnL from the equity as of the last event before 00:00 UTC; drawdown from the running peak', () => {
    const t = new EquityTracker({ periodMs: H, retainMs: 24 * H });
    t.observe(T0 + 20 * H, 1000);
    t.observe(T0 + 23 * H, 1100);
    t.observe(T0 + 25 * H, 990);
    expect(t.dailyPnl()).toBe(-110);
    expect(t.drawdown()).toBeCloseTo(0.1, 14); // (1100 − 990) / 1100
    t.observe(T0 + 26 * H, 1045);
    expect(t.maxDrawdownAll).toBeCloseTo(0.1, 14);
  });
});

describe('EquityTracker: bounded work whatever the gap in event time', () => {
  /** The per-period loop the tracker once ran: one return per boundary crossed. */
  function naiveMoments(events: [number, number][], period: number) {
    const returns: number[] = [];
    let last: number | null = null;
    let current: number | null = null;
    let lastSample: number | null = null;
    for (const [ts, equity] of events) {
      if (last !== null && current !== null && ts > last) {
        for (let b = Math.floor(last / period) * period + period; b <= ts; b += period) {
          if (lastSample !== null && lastSample !== 0) returns.push(current / lastSample - 1);
          lastSample = current;
        }
      }
      if (last === null || ts > last) last = ts;
      current = equity;
    }
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
    return { count: returns.length, mean, variance };
  }

  test('a gap of many periods gives the same moments as one return per period', () => {
    const events: [number, number][] = [
      [T0 + 10, 100],
      [T0 + 3 * H + 5, 103],
      [T0 + 250 * H + 7, 99],
      [T0 + 251 * H + 1, 101],
      [T0 + 900 * H, 101.5],
      [T0 + 905 * H + 3, 100],
    ];
    const t = new EquityTracker({ periodMs: H, retainMs: 24 * H });
    for (const [ts, e] of events) t.observe(ts, e);
    const want = naiveMoments(events, H);
    expect(t.allReturns.count).toBe(want.count);
    expect(t.allReturns.mean).toBeCloseTo(want.mean, 12);
    expect(t.allReturns.m2 / (t.allReturns.count - 1)).toBeCloseTo(want.variance, 12);
  });

  test('a mark 30 years later at a 1 s period (a billion boundaries) costs no more than one', () => {
    const t = new EquityTracker({ periodMs: 1000, retainMs: 60_000 });
    t.observe(Date.parse('2000-01-01T00:00:00.500Z'), 100);
    const started = process.hrtime.bigint();
    t.observe(Date.parse('2030-01-01T00:00:00.500Z'), 105);
    // The per-period loop took minutes here; generous for a loaded machine, far below that.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
    expect(t.samples.length).toBeLessThanOrEqual(62);
    expect(t.allReturns.count).toBe(946_771_200 - 1);
  });
});
