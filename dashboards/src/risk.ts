import { thresholds as t } from '@tradewatch/alerting';
import type { DashboardSpec } from './lib/dashboard';
import * as p from './lib/panels';
import { risk as q } from './queries';

export const riskDashboard: DashboardSpec = {
  key: 'risk',
  title: 'tradewatch / Risk',
  description:
    "Each limit's value against its limit, exposure and concentration, consecutive losses and halts.",
  variables: ['engine', 'symbol'],
  rows: [
    {
      height: 4,
      panels: [
        [
          p.statPanel('Trading state', [{ expr: q.halted, legend: '{{engine}}' }], {
            mappings: p.boolMapping('Trading', 'HALTED'),
            thresholds: p.rising(0.5, 0.5),
          }),
          5,
        ],
        [
          p.statPanel('Halts (since start)', [{ expr: q.halts, legend: '{{engine}}' }], {
            thresholds: p.rising(1, 1),
          }),
          4,
        ],
        [
          p.statPanel('Exposure', [{ expr: q.exposure, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.exposure.warning, t.exposure.critical),
          }),
          5,
        ],
        [
          p.statPanel('Largest concentration', [{ expr: q.maxConcentration, legend: '{{engine}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.concentration.warning, t.concentration.critical),
          }),
          5,
        ],
        [
          p.statPanel('Consecutive losses', [{ expr: q.consecutiveLosses, legend: '{{engine}}' }], {
            thresholds: p.rising(t.consecutiveLosses.warning, t.consecutiveLosses.critical),
          }),
          5,
        ],
      ],
    },
    {
      title: 'Limits',
      height: 8,
      panels: [
        [
          p.barGaugePanel(
            'Limit usage (value / limit)',
            [{ expr: q.limitUsage, legend: '{{engine}} {{limit}}' }],
            { unit: p.units.ratio, thresholds: p.rising(0.8, 1), min: 0, max: 1 },
          ),
          12,
        ],
        [
          p.tablePanel(
            'Limits: value and limit',
            ['engine', 'limit'],
            [
              { expr: q.limitValue, legend: 'Value' },
              { expr: q.limitLimit, legend: 'Limit' },
              { expr: q.limitUsage, legend: 'Usage' },
            ],
            { decimals: 4 },
          ),
          12,
        ],
      ],
    },
    {
      title: 'Exposure and concentration',
      height: 8,
      panels: [
        [
          p.timeseriesPanel(
            'Exposure (gross notional / equity)',
            [{ expr: q.exposure, legend: '{{engine}}' }],
            { unit: p.units.ratio, thresholds: p.rising(t.exposure.warning, t.exposure.critical), min: 0 },
          ),
          12,
        ],
        [
          p.timeseriesPanel(
            'Concentration by symbol',
            [{ expr: q.concentrationBySymbol, legend: '{{engine}} {{symbol}}' }],
            {
              unit: p.units.ratio,
              thresholds: p.rising(t.concentration.warning, t.concentration.critical),
              min: 0,
            },
          ),
          12,
        ],
      ],
    },
    {
      title: 'Losses and halts',
      height: 7,
      panels: [
        [
          p.timeseriesPanel('Consecutive losses', [{ expr: q.consecutiveLosses, legend: '{{engine}}' }], {
            thresholds: p.rising(t.consecutiveLosses.warning, t.consecutiveLosses.critical),
            min: 0,
          }),
          12,
        ],
        [
          p.stateTimelinePanel('Halted', [{ expr: q.haltedOverTime, legend: '{{engine}}' }], {
            mappings: p.boolMapping('Trading', 'HALTED'),
          }),
          12,
        ],
      ],
    },
  ],
};
