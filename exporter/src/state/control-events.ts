/**
 * The events that steer and report on an engine rather than trade: risk, strategy,
 * signals, health and the engine's own alerts.
 */
import type { AlertEvent, HealthEvent, RiskEvent, SignalEvent, StrategyEvent } from '../events/schema';
import type { Change } from './changes';
import type { EngineState } from './engine';
import { alertRow, statusChange } from './rows';
import { NO_STRATEGY } from './common/symbols';

const RECENT_ALERTS = 200;

export function applyRisk(s: EngineState, e: RiskEvent, changes: Change[]): void {
  if (e.halted !== undefined) {
    if (e.halted && !s.halted) s.haltsTotal += 1;
    s.halted = e.halted;
    s.haltReason = e.halted ? e.halt_reason : undefined;
  }
  if (e.limits) for (const [name, v] of Object.entries(e.limits)) s.riskLimits.set(name, v);
  changes.push(statusChange(s));
}

export function applyStrategy(s: EngineState, e: StrategyEvent, changes: Change[]): void {
  if (e.state === 'active') {
    // One strategy runs at a time per engine: activating one retires the others.
    for (const name of s.strategies.keys()) if (name !== e.strategy) s.strategies.set(name, 'inactive');
  }
  if (e.from_strategy && e.from_strategy !== e.strategy) s.strategies.set(e.from_strategy, 'inactive');
  s.strategies.set(e.strategy, e.state);
  if (e.state === 'active') {
    if (s.lastActiveStrategy !== null && s.lastActiveStrategy !== e.strategy) s.strategyTransitions += 1;
    s.lastActiveStrategy = e.strategy;
  }
  changes.push(statusChange(s));
}

export function applySignal(s: EngineState, e: SignalEvent): void {
  s.signals.inc({ strategy: e.strategy ?? s.activeStrategy() ?? NO_STRATEGY, decision: e.decision });
}

export function applyHealth(s: EngineState, e: HealthEvent, changes: Change[]): void {
  const venue = e.venue ?? e.component;
  if (e.latency_seconds !== undefined) s.venueLatency.observe({ venue }, e.latency_seconds);
  if (e.error !== undefined || e.status === 'down') s.venueErrors.inc({ venue });
  if (e.status !== undefined) {
    const before = s.components.get(e.component);
    s.components.set(e.component, e.status);
    if (before !== e.status) changes.push(statusChange(s));
  }
}

export function applyAlert(s: EngineState, e: AlertEvent, changes: Change[]): void {
  s.engineAlerts.inc({ severity: e.severity });
  const row = alertRow(s.engine, e);
  s.recentAlerts.push(row);
  if (s.recentAlerts.length > RECENT_ALERTS) s.recentAlerts.shift();
  changes.push({ channel: 'alerts', key: row.key, row });
}
