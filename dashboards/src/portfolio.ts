import { thresholds as t } from '@tradewatch/alerting';
import type { DashboardSpec } from './lib/dashboard';
import * as p from './lib/panels';
import { portfolio as q, producers } from './queries';

export const portfolioDashboard: DashboardSpec = {
  key: 'portfolio',
  title: 'tradewatch / Portfolio and performance',
  description: 'Positions, PnL by symbol, equity curve, drawdown and return statistics by window.',
  variables: ['engine', 'symbol'],
  rows: [
    {
      height: 4,
      panels: [
        [p.statPanel('Equity', [{ expr: q.equity, legend: '{{engine}}' }], { unit: p.units.money }), 4],
        [
          p.statPanel('Realized PnL', [{ expr: q.realized, legend: '{{engine}}' }], {
            unit: p.units.money,
            thresholds: p.signed(),
          }),
          4,
        ],
        [
          p.statPanel('Unrealized PnL', [{ expr: q.unrealized, legend: '{{engine}}' }], {
            unit: p.units.money,
            thresholds: p.signed(),
          }),
          4,
        ],
        [
          p.statPanel('Daily PnL', [{ expr: q.dailyPnl, legend: '{{engine}}' }], {
            unit: p.units.money,
            thresholds: p.signed(),
          }),
          4,
        ],
        [
          p.statPanel('Drawdown', [{ expr: q.drawdown, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.drawdown.warning, t.drawdown.critical),
          }),
          4,
        ],
        [
          p.statPanel('Max drawdown (30d)', [{ expr: q.maxDrawdown30d, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.drawdown.warning, t.drawdown.critical),
            nanText: 'too few periods',
          }),
          4,
        ],
      ],
    },
    {
      title: 'Equity and drawdown',
      height: 8,
      panels: [
        [
          p.timeseriesPanel('Equity curve', [{ expr: q.equity, legend: '{{engine}}' }], {
            unit: p.units.money,
          }),
          12,
        ],
        [
          p.timeseriesPanel('Drawdown', [{ expr: q.drawdown, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.drawdown.warning, t.drawdown.critical),
            min: 0,
          }),
          12,
        ],
      ],
    },
    {
      title: 'Positions',
      height: 8,
      panels: [
        [
          p.tablePanel(
            'Positions',
            ['engine', 'symbol'],
            [
              { expr: q.positionQuantity, legend: 'Quantity' },
              { expr: q.positionAvgPrice, legend: 'Avg price' },
              { expr: q.positionNotional, legend: 'Notional' },
              { expr: q.positionUnrealized, legend: 'Unrealized PnL' },
              { expr: q.positionRealized, legend: 'Realized PnL' },
            ],
          ),
          14,
        ],
        [
          p.barGaugePanel(
            'PnL by symbol (realized + unrealized)',
            [{ expr: q.pnlBySymbol, legend: '{{symbol}}' }],
            { unit: p.units.money, thresholds: p.signed() },
          ),
          10,
        ],
      ],
    },
    {
      title: 'Return statistics by window',
      height: 8,
      panels: [
        [
          p.tablePanel(
            'Return statistics',
            ['engine', 'window'],
            [
              { expr: q.sharpe, legend: 'Sharpe' },
              { expr: q.sortino, legend: 'Sortino' },
              { expr: q.volatility, legend: 'Volatility (annualized)' },
              { expr: q.maxDrawdown, legend: 'Max drawdown' },
              { expr: q.winRate, legend: 'Win rate' },
              { expr: q.profitFactor, legend: 'Profit factor' },
              { expr: q.expectancy, legend: 'Expectancy' },
            ],
            { decimals: 3, nanText: 'too few periods' },
          ),
          16,
        ],
        [
          p.barGaugePanel('Round trips by outcome', [{ expr: q.roundTripsByOutcome, legend: '{{outcome}}' }]),
          8,
        ],
      ],
    },
    {
      title: 'Cash and notional',
      height: 8,
      panels: [
        [
          p.timeseriesPanel(
            'Cash balance by currency',
            [{ expr: q.cashByCurrency, legend: '{{engine}} {{currency}}' }],
            { unit: p.units.amount },
          ),
          12,
        ],
        [
          p.timeseriesPanel(
            'Position notional by symbol (signed)',
            [{ expr: q.notionalBySymbol, legend: '{{symbol}}' }],
            { unit: p.units.money },
          ),
          12,
        ],
      ],
    },
    {
      title: 'Reconciliation: ours beside the engine’s own',
      height: 8,
      panels: [
        [
          p.timeseriesPanel(
            'Realized PnL: tradewatch vs the engine',
            [
              { expr: producers.realizedOurs, legend: '{{engine}} tradewatch' },
              { expr: producers.realizedTheirs, legend: '{{engine}} engine' },
            ],
            {
              unit: p.units.money,
              description: `TradingEngineReconciliationDrift fires when they differ by more than ${t.reconciliationDrift} for 15 minutes (docs/integrations/freqtrade.md says where they differ by design).`,
            },
          ),
          12,
        ],
        [
          p.timeseriesPanel(
            'Equity: tradewatch vs the engine',
            [
              { expr: producers.equityOurs, legend: '{{engine}} tradewatch' },
              { expr: producers.equityTheirs, legend: '{{engine}} engine' },
            ],
            { unit: p.units.money },
          ),
          12,
        ],
      ],
    },
  ],
};
