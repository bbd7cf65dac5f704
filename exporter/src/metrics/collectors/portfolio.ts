import type { Store } from '../../state/store';
import { splitSymbol } from '../../state/engine';
import { returnStats, tradeStats } from '../../state/statistics';
import type { AnalyticsWindows } from '../../state/windows';
import { samplesInWindow, tripsInWindow } from '../../state/windows';
import { family, type Collector, type MetricSink } from '../registry';

const EQUITY = family('trading_equity', 'gauge', 'Cash plus marked positions, in the valuation currency.');
const CASH = family('trading_cash_balance', 'gauge', 'Cash balance per currency (the ledger).');
const CASH_GAP = family(
  'trading_cash_reconciliation_gap',
  'gauge',
  'Last reported balance minus the ledger just before it, per currency.',
);
const POSITION_QTY = family('trading_position_quantity', 'gauge', 'Signed position quantity in the base asset.');
const POSITION_NOTIONAL = family(
  'trading_position_notional',
  'gauge',
  'Signed position value at the latest mark, in the valuation currency.',
);
const POSITION_AVG = family('trading_position_avg_price', 'gauge', 'Average cost of the open position, in the quote currency.');
const UNREALIZED = family('trading_unrealized_pnl', 'gauge', 'Unrealized PnL at the latest mark, in the valuation currency.');
const REALIZED = family('trading_realized_pnl', 'gauge', 'Realized PnL net of fees, in the valuation currency.');
const DAILY = family('trading_daily_pnl', 'gauge', 'Equity change since the start of the current UTC day of event time.');
const DRAWDOWN = family('trading_drawdown_ratio', 'gauge', 'Current fall of equity from its running peak (0.1 = 10 %).');
const MAX_DD = family('trading_max_drawdown_ratio', 'gauge', 'Largest drawdown of sampled equity within the window.');
const SHARPE = family('trading_sharpe_ratio', 'gauge', 'Annualized Sharpe ratio of periodic equity returns in the window.');
const SORTINO = family('trading_sortino_ratio', 'gauge', 'Annualized Sortino ratio of periodic equity returns in the window.');
const VOLATILITY = family('trading_volatility_ratio', 'gauge', 'Annualized volatility of periodic equity returns in the window.');
const ROUND_TRIPS = family('trading_round_trips_total', 'counter', 'Round trips (a position back to zero or flipped) by outcome.');
const WIN_RATE = family('trading_win_rate_ratio', 'gauge', 'Winning round trips over all round trips in the window.');
const PROFIT_FACTOR = family('trading_profit_factor', 'gauge', 'Gross profit over gross loss of round trips in the window.');
const EXPECTANCY = family('trading_expectancy', 'gauge', 'Mean PnL per round trip in the window, in the valuation currency.');

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
    ROUND_TRIPS,
    WIN_RATE,
    PROFIT_FACTOR,
    EXPECTANCY,
  ];

  constructor(
    private readonly store: Store,
    private readonly windows: AnalyticsWindows,
  ) {}

  update(sink: MetricSink): void {
    for (const [engine, s] of this.store.engines) {
      const equity = s.equity.current;
      if (equity !== null) sink.add(EQUITY, { engine }, equity);
      for (const [currency, amount] of s.cash) sink.add(CASH, { engine, currency }, amount.toNumber());
      for (const [currency, gap] of s.cashGap) sink.add(CASH_GAP, { engine, currency }, gap);

      for (const [symbol, p] of s.positions) {
        const quote = splitSymbol(symbol)[1];
        const realized = p.realized.toNumber();
        sink.add(REALIZED, { engine, symbol }, s.toValuation(realized, quote) ?? realized);
        // A flat position's point-in-time series are removed, so cardinality stays bounded.
        if (p.isFlat) continue;
        const labels = { engine, symbol };
        sink.add(POSITION_QTY, labels, p.quantity.toNumber());
        sink.add(POSITION_AVG, labels, p.avgPrice.toNumber());
        const mark = s.marks.get(symbol);
        if (!mark) continue;
        const notional = s.toValuation(p.quantity.toNumber() * mark.price, quote);
        const unrealized = s.toValuation(p.unrealizedAt(mark.price).toNumber(), quote);
        if (notional !== undefined) sink.add(POSITION_NOTIONAL, labels, notional);
        if (unrealized !== undefined) sink.add(UNREALIZED, labels, unrealized);
      }

      sink.add(DAILY, { engine }, s.equity.dailyPnl());
      sink.add(DRAWDOWN, { engine }, s.equity.drawdown());
      for (const { labels, value } of s.roundTripOutcomes.values()) sink.add(ROUND_TRIPS, { engine, ...labels }, value);

      const now = s.lastEventTs ?? 0;
      for (const w of this.windows.windows) {
        const labels = { engine, window: w.name };
        const r = returnStats(samplesInWindow(s.equity.samples, now, w.ms), this.windows.periodsPerYear);
        sink.add(MAX_DD, labels, r.maxDrawdown);
        sink.add(SHARPE, labels, r.sharpe);
        sink.add(SORTINO, labels, r.sortino);
        sink.add(VOLATILITY, labels, r.volatility);
        const t = tradeStats(tripsInWindow(s.roundTrips, now, w.ms));
        sink.add(WIN_RATE, labels, t.winRate);
        sink.add(PROFIT_FACTOR, labels, t.profitFactor);
        sink.add(EXPECTANCY, labels, t.expectancy);
      }
    }
  }
}
