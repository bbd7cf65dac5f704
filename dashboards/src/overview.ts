import { thresholds as t } from '@tradewatch/alerting';
import type { DashboardSpec } from './lib/dashboard';
import * as p from './lib/panels';
import { priceChartPanel } from './market';
import { bots, overview as q } from './queries';

export const overviewDashboard: DashboardSpec = {
  key: 'overview',
  title: 'tradewatch / Overview',
  description: 'For traders: equity, PnL, drawdown, risk state, performance, live orders and firing alerts.',
  variables: ['engine', 'strategy', 'symbol'],
  rows: [
    {
      height: 4,
      panels: [
        [p.statPanel('Equity', [{ expr: q.equity, legend: '{{engine}}' }], { unit: p.units.money }), 3],
        [
          p.statPanel('Daily PnL', [{ expr: q.dailyPnl, legend: '{{engine}}' }], {
            unit: p.units.money,
            thresholds: p.signed(),
          }),
          3,
        ],
        [
          p.statPanel('Drawdown', [{ expr: q.drawdown, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.drawdown.warning, t.drawdown.critical),
          }),
          3,
        ],
        [
          p.statPanel('Exposure', [{ expr: q.exposure, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.exposure.warning, t.exposure.critical),
          }),
          3,
        ],
        [
          p.statPanel('Trading state', [{ expr: q.halted, legend: '{{engine}}' }], {
            mappings: p.boolMapping('Trading', 'HALTED'),
            thresholds: p.rising(0.5, 0.5),
          }),
          3,
        ],
        [
          p.statPanel('Win rate (7d)', [{ expr: q.winRate7d, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.falling(t.winRate.bad, t.winRate.good),
            nanText: 'no round trips',
          }),
          3,
        ],
        [
          p.statPanel('Sharpe (30d)', [{ expr: q.sharpe30d, legend: '{{engine}}' }], {
            decimals: 2,
            thresholds: p.falling(t.sharpe.bad, t.sharpe.good),
            nanText: 'too few periods',
          }),
          3,
        ],
        [p.statPanel('Active orders', [{ expr: q.activeOrders, legend: '{{engine}}' }]), 3],
      ],
    },
    {
      title: 'Bots',
      height: 6,
      panels: [
        [
          p.statPanel('Bots up', [{ expr: bots.up(t.engineSilentSeconds), legend: '{{engine}}' }], {
            mappings: p.boolMapping('DOWN', 'UP', p.colors.bad, p.colors.ok),
            thresholds: p.falling(1, 1),
            text: 'name',
            description: `Each engine (each freqtrade bot) heard from within ${t.engineSilentSeconds} s: UP, else DOWN. Pick bots with the Engine selector.`,
          }),
          6,
        ],
        [
          p.tablePanel(
            'Bots',
            ['engine'],
            [
              { expr: bots.openPositions, legend: 'Open positions' },
              { expr: bots.activeOrders, legend: 'Active orders' },
              { expr: bots.dailyPnl, legend: 'PnL today' },
              { expr: bots.realized, legend: 'Realized PnL' },
              { expr: bots.equity, legend: 'Equity' },
              { expr: bots.heartbeatAge, legend: 'Last heartbeat (s ago)' },
            ],
            {
              decimals: 2,
              description:
                "One row per engine. The heartbeat is the engine's own last loop where it reports one (freqtrade's /health), else its latest event.",
            },
          ),
          18,
        ],
      ],
    },
    {
      height: 8,
      panels: [
        [
          p.timeseriesPanel('Equity', [{ expr: q.equity, legend: '{{engine}}' }], { unit: p.units.money }),
          10,
        ],
        [
          p.timeseriesPanel(
            'Total PnL (realized + unrealized)',
            [{ expr: q.pnlTotal, legend: '{{engine}}' }],
            { unit: p.units.money },
          ),
          6,
        ],
        [
          p.statPanel('Firing alerts', [{ expr: q.firingAlerts, legend: 'firing' }], {
            thresholds: p.rising(1, 1),
            description: 'Prometheus-evaluated tradewatch rules now firing.',
          }),
          2,
        ],
        [p.alertListPanel('Firing alerts (Grafana)'), 6],
      ],
    },
    { title: 'Prices, buys and sells', height: 8, panels: [[priceChartPanel(), 24]] },
    { title: 'Active orders', height: 12, panels: [[p.blotterPanel('Order blotter'), 24]] },
  ],
};
