/**
 * Every accounting and analytics figure of one engine, computed in one place. The metrics
 * collectors and the replay report both read this, so /metrics and `tradewatch replay`
 * cannot disagree on the same events. Money is in the valuation currency unless a field
 * says otherwise; ratios are fractions (0.1 for 10 %).
 */
import type { Decimal } from './common/decimal';
import type { EngineState } from './engine';
import { splitSymbol } from './common/symbols';
import type { Position } from './portfolio/positions';
import { tripStats, type TripSeries } from './portfolio/round-trips';
import type { ReturnStats, TradeStats } from './portfolio/statistics';
import type { AnalyticsWindows } from './portfolio/windows';

export interface PositionFigures {
  symbol: string;
  quoteCurrency: string;
  /** Signed, in the base asset; 0 for a closed position that has realized PnL. */
  quantity: number;
  /** Average cost, in the quote currency (0 when flat). */
  avgPrice: number;
  markPrice: number | null;
  /** Signed quantity × mark, in the valuation currency; null without a mark or rate (or flat). */
  notional: number | null;
  /** (mark − average cost) × quantity, converted at the current rate; null as notional. */
  unrealizedPnl: number | null;
  /** Realized PnL net of fees, each part converted at its fill's rate. */
  realizedPnl: number;
  /** The same in the quote currency. */
  realizedPnlQuote: number;
  /** Fees charged to this position, in the quote currency. */
  feesQuote: number;
}

export interface WindowFigures {
  window: string;
  returns: ReturnStats;
  trades: TradeStats;
}

export interface StrategyFigures {
  strategy: string;
  consecutiveLosses: number;
  maxConsecutiveLosses: number;
  /** Whole-life statistics (whatever windows are configured). */
  allTime: TradeStats;
  windows: { window: string; trades: TradeStats }[];
}

export interface EngineReport {
  engine: string;
  valuationCurrency: string;
  /** The engine's latest event time (RFC 3339), the "now" of every window; null before any event. */
  asOf: string | null;
  equity: number | null;
  peakEquity: number | null;
  cash: Record<string, number>;
  cashReconciliationGap: Record<string, number>;
  positions: PositionFigures[];
  realizedPnl: number;
  unrealizedPnl: number;
  /** Fees paid, per currency they were paid in. */
  feesPaid: Record<string, number>;
  dailyPnl: number;
  drawdown: number;
  /** Deepest drawdown from the running peak event by event, over the whole life. */
  maxDrawdownEvents: number;
  /** Gross |notional| of open positions / equity; null when equity is unknown or ≤ 0. */
  exposure: number | null;
  /** |notional| / equity per open position (same condition). */
  concentration: Record<string, number>;
  consecutiveLosses: number;
  maxConsecutiveLosses: number;
  /** Round trips by strategy and outcome, whole life. */
  roundTrips: { strategy: string; outcome: string; count: number }[];
  windows: WindowFigures[];
  strategies: StrategyFigures[];
  /** True when some figure leaves an amount out (see unvalued and valuationGaps). */
  pnlIncomplete: boolean;
  unvalued: Record<string, number>;
  valuationGaps: string[];
}

export function engineReport(s: EngineState, analytics: AnalyticsWindows): EngineReport {
  const now = s.health.lastEventTs ?? 0;
  const equity = s.portfolio.equity.current;

  const positions: PositionFigures[] = [];
  let realized = 0;
  let unrealized = 0;
  for (const [symbol, p] of s.portfolio.positions) {
    const f = positionFigures(s, symbol, p);
    positions.push(f);
    realized += f.realizedPnl;
    if (f.unrealizedPnl !== null) unrealized += f.unrealizedPnl;
  }

  const { exposure, concentration } = exposureOf(s);

  const windowsOf = (series: TripSeries) =>
    analytics.windows.map((w) => ({ window: w.name, trades: tripStats(series, now, w.ms) }));

  return {
    engine: s.engine,
    valuationCurrency: s.valuationCurrency,
    asOf: s.health.lastEventTs === null ? null : new Date(s.health.lastEventTs).toISOString(),
    equity,
    peakEquity: s.portfolio.equity.peak,
    cash: Object.fromEntries([...s.portfolio.cash].map(([c, v]) => [c, v.toNumber()])),
    cashReconciliationGap: Object.fromEntries(s.portfolio.cashGap),
    positions,
    realizedPnl: realized,
    unrealizedPnl: unrealized,
    feesPaid: Object.fromEntries(
      [...s.execution.feesPaid.values()].map(({ labels, value }) => [labels.currency, value]),
    ),
    dailyPnl: s.portfolio.equity.dailyPnl(),
    drawdown: s.portfolio.equity.drawdown(),
    maxDrawdownEvents: s.portfolio.equity.maxDrawdownAll,
    exposure,
    concentration,
    consecutiveLosses: s.portfolio.trips.engine.consecutiveLosses,
    maxConsecutiveLosses: s.portfolio.trips.engine.maxConsecutiveLosses,
    roundTrips: [...s.portfolio.roundTripOutcomes.values()].map(({ labels, value }) => ({
      strategy: labels.strategy,
      outcome: labels.outcome,
      count: value,
    })),
    windows: analytics.windows.map((w) => ({
      window: w.name,
      returns: s.portfolio.equity.returnStats(w.ms, analytics.periodsPerYear),
      trades: tripStats(s.portfolio.trips.engine, now, w.ms),
    })),
    strategies: [...s.portfolio.trips.strategies].map(([strategy, series]) => ({
      strategy,
      consecutiveLosses: series.consecutiveLosses,
      maxConsecutiveLosses: series.maxConsecutiveLosses,
      allTime: tripStats(series, now, null),
      windows: windowsOf(series),
    })),
    pnlIncomplete: s.portfolio.pnlIncomplete,
    unvalued: Object.fromEntries(s.portfolio.unvalued),
    valuationGaps: [...s.portfolio.valuationGaps],
  };
}

/**
 * Exposure = Σ |notional| of open positions / equity, and each position's share
 * (concentration). Positions without a mark or rate are left out; nothing is given while
 * equity is unknown or not positive (a ratio to it would mean nothing).
 */
export function exposureOf(s: EngineState): {
  exposure: number | null;
  concentration: Record<string, number>;
} {
  const equity = s.portfolio.equity.current;
  const concentration: Record<string, number> = {};
  if (equity === null || equity <= 0) return { exposure: null, concentration };
  let gross = 0;
  for (const symbol of s.portfolio.positions.keys()) {
    const notional = s.portfolio.positionValue(symbol);
    if (notional === undefined) continue;
    gross += Math.abs(notional);
    concentration[symbol] = Math.abs(notional) / equity;
  }
  return { exposure: gross / equity, concentration };
}

function positionFigures(s: EngineState, symbol: string, p: Position): PositionFigures {
  const quote = splitSymbol(symbol)[1];
  const mark = s.market.marks.get(symbol);
  return {
    symbol,
    quoteCurrency: quote,
    quantity: num(p.quantity),
    avgPrice: num(p.avgPrice),
    markPrice: mark?.price ?? null,
    notional: s.portfolio.positionValue(symbol) ?? null,
    unrealizedPnl: s.portfolio.unrealizedValue(symbol) ?? null,
    realizedPnl: num(p.realizedValue),
    realizedPnlQuote: num(p.realized),
    feesQuote: num(p.fees),
  };
}

function num(d: Decimal): number {
  // `0 +` turns a −0 from a Decimal into 0, so reports never print "-0".
  return 0 + d.toNumber();
}
