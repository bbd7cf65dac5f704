/**
 * Return and round-trip statistics on empyrical's definitions (quantopian/empyrical,
 * stats.py), with required return and risk-free rate 0:
 *
 *   sharpe     = mean(r) / std(r, ddof=1) · √N                  (NaN with fewer than 2 returns)
 *   sortino    = mean(r) · N / downside_risk                     (NaN with fewer than 2 returns)
 *   downside   = √(mean(min(r, 0)²)) · √N
 *   volatility = std(r, ddof=1) · √N                             (NaN with fewer than 2 returns)
 *   max dd     = −min((v − running max v) / running max v), v the cumulative value from 1
 *                (the running max starts at the start value; NaN without returns)
 *
 * Division by zero follows numpy: x/0 is ±Infinity for x ≠ 0 and NaN for 0/0 (so a series
 * with no losing period has Sortino +Infinity).
 *
 * The sums are kept as running aggregates (Welford's mean and M2), so the whole-life
 * window needs no stored series and a window's figures come from one pass.
 */

/** Running moments of a return series; plain numbers only (serializable as is). */
export interface ReturnMoments {
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean (Welford). */
  m2: number;
  /** Sum of min(r, 0)². */
  downsideSquares: number;
  /** Cumulative value from a start of 1, its running peak, and the deepest fall seen (≤ 0). */
  value: number;
  peak: number;
  worst: number;
}

export function emptyMoments(): ReturnMoments {
  return { count: 0, mean: 0, m2: 0, downsideSquares: 0, value: 1, peak: 1, worst: 0 };
}

export function addReturn(m: ReturnMoments, r: number): void {
  m.count += 1;
  const delta = r - m.mean;
  m.mean += delta / m.count;
  m.m2 += delta * (r - m.mean);
  if (r < 0) m.downsideSquares += r * r;
  m.value *= 1 + r;
  if (m.value > m.peak) m.peak = m.value;
  const dd = (m.value - m.peak) / m.peak;
  if (dd < m.worst) m.worst = dd;
}

/**
 * Adds `k` returns of exactly 0 at once (a silence that crossed k more periods). Same result
 * as k calls of addReturn(m, 0), up to rounding: Chan's parallel update of mean and M2 with
 * a group of k zeros; the value, its peak and the downside sum do not move.
 */
export function addZeroReturns(m: ReturnMoments, k: number): void {
  if (k <= 0) return;
  const n = m.count + k;
  m.m2 += (m.mean * m.mean * m.count * k) / n;
  m.mean = (m.mean * m.count) / n;
  m.count = n;
}

export interface ReturnStats {
  sharpe: number;
  sortino: number;
  /** Annualized volatility, as a fraction (0.2 for 20 %). */
  volatility: number;
  /** Positive fraction (0.1 for 10 %); NaN without returns. */
  maxDrawdown: number;
  /** Number of returns (completed periods) the figures rest on. */
  periods: number;
}

export function statsOfMoments(m: ReturnMoments, periodsPerYear: number): ReturnStats {
  const n = m.count;
  const root = Math.sqrt(periodsPerYear);
  const sd = n >= 2 ? Math.sqrt(m.m2 / (n - 1)) : NaN;
  const downside = n >= 1 ? Math.sqrt(m.downsideSquares / n) * root : NaN;
  return {
    sharpe: n >= 2 ? (m.mean / sd) * root : NaN,
    sortino: n >= 2 ? (m.mean * periodsPerYear) / downside : NaN,
    volatility: n >= 2 ? sd * root : NaN,
    // `0 - worst` rather than `-worst`, so a flat series gives 0 and not −0.
    maxDrawdown: n >= 1 ? 0 - m.worst : NaN,
    periods: n,
  };
}

/** The statistics of a return series (as empyrical would compute them from the array). */
export function returnStats(returns: readonly number[], periodsPerYear: number): ReturnStats {
  const m = emptyMoments();
  for (const r of returns) addReturn(m, r);
  return statsOfMoments(m, periodsPerYear);
}

export function sharpeRatio(returns: readonly number[], periodsPerYear: number): number {
  return returnStats(returns, periodsPerYear).sharpe;
}

export function sortinoRatio(returns: readonly number[], periodsPerYear: number): number {
  return returnStats(returns, periodsPerYear).sortino;
}

export function annualVolatility(returns: readonly number[], periodsPerYear: number): number {
  return returnStats(returns, periodsPerYear).volatility;
}

export function maxDrawdown(returns: readonly number[]): number {
  return returnStats(returns, 1).maxDrawdown;
}

/**
 * The simple return between two consecutive equity samples; undefined when the earlier
 * equity is 0 (no return is defined), so that period is left out.
 */
export function simpleReturn(previous: number, current: number): number | undefined {
  if (previous === 0) return undefined;
  const r = current / previous - 1;
  return Number.isFinite(r) ? r : undefined;
}

// ---- round trips -------------------------------------------------------------------

/** Running sums over round trips; plain numbers only. PnL in the valuation currency. */
export interface TripTotals {
  trips: number;
  wins: number;
  losses: number;
  breakevens: number;
  /** Sum of the PnL of winning round trips (≥ 0). */
  grossProfit: number;
  /** Sum of the PnL of losing round trips (≤ 0). */
  grossLoss: number;
}

export function emptyTotals(): TripTotals {
  return { trips: 0, wins: 0, losses: 0, breakevens: 0, grossProfit: 0, grossLoss: 0 };
}

export type Outcome = 'win' | 'loss' | 'breakeven';

export function outcomeOf(pnl: number): Outcome {
  return pnl > 0 ? 'win' : pnl < 0 ? 'loss' : 'breakeven';
}

/**
 * Adds one round trip. The outcome is the sign of its PnL unless given (a round trip whose
 * PnL has no value in the valuation currency counts by its sign in the quote currency,
 * with an amount of 0).
 */
export function addTrip(t: TripTotals, pnl: number, outcome: Outcome = outcomeOf(pnl)): void {
  t.trips += 1;
  if (outcome === 'win') {
    t.wins += 1;
    t.grossProfit += pnl;
  } else if (outcome === 'loss') {
    t.losses += 1;
    t.grossLoss += pnl;
  } else {
    t.breakevens += 1;
  }
}

export function mergeTotals(into: TripTotals, from: TripTotals): void {
  into.trips += from.trips;
  into.wins += from.wins;
  into.losses += from.losses;
  into.breakevens += from.breakevens;
  into.grossProfit += from.grossProfit;
  into.grossLoss += from.grossLoss;
}

export interface TradeStats {
  roundTrips: number;
  wins: number;
  losses: number;
  breakevens: number;
  /** wins / round trips (break-evens count in the denominator); NaN without round trips. */
  winRate: number;
  /** gross profit / |gross loss|; +Infinity with profits and no loss; NaN with neither. */
  profitFactor: number;
  /** Mean PnL per round trip (break-evens included); NaN without round trips. */
  expectancy: number;
  /** Mean PnL of winning round trips (> 0); NaN without wins. */
  averageWin: number;
  /** Mean PnL of losing round trips (< 0, a negative amount); NaN without losses. */
  averageLoss: number;
  grossProfit: number;
  grossLoss: number;
  netPnl: number;
}

export function tradeStatsOf(t: TripTotals): TradeStats {
  const n = t.trips;
  const net = t.grossProfit + t.grossLoss;
  return {
    roundTrips: n,
    wins: t.wins,
    losses: t.losses,
    breakevens: t.breakevens,
    winRate: n === 0 ? NaN : t.wins / n,
    profitFactor: t.grossLoss === 0 ? (t.grossProfit > 0 ? Infinity : NaN) : t.grossProfit / -t.grossLoss,
    expectancy: n === 0 ? NaN : net / n,
    averageWin: t.wins === 0 ? NaN : t.grossProfit / t.wins,
    averageLoss: t.losses === 0 ? NaN : t.grossLoss / t.losses,
    grossProfit: t.grossProfit,
    grossLoss: t.grossLoss,
    netPnl: net,
  };
}

/** Trade statistics of a list of round-trip PnLs. */
export function tradeStats(pnls: readonly number[]): TradeStats {
  const t = emptyTotals();
  for (const p of pnls) addTrip(t, p);
  return tradeStatsOf(t);
}
