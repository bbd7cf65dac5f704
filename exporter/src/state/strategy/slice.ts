/** The strategy slice: each strategy's state, the transitions between them, and the signals. */
import type { SignalEvent, StrategyEvent } from '../../events/schema';
import { LabeledCounter } from '../common/counters';
import { NO_STRATEGY } from '../common/symbols';

export class StrategySlice {
  readonly strategies = new Map<string, 'active' | 'inactive' | 'transitioning'>();
  strategyTransitions = 0;
  /** The strategy that ran last (kept through a transitioning phase). */
  lastActiveStrategy: string | null = null;
  readonly signals = new LabeledCounter(); // strategy, decision

  activeStrategy(): string | null {
    for (const [name, state] of this.strategies) if (state === 'active') return name;
    return null;
  }

  /** A `strategy` event (the engine's status changes after it). */
  onStrategy(e: StrategyEvent): void {
    if (e.state === 'active') {
      // One strategy runs at a time per engine: activating one retires the others.
      for (const name of this.strategies.keys())
        if (name !== e.strategy) this.strategies.set(name, 'inactive');
    }
    if (e.from_strategy && e.from_strategy !== e.strategy) this.strategies.set(e.from_strategy, 'inactive');
    this.strategies.set(e.strategy, e.state);
    if (e.state === 'active') {
      if (this.lastActiveStrategy !== null && this.lastActiveStrategy !== e.strategy)
        this.strategyTransitions += 1;
      this.lastActiveStrategy = e.strategy;
    }
  }

  onSignal(e: SignalEvent): void {
    this.signals.inc({ strategy: e.strategy ?? this.activeStrategy() ?? NO_STRATEGY, decision: e.decision });
  }
}
