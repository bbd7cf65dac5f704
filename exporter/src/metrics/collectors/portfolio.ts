import type { Store } from '../../state/store';
import { engineReport } from '../../state/report';
import type { AnalyticsWindows } from '../../state/portfolio/windows';
import { family, type Collector, type MetricSink } from '../registry';

const EQUITY = family('trading_equity', 'gauge', 'Cash plus marked positions, in the valuation currency.');
const CASH = family('trading_cash_balance', 'gauge', 'Cash balance per currency (the ledger).');
const CASH_GAP = family(
  'trading_cash_reconciliation_gap',
  'gauge',
  'Last reported balance minus the ledger just before it, per currency.',
);
const POSITION_QTY = family(
  'trading_position_quantity',
  'gauge',
  'Signed position quantity in the base asset.',
);
const POSITION_NOTIONAL = family(
  'trading_position_notional',
  'gauge',
  'Signed position value at the latest mark, in the valuation currency.',
);
const POSITION_AVG = family(
  'trading_position_avg_price',
  'gauge',
  'Average cost of the open position, in the quote currency.',
);
const UNREALIZED = family(
  'trading_unrealized_pnl',
  'gauge',
  'Unrealized PnL at the latest mark, in the valuation currency.',
);
const REALIZED = family(
  'trading_realized_pnl',
  'gauge',
  'Realized PnL net of fees, in the valuation currency.',
);
const DAILY = family(
  'trading_daily_pnl',
  'gauge',
  'Equity change since the start of the current UTC day of event time.',
);
const DRAWDOWN = family(
  'trading_drawdown_ratio',
  'gauge',
  'Current fall of equity from its running peak (0.1 = 10 %).',
);
const MAX_DD = family(
  'trading_max_drawdown_ratio',
  'gauge',
  'Largest drawdown of sampled equity within the window.',
);
const SHARPE = family(
  'trading_sharpe_ratio',
  'gauge',
  'Annualized Sharpe ratio of periodic equity returns in the window.',
);
const SORTINO = family(
  'trading_sortino_ratio',
  'gauge',
  'Annualized Sortino ratio of periodic equity returns in the window.',
);
const VOLATILITY = family(
  'trading_volatility_ratio',
  'gauge',
  'Annualized volatility of periodic equity returns in the window.',
);
const ROUND_TRIPS = family(
  'trading_round_trips_total',
  'counter',
  'Round trips (a position back to zero or flipped) by outcome.',
);
const WIN_RATE = family(
  'trading_win_rate_ratio',
  'gauge',
  'Winning round trips over all round trips in the window.',
);
const PROFIT_FACTOR = family(
  'trading_profit_factor',
  'gauge',
  'Gross profit over gross loss of round trips in the window.',
);
const EXPECTANCY = family(
  'trading_expectancy',
  'gauge',
  'Mean PnL per round trip in the window, in the valuation currency.',
);
const AVERAGE_WIN = family(
  'trading_average_win',
  'gauge',
  'Mean PnL of winning round trips in the window, in the valuation currency.',
);
const AVERAGE_LOSS = family(
  'trading_average_loss',
  'gauge',
  'Mean PnL of losing round trips in the window (negative), in the valuation currency.',
);
const RETURN_PERIODS = family(
  'trading_return_periods',
  'gauge',
  'Completed sampling periods (returns) the window’s return statistics rest on.',
);
const GROSS_PROFIT = family(
  'trading_round_trip_gross_profit_total',
  'counter',
  'Sum of the PnL of winning round trips, in the valuation currency.',
);
const GROSS_LOSS = family(
  'trading_round_trip_gross_loss_total',
  'counter',
  'Sum of the losses of losing round trips (as a positive amount), in the valuation currency.',
);
const STRATEGY_WIN_RATE = family(
  'trading_strategy_win_rate_ratio',
  'gauge',
  'One strategy’s winning round trips over its round trips in the window.',
);
const STRATEGY_PROFIT_FACTOR = family(
  'trading_strategy_profit_factor',
  'gauge',
  'One strategy’s gross profit over gross loss of round trips in the window.',
);
const STRATEGY_EXPECTANCY = family(
  'trading_strategy_expectancy',
  'gauge',
  'One strategy’s mean PnL per round trip in the window, in the valuation currency.',
);
const PNL_INCOMPLETE = family(
  'trading_pnl_incomplete',
  'gauge',
  'Whether some PnL or equity figure leaves an amount it could not value out (1) or not (0).',
);
const PNL_UNVALUED = family(
  'trading_pnl_unvalued',
  'gauge',
  'PnL left out of valuation-currency figures for want of a mark, per currency it is in (fees negative).',
);

export class PortfolioCollector implements Collector {
  readonly name = 'portfolio';
  readonly families = [
    EQUITY,
    CASH,
    CASH_GAP,
    POSITION_QTY,
    POSITION_NOTIONAL,
    POSITION_AVG,
    UNREALIZED,
    REALIZED,
    DAILY,
    DRAWDOWN,
    MAX_DD,
    SHARPE,
    SORTINO,
    VOLATILITY,
    RETURN_PERIODS,
    ROUND_TRIPS,
    GROSS_PROFIT,
    GROSS_LOSS,
    WIN_RATE,
    PROFIT_FACTOR,
    EXPECTANCY,
    AVERAGE_WIN,
    AVERAGE_LOSS,
    STRATEGY_WIN_RATE,
    STRATEGY_PROFIT_FACTOR,
    STRATEGY_EXPECTANCY,
    PNL_INCOMPLETE,
    PNL_UNVALUED,
  ];

  constructor(
    private readonly store: Store,
    private readonly windows: AnalyticsWindows,
  ) {}

  update(sink: MetricSink): void {
    for (const [engine, s] of this.store.engines) {
      const r = engineReport(s, this.windows);
      if (r.equity !== null) sink.add(EQUITY, { engine }, r.equity);
      for (const [currency, amount] of Object.entries(r.cash)) sink.add(CASH, { engine, currency }, amount);
      for (const [currency, gap] of Object.entries(r.cashReconciliationGap))
        sink.add(CASH_GAP, { engine, currency }, gap);

      for (const p of r.positions) {
        const labels = { engine, symbol: p.symbol };
        sink.add(REALIZED, labels, p.realizedPnl);
        // A flat position's point-in-time series are removed, so cardinality stays bounded.
        if (p.quantity === 0) continue;
        sink.add(POSITION_QTY, labels, p.quantity);
        sink.add(POSITION_AVG, labels, p.avgPrice);
        if (p.notional !== null) sink.add(POSITION_NOTIONAL, labels, p.notional);
        if (p.unrealizedPnl !== null) sink.add(UNREALIZED, labels, p.unrealizedPnl);
      }

      sink.add(DAILY, { engine }, r.dailyPnl);
      sink.add(DRAWDOWN, { engine }, r.drawdown);
      sink.add(PNL_INCOMPLETE, { engine }, r.pnlIncomplete ? 1 : 0);
      for (const [currency, amount] of Object.entries(r.unvalued))
        sink.add(PNL_UNVALUED, { engine, currency }, amount);
      for (const t of r.roundTrips)
        sink.add(ROUND_TRIPS, { engine, strategy: t.strategy, outcome: t.outcome }, t.count);

      for (const w of r.windows) {
        const labels = { engine, window: w.window };
        sink.add(MAX_DD, labels, w.returns.maxDrawdown);
        sink.add(SHARPE, labels, w.returns.sharpe);
        sink.add(SORTINO, labels, w.returns.sortino);
        sink.add(VOLATILITY, labels, w.returns.volatility);
        sink.add(RETURN_PERIODS, labels, w.returns.periods);
        sink.add(WIN_RATE, labels, w.trades.winRate);
        sink.add(PROFIT_FACTOR, labels, w.trades.profitFactor);
        sink.add(EXPECTANCY, labels, w.trades.expectancy);
        sink.add(AVERAGE_WIN, labels, w.trades.averageWin);
        sink.add(AVERAGE_LOSS, labels, w.trades.averageLoss);
      }
      for (const st of r.strategies) {
        for (const w of st.windows) {
          const labels = { engine, strategy: st.strategy, window: w.window };
          sink.add(STRATEGY_WIN_RATE, labels, w.trades.winRate);
          sink.add(STRATEGY_PROFIT_FACTOR, labels, w.trades.profitFactor);
          sink.add(STRATEGY_EXPECTANCY, labels, w.trades.expectancy);
        }
        sink.add(GROSS_PROFIT, { engine, strategy: st.strategy }, st.allTime.grossProfit);
        sink.add(GROSS_LOSS, { engine, strategy: st.strategy }, 0 - st.allTime.grossLoss);
      }
    }
  }
}
