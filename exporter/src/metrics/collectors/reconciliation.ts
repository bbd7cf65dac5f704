/**
 * The engine's own figures beside ours (docs/metrics.md, "Reconciliation"). They arrive as
 * risk figures of reserved names, so the journal keeps them with the engine's state:
 * `engine_reported_realized_pnl` and `engine_reported_equity` (the freqtrade adapter's
 * /profit and /balance), and Gal Friday's own equity (`galfriday_equity`, from RiskManager's
 * metrics events). The alert TradingEngineReconciliationDrift compares them with ours. And
 * the engine's own heartbeat (`engine_last_process_timestamp_seconds`, freqtrade's /health),
 * which TradingEngineNotProcessing watches.
 */
import type { Store } from '../../state/store';
import { family, type Collector, type MetricSink } from '../registry';

const REPORTED_REALIZED = family(
  'trading_engine_reported_realized_pnl',
  'gauge',
  'Realized PnL as the engine itself reports it (freqtrade: closed profit plus open trades’ realized profit, stake currency).',
);
const REPORTED_EQUITY = family(
  'trading_engine_reported_equity',
  'gauge',
  'Equity as the engine itself reports it (freqtrade: /balance total in the stake currency; Gal Friday: its risk manager’s equity).',
);

const LAST_PROCESS = family(
  'trading_engine_last_process_timestamp_seconds',
  'gauge',
  'When the engine last ran its loop, as it reports it (freqtrade: /health last_process_ts), epoch seconds.',
);

/** Risk figure names that are the engine's own figures, not limits (the risk collector skips them). */
export const REPORTED_FIGURES: Readonly<Record<string, 'realized' | 'equity' | 'last_process'>> = {
  engine_reported_realized_pnl: 'realized',
  engine_reported_equity: 'equity',
  engine_last_process_timestamp_seconds: 'last_process',
};
const EQUITY_ALIASES = ['engine_reported_equity', 'galfriday_equity'];

export class ReconciliationCollector implements Collector {
  readonly name = 'reconciliation';
  readonly families = [REPORTED_REALIZED, REPORTED_EQUITY, LAST_PROCESS];

  constructor(private readonly store: Store) {}

  update(sink: MetricSink): void {
    for (const [engine, s] of this.store.engines) {
      const realized = s.risk.riskLimits.get('engine_reported_realized_pnl');
      if (realized) sink.add(REPORTED_REALIZED, { engine }, realized.value);
      const last = s.risk.riskLimits.get('engine_last_process_timestamp_seconds');
      if (last) sink.add(LAST_PROCESS, { engine }, last.value);
      for (const name of EQUITY_ALIASES) {
        const equity = s.risk.riskLimits.get(name);
        if (!equity) continue;
        sink.add(REPORTED_EQUITY, { engine }, equity.value);
        break;
      }
    }
  }
}
