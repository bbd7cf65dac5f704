/**
 * Return statistics against reference values worked out by hand from empyrical's formulas
 * (quantopian/empyrical stats.py; required return 0): the arithmetic is written out.
 */
import {
  annualVolatility,
  maxDrawdown,
  returnStats,
  sharpeRatio,
  sortinoRatio,
  tradeStats,
} from './statistics';

const N = 252;

describe('return statistics (empyrical definitions)', () => {
  // r = [0.01, −0.02, 0.03, 0.005]
  // mean = 0.025 / 4 = 0.00625
  // deviations 0.00375, −0.02625, 0.02375, −0.00125 → squares sum to
  //   1.40625e-5 + 6.890625e-4 + 5.640625e-4 + 1.5625e-6 = 0.00126875
  // std (ddof 1) = √(0.00126875 / 3)
  // downside: min(r, 0)² = [0, 0.0004, 0, 0] → mean 0.0001 → √ = 0.01 → · √N
  // cumulative from 1: 1.01, 0.9898, … → deepest fall (0.9898 − 1.01) / 1.01 = −0.02
  const r = [0.01, -0.02, 0.03, 0.005];
  const sd = Math.sqrt(0.00126875 / 3);

  test('Sharpe = mean / std(ddof=1) · √N', () => {
    expect(sharpeRatio(r, N)).toBeCloseTo((0.00625 / sd) * Math.sqrt(N), 10);
    expect(sharpeRatio(r, N)).toBeCloseTo(4.8245, 3);
  });

  test('Sortino = mean · N / (√mean(min(r,0)²) · √N)', () => {
    expect(sortinoRatio(r, N)).toBeCloseTo((0.00625 * N) / (0.01 * Math.sqrt(N)), 10);
    expect(sortinoRatio(r, N)).toBeCloseTo(9.9216, 3); // 0.625 · √252
  });

  test('annual volatility = std(ddof=1) · √N', () => {
    expect(annualVolatility(r, N)).toBeCloseTo(sd * Math.sqrt(N), 12);
  });

  test('max drawdown of cumulative returns, as a positive fraction', () => {
    expect(maxDrawdown(r)).toBeCloseTo(0.02, 14);
  });

  test('a series with no losing period: Sortino is +Infinity, max drawdown 0', () => {
    // [0.01, 0.02, 0.03]: mean 0.02, std (ddof 1) 0.01 → Sharpe 2·√N; no downside → mean·N / 0
    const s = returnStats([0.01, 0.02, 0.03], N);
    expect(s.sortino).toBe(Infinity);
    expect(s.sharpe).toBeCloseTo(2 * Math.sqrt(N), 10);
    expect(s.maxDrawdown).toBe(0);
    expect(s.volatility).toBeCloseTo(0.01 * Math.sqrt(N), 12);
  });

  test('a series of only losses', () => {
    // [−0.01, −0.02, −0.03]: mean −0.02, std 0.01 → Sharpe −2·√N
    // downside √((1e-4 + 4e-4 + 9e-4) / 3) = √(4.6667e-4) → Sortino −0.02·N / (that · √N)
    // cumulative 0.99, 0.9702, 0.941094 (peak stays at the start, 1) → max drawdown 0.058906
    const s = returnStats([-0.01, -0.02, -0.03], N);
    expect(s.sharpe).toBeCloseTo(-2 * Math.sqrt(N), 10);
    expect(s.sortino).toBeCloseTo((-0.02 * N) / (Math.sqrt(0.0014 / 3) * Math.sqrt(N)), 10);
    expect(s.maxDrawdown).toBeCloseTo(0.058906, 12);
  });

  test('too short a series gives NaN, as empyrical does; a flat one has Sharpe and Sortino NaN (0/0)', () => {
    expect(returnStats([], N)).toMatchObject({
      sharpe: NaN,
      sortino: NaN,
      volatility: NaN,
      maxDrawdown: NaN,
      periods: 0,
    });
    expect(returnStats([0.01], N)).toMatchObject({
      sharpe: NaN,
      sortino: NaN,
      volatility: NaN,
      maxDrawdown: 0,
      periods: 1,
    });
    expect(returnStats([0, 0, 0], N)).toMatchObject({
      sharpe: NaN,
      sortino: NaN,
      volatility: 0,
      maxDrawdown: 0,
    });
  });
});

describe('round-trip statistics', () => {
  test('win rate, profit factor, expectancy, averages; break-evens count in the denominator', () => {
    // PnL 10, −5, 0, 20, −15: gross profit 30, gross loss −20
    const t = tradeStats([10, -5, 0, 20, -15]);
    expect(t).toMatchObject({
      roundTrips: 5,
      wins: 2,
      losses: 2,
      breakevens: 1,
      winRate: 0.4,
      profitFactor: 1.5,
      expectancy: 2,
      averageWin: 15,
      averageLoss: -10,
    });
  });

  test('edge cases: no losses → profit factor +Infinity; nothing → NaN', () => {
    expect(tradeStats([5, 7]).profitFactor).toBe(Infinity);
    expect(tradeStats([0]).profitFactor).toBeNaN();
    expect(tradeStats([])).toMatchObject({
      winRate: NaN,
      profitFactor: NaN,
      expectancy: NaN,
      averageWin: NaN,
      averageLoss: NaN,
    });
  });
});
