import { thresholds as t } from '@tradewatch/alerting';
import type { DashboardSpec } from './lib/dashboard';
import * as p from './lib/panels';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { priceChartPanel } from './market';
import { execution as q, market as m } from './queries';

/** Slippage per bucket over the time range (Grafana's heatmap format de-accumulates the buckets). */
function slippageDistributionPanel() {
  return p
    .barGaugePanel('Slippage distribution (time range, bps up to)', [], {
      description:
        'Fills per slippage bucket (trading_slippage_bps): the bar named 5 counts fills that slipped more than the bucket below and up to 5 bps; negative is better than the arrival price.',
    })
    .withTarget(
      p
        .target({ expr: m.slippageBuckets, legend: '{{le}}', instant: true }, 'A')
        .format(prometheus.PromQueryFormat.Heatmap),
    );
}

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
            unit: p.units.amount,
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
            unit: p.units.amount,
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
    { title: 'Prices, buys and sells', height: 8, panels: [[priceChartPanel(), 24]] },
    {
      title: 'Market data and slippage',
      height: 8,
      panels: [
        [
          p.timeseriesPanel(
            'Market data age by symbol',
            [{ expr: m.dataAge, legend: '{{engine}} {{symbol}}' }],
            {
              unit: p.units.seconds,
              thresholds: p.rising(t.marketDataStaleSeconds / 4, t.marketDataStaleSeconds),
              description: 'Wall-clock seconds since the latest mark of each symbol arrived.',
            },
          ),
          8,
        ],
        [
          p.timeseriesPanel(
            'Slippage p50 / p95 by symbol and side (bps)',
            [
              { expr: m.slippageP50, legend: 'p50 {{symbol}} {{side}}' },
              { expr: m.slippageP95, legend: 'p95 {{symbol}} {{side}}' },
            ],
            {
              thresholds: p.rising(t.slippageP95Bps / 2, t.slippageP95Bps),
              description:
                'Fill price against the arrival price (the mark when the order was created), positive when worse for the trader.',
            },
          ),
          8,
        ],
        [slippageDistributionPanel(), 8],
      ],
    },
    {
      title: 'Limit orders and fill ratio',
      height: 7,
      panels: [
        [
          p.timeseriesPanel(
            'Limit fills: improvement over the limit price, p50 (bps)',
            [{ expr: m.improvementP50, legend: '{{symbol}}' }],
            { description: 'Basis points by which limit fills beat their limit price (0 = at the limit).' },
          ),
          10,
        ],
        [
          p.barGaugePanel(
            'Mean fill ratio of closed orders by type (time range)',
            [{ expr: m.fillRatioByType, legend: '{{order_type}}', instant: true }],
            { unit: p.units.ratio, min: 0, max: 1 },
          ),
          8,
        ],
        [
          p.statPanel('Fills without an arrival mark (time range)', [
            { expr: m.unpricedRange, legend: '{{engine}}' },
          ]),
          6,
        ],
      ],
    },
  ],
};
