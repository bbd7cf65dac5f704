/**
 * An engine's state as its area slices, named as the metrics collectors and alert rules
 * are (execution, portfolio, risk, strategy, health, market). dispatch.ts applies events
 * to them; engine.ts holds them. Kept apart from engine.ts so that neither the dispatch
 * nor any handler imports the engine (no import cycle).
 */
import type { ExecutionSlice } from './execution/slice';
import type { HealthSlice } from './health/slice';
import type { MarketSlice } from './market/slice';
import type { PortfolioSlice } from './portfolio/slice';
import type { RiskSlice } from './risk/slice';
import type { StatusSource } from './records';
import type { StrategySlice } from './strategy/slice';

export interface EngineSlices {
  readonly engine: string;
  readonly execution: ExecutionSlice;
  readonly portfolio: PortfolioSlice;
  readonly market: MarketSlice;
  readonly risk: RiskSlice;
  readonly strategy: StrategySlice;
  readonly health: HealthSlice;
}

export type SliceName = Exclude<keyof EngineSlices, 'engine'>;

/** What the engine's status row shows, read from its slices. */
export function statusOf(s: EngineSlices): StatusSource {
  return {
    engine: s.engine,
    lastEventTs: s.health.lastEventTs,
    halted: s.risk.halted,
    haltReason: s.risk.haltReason,
    activeStrategy: s.strategy.activeStrategy(),
    components: s.health.components,
    activeOrders: s.execution.orders.active.size,
  };
}
