import type { Store } from '../../state/store';
import { exposureOf } from '../../state/report';
import { family, type Collector, type MetricSink } from '../registry';
import { REPORTED_FIGURES } from './reconciliation';

const HALTED = family(
  'trading_halted',
  'gauge',
  'Whether the engine is halted by its risk manager (1) or trading (0).',
);
const HALTS = family('trading_halts_total', 'counter', 'Times the engine went from trading to halted.');
const EXPOSURE = family(
  'trading_exposure_ratio',
  'gauge',
  'Gross position notional (sum of absolute values) over equity.',
);
const CONCENTRATION = family(
  'trading_concentration_ratio',
  'gauge',
  'One symbol’s absolute position notional over equity.',
);
const RISK_VALUE = family(
  'trading_risk_value',
  'gauge',
  'Current value of a risk limit’s measure, as the engine reports it.',
);
const RISK_LIMIT = family(
  'trading_risk_limit',
  'gauge',
  'The limit a risk measure must stay within, as the engine reports it.',
);
const LOSSES = family(
  'trading_consecutive_losses',
  'gauge',
  'Losing round trips in a row (a win resets it; a break-even leaves it).',
);
const STRATEGY_LOSSES = family(
  'trading_strategy_consecutive_losses',
  'gauge',
  'One strategy’s losing round trips in a row (a win resets it; a break-even leaves it).',
);

export class RiskCollector implements Collector {
  readonly name = 'risk';
  readonly families = [
    HALTED,
    HALTS,
    EXPOSURE,
    CONCENTRATION,
    RISK_VALUE,
    RISK_LIMIT,
    LOSSES,
    STRATEGY_LOSSES,
  ];

  constructor(private readonly store: Store) {}

  update(sink: MetricSink): void {
    for (const [engine, s] of this.store.engines) {
      sink.add(HALTED, { engine }, s.risk.halted ? 1 : 0);
      sink.add(HALTS, { engine }, s.risk.haltsTotal);
      sink.add(LOSSES, { engine }, s.portfolio.trips.engine.consecutiveLosses);
      for (const [strategy, series] of s.portfolio.trips.strategies)
        sink.add(STRATEGY_LOSSES, { engine, strategy }, series.consecutiveLosses);
      for (const [limit, v] of s.risk.riskLimits) {
        // The engine's own equity and PnL are not limits: reconciliation.ts exports them.
        if (limit in REPORTED_FIGURES) continue;
        sink.add(RISK_VALUE, { engine, limit }, v.value);
        sink.add(RISK_LIMIT, { engine, limit }, v.limit);
      }
      const { exposure, concentration } = exposureOf(s);
      if (exposure === null) continue;
      sink.add(EXPOSURE, { engine }, exposure);
      for (const [symbol, ratio] of Object.entries(concentration))
        sink.add(CONCENTRATION, { engine, symbol }, ratio);
    }
  }
}
