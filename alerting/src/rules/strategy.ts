import type { AlertRule } from '../model';
import { thresholds as t } from '../thresholds';

export const strategyRules: AlertRule[] = [
  {
    uid: 'tw-no-active-strategy',
    alert: 'TradingNoActiveStrategy',
    area: 'strategy',
    expr: 'max by (engine) (trading_strategy_active) == 0',
    for: '10m',
    severity: 'warning',
    summary:
      'Engine {label:engine} has had no active strategy for 10 minutes (active strategies {value}, expected at least 1).',
    description: 'Every strategy the engine reported is inactive, so the engine sends no new signals.',
    valueFormat: 'number',
    dashboard: 'strategy',
    panel: 'Strategy active',
  },
  {
    uid: 'tw-strategy-flapping',
    alert: 'TradingStrategyFlapping',
    area: 'strategy',
    expr: `sum by (engine) (increase(trading_strategy_transitions_total[1h])) > ${t.strategyTransitionsPerHour}`,
    for: '0s',
    severity: 'warning',
    summary: `Engine {label:engine} switched strategy {value} times in the last hour (limit ${t.strategyTransitionsPerHour}).`,
    description: 'The strategy selector keeps switching; each switch may cancel orders and reset state.',
    valueFormat: 'number',
    dashboard: 'strategy',
    panel: 'Strategy transitions (per 5 min)',
  },
];
