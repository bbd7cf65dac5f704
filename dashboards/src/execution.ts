import { thresholds as t } from '@tradewatch/alerting';
import type { DashboardSpec } from './lib/dashboard';
import * as p from './lib/panels';
import { execution as q } from './queries';

export const executionDashboard: DashboardSpec = {
  key: 'execution',
  title: 'tradewatch / Execution',
  description: 'Orders by status, fills, fill time, rejections, fees and traded notional.',
  variables: ['engine', 'strategy', 'symbol'],
  rows: [
    {
      height: 4,
      panels: [
        [p.statPanel('Active orders', [{ expr: q.activeOrders, legend: '{{engine}}' }]), 4],
        [
          p.statPanel('Orders submitted / min', [{ expr: q.submittedPerMin, legend: '{{engine}}' }], {
            decimals: 1,
          }),
          4,
        ],
        [
          p.statPanel('Filled share of closed orders', [{ expr: q.fillRatio, legend: '{{engine}}' }], {
            unit: p.units.ratio,
          }),
          4,
        ],
        [
          p.statPanel('Rejected share of closed orders', [{ expr: q.rejectionRatio, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.orderRejectionRatio.warning, t.orderRejectionRatio.critical),
          }),
          4,
        ],
        [
          p.statPanel('Fees paid (time range)', [{ expr: q.feesRange, legend: '{{engine}} {{currency}}' }], {
            unit: p.units.money,
          }),
          4,
        ],
        [
          p.statPanel('Filled notional (time range)', [{ expr: q.notionalRange, legend: '{{engine}}' }], {
            unit: p.units.money,
          }),
          4,
        ],
      ],
    },
    {
      title: 'Orders',
      height: 8,
      panels: [
        [
          p.timeseriesPanel(
            'Orders closed / min by status',
            [{ expr: q.closedByStatus, legend: '{{status}}' }],
            { stack: true },
          ),
          12,
        ],
        [
          p.timeseriesPanel('Orders submitted / min by symbol and side', [
            { expr: q.submittedBySymbolSide, legend: '{{symbol}} {{side}}' },
          ]),
          12,
        ],
      ],
    },
    {
      title: 'Fills',
      height: 8,
      panels: [
        [
          p.timeseriesPanel('Fills / min by symbol and side', [
            { expr: q.fillsBySymbol, legend: '{{symbol}} {{side}}' },
          ]),
          12,
        ],
        [
          p.timeseriesPanel(
            'Filled notional / min by symbol',
            [{ expr: q.notionalBySymbol, legend: '{{symbol}}' }],
            { unit: p.units.money },
          ),
          12,
        ],
      ],
    },
    {
      title: 'Fill time and costs',
      height: 8,
      panels: [
        [
          p.timeseriesPanel(
            'Order fill time (creation to complete fill)',
            [
              { expr: q.fillTimeP50, legend: 'p50 {{symbol}}' },
              { expr: q.fillTimeP95, legend: 'p95 {{symbol}}' },
            ],
            { unit: p.units.seconds },
          ),
          10,
        ],
        [
          p.timeseriesPanel('Fees / hour by currency', [{ expr: q.feesRate, legend: '{{currency}}' }], {
            unit: p.units.money,
          }),
          7,
        ],
        [
          p.barGaugePanel('Active orders by symbol and side', [
            { expr: q.activeBySymbolSide, legend: '{{symbol}} {{side}}' },
          ]),
          7,
        ],
      ],
    },
  ],
};
