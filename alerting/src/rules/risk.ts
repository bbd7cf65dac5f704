import type { AlertRule } from '../model';
import { fmt } from '../model';
import { pendingFor, thresholds as t } from '../thresholds';

const levels = ['warning', 'critical'] as const;
const name = (base: string, level: 'warning' | 'critical') =>
  `${base}${level === 'warning' ? 'Warning' : 'Critical'}`;

export const riskRules: AlertRule[] = [
  {
    uid: 'tw-halted',
    alert: 'TradingHalted',
    area: 'risk',
    expr: 'max by (engine) (trading_halted) == 1',
    for: pendingFor.instant,
    severity: 'critical',
    summary:
      'Engine {label:engine} is halted: its kill switch fired and it no longer trades (value {value}, limit 0).',
    description:
      'The engine reported halted=true. Open orders may still be on the venue. Find the halt reason in the engine log and on the Risk dashboard before resuming.',
    valueFormat: 'number',
    dashboard: 'risk',
    panel: 'Trading state',
  },
  ...levels.map((level): AlertRule => ({
    uid: `tw-exposure-${level}`,
    alert: name('TradingExposure', level),
    area: 'risk',
    expr: `max by (engine) (trading_exposure_ratio) > ${t.exposure[level]}`,
    for: pendingFor.risk,
    severity: level,
    summary: `Engine {label:engine} holds a gross exposure of {value} of equity (limit ${fmt(t.exposure[level], 'percent')}).`,
    description: 'Gross position notional over equity is above the exposure threshold.',
    valueFormat: 'percent',
    dashboard: 'risk',
    panel: 'Exposure (gross notional / equity)',
  })),
  ...levels.map((level): AlertRule => ({
    uid: `tw-concentration-${level}`,
    alert: name('TradingConcentration', level),
    area: 'risk',
    expr: `max by (engine, symbol) (trading_concentration_ratio) > ${t.concentration[level]}`,
    for: pendingFor.risk,
    severity: level,
    summary: `Engine {label:engine} holds {value} of its equity in {label:symbol} (limit ${fmt(t.concentration[level], 'percent')}).`,
    description: 'One symbol makes up a larger share of equity than the concentration threshold.',
    valueFormat: 'percent',
    dashboard: 'risk',
    panel: 'Concentration by symbol',
  })),
  ...levels.map((level): AlertRule => ({
    uid: `tw-consecutive-losses-${level}`,
    alert: name('TradingConsecutiveLosses', level),
    area: 'risk',
    expr: `max by (engine) (trading_consecutive_losses) >= ${t.consecutiveLosses[level]}`,
    for: pendingFor.instant,
    severity: level,
    summary: `Engine {label:engine} lost {value} round trips in a row (limit ${t.consecutiveLosses[level]}).`,
    description: 'A run of losing round trips: the strategy may no longer fit the market.',
    valueFormat: 'number',
    dashboard: 'risk',
    panel: 'Consecutive losses',
  })),
];
