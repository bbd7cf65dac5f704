/**
 * Return and round-trip statistics, on empyrical's definitions (quantopian/empyrical,
 * stats.py): simple returns, Sharpe = mean/std(ddof=1)·√N, Sortino = mean·N / (√mean(min(r,0)²)·√N),
 * annual volatility = std(ddof=1)·√N, max drawdown over cumulative returns from a start value.
 */
import type { EquitySample } from './analytics';
import type { RoundTrip } from './engine';

function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Standard deviation with ddof = 1 (numpy's std(ddof=1), as empyrical uses). */
function sampleStandardDeviation(xs: readonly number[]): number {
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

export interface ReturnStats {
  sharpe: number;
  sortino: number;
  volatility: number;
  /** Positive fraction (0.1 for 10 %). */
  maxDrawdown: number;
  periods: number;
}

/** Simple returns between consecutive equity samples. */
export function simpleReturns(samples: readonly EquitySample[]): number[] {
  const returns: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1].equity;
    returns.push(prev === 0 ? NaN : samples[i].equity / prev - 1);
  }
  return returns.filter((r) => Number.isFinite(r));
}

export function sharpeRatio(returns: readonly number[], periodsPerYear: number): number {
  if (returns.length < 2) return NaN;
  const sd = sampleStandardDeviation(returns);
  if (sd === 0) return NaN;
  return (mean(returns) / sd) * Math.sqrt(periodsPerYear);
}

export function downsideRisk(returns: readonly number[], periodsPerYear: number): number {
  if (returns.length === 0) return NaN;
  let sumSq = 0;
  for (const r of returns) if (r < 0) sumSq += r * r;
  return Math.sqrt(sumSq / returns.length) * Math.sqrt(periodsPerYear);
}

/** +Infinity when there is no downside (no losing period), as empyrical gives. */
export function sortinoRatio(returns: readonly number[], periodsPerYear: number): number {
  if (returns.length < 1) return NaN;
  const dr = downsideRisk(returns, periodsPerYear);
  const annualMean = mean(returns) * periodsPerYear;
  if (dr === 0) return annualMean > 0 ? Infinity : annualMean < 0 ? -Infinity : NaN;
  return annualMean / dr;
}

export function annualVolatility(returns: readonly number[], periodsPerYear: number): number {
  if (returns.length < 2) return NaN;
  return sampleStandardDeviation(returns) * Math.sqrt(periodsPerYear);
}

/** Largest peak-to-trough fall of cumulative returns, as a positive fraction. */
export function maxDrawdown(returns: readonly number[]): number {
  let value = 1;
  let peak = 1;
  let worst = 0;
  for (const r of returns) {
    value *= 1 + r;
    if (value > peak) peak = value;
    const dd = (value - peak) / peak;
    if (dd < worst) worst = dd;
  }
  return -worst;
}

export function returnStats(samples: readonly EquitySample[], periodsPerYear: number): ReturnStats {
  const returns = simpleReturns(samples);
  return {
    sharpe: sharpeRatio(returns, periodsPerYear),
    sortino: sortinoRatio(returns, periodsPerYear),
    volatility: annualVolatility(returns, periodsPerYear),
    maxDrawdown: maxDrawdown(returns),
    periods: returns.length,
  };
}

export interface TradeStats {
  roundTrips: number;
  wins: number;
  losses: number;
  breakevens: number;
  /** wins / round trips (break-evens count in the denominator); NaN without round trips. */
  winRate: number;
  /** gross profit / |gross loss|; +Infinity with profits and no loss; NaN without either. */
  profitFactor: number;
  /** Mean PnL per round trip. */
  expectancy: number;
  averageWin: number;
  averageLoss: number;
}

export function tradeStats(trips: readonly RoundTrip[]): TradeStats {
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let total = 0;
  for (const t of trips) {
    total += t.pnl;
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else if (t.pnl < 0) {
      losses++;
      grossLoss += t.pnl;
    }
  }
  const n = trips.length;
  return {
    roundTrips: n,
    wins,
    losses,
    breakevens: n - wins - losses,
    winRate: n === 0 ? NaN : wins / n,
    profitFactor: grossLoss === 0 ? (grossProfit > 0 ? Infinity : NaN) : grossProfit / -grossLoss,
    expectancy: n === 0 ? NaN : total / n,
    averageWin: wins === 0 ? NaN : grossProfit / wins,
    averageLoss: losses === 0 ? NaN : grossLoss / losses,
  };
}
