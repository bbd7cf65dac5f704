import type { Store } from '../../state/store';
import { family, type Collector, type MetricSink } from '../registry';

const ACTIVE = family(
  'trading_strategy_active',
  'gauge',
  'Whether a strategy is the one running (1) or not (0).',
);
const TRANSITIONS = family(
  'trading_strategy_transitions_total',
  'counter',
  'Changes of the running strategy.',
);
const SIGNALS = family('trading_signals_total', 'counter', 'Trade signals by the risk manager’s decision.');

/** Strategies kept as 0-valued series after they stop: the most recent ones only. */
const RETIRED_KEPT = 8;

export class StrategyCollector implements Collector {
  readonly name = 'strategy';
  readonly families = [ACTIVE, TRANSITIONS, SIGNALS];

  constructor(private readonly store: Store) {}

  update(sink: MetricSink): void {
    for (const [engine, s] of this.store.engines) {
      const names = [...s.strategy.strategies.keys()];
      const keep = new Set(names.slice(-RETIRED_KEPT));
      for (const [strategy, state] of s.strategy.strategies) {
        if (state !== 'active' && !keep.has(strategy)) continue;
        sink.add(ACTIVE, { engine, strategy }, state === 'active' ? 1 : 0);
      }
      sink.add(TRANSITIONS, { engine }, s.strategy.strategyTransitions);
      for (const { labels, value } of s.strategy.signals.values())
        sink.add(SIGNALS, { engine, ...labels }, value);
    }
  }
}
