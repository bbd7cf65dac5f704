import type { DashboardSpec } from './lib/dashboard';
import * as p from './lib/panels';
import { strategy as q } from './queries';

export const strategyDashboard: DashboardSpec = {
  key: 'strategy',
  title: 'tradewatch / Strategy',
  description: 'Which strategy runs, its transitions, and trade signals by risk decision.',
  variables: ['engine', 'strategy'],
  rows: [
    {
      height: 4,
      panels: [
        [
          p.statPanel('Active strategy', [{ expr: q.active, legend: '{{engine}}: {{strategy}}' }], {
            text: 'name',
          }),
          8,
        ],
        [
          p.statPanel('Active strategies', [{ expr: q.activeCount, legend: '{{engine}}' }], {
            thresholds: p.falling(1, 1),
          }),
          4,
        ],
        [
          p.statPanel('Transitions (time range)', [{ expr: q.transitions, legend: '{{engine}}' }], {
            decimals: 0,
          }),
          6,
        ],
        [
          p.statPanel(
            'Approved / proposed signals (time range)',
            [{ expr: q.approvalRatio, legend: '{{engine}}' }],
            { unit: p.units.ratio },
          ),
          6,
        ],
      ],
    },
    {
      title: 'Strategies',
      height: 8,
      panels: [
        [
          p.stateTimelinePanel('Strategy active', [{ expr: q.activeOverTime, legend: '{{strategy}}' }], {
            mappings: p.boolMapping('inactive', 'active', 'transparent', 'green'),
          }),
          12,
        ],
        [
          p.timeseriesPanel(
            'Strategy transitions (per 5 min)',
            [{ expr: q.transitionsOverTime, legend: '{{engine}}' }],
            { bars: true },
          ),
          12,
        ],
      ],
    },
    {
      title: 'Signals',
      height: 8,
      panels: [
        [
          p.timeseriesPanel('Signals / min by decision', [
            { expr: q.signalsByDecision, legend: '{{decision}}' },
          ]),
          12,
        ],
        [
          p.barGaugePanel('Signals by strategy and decision (time range)', [
            { expr: q.signalsByStrategyDecision, legend: '{{strategy}} {{decision}}' },
          ]),
          6,
        ],
        [
          p.barGaugePanel('Round trips by strategy and outcome (time range)', [
            { expr: q.roundTripsByStrategyOutcome, legend: '{{strategy}} {{outcome}}' },
          ]),
          6,
        ],
      ],
    },
  ],
};
