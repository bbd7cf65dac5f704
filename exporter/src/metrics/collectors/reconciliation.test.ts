/**
 * The engine's own figures beside ours: freqtrade's reported PnL, equity and heartbeat, and
 * Gal Friday's own equity (its risk manager's `galfriday_equity`), each under its own name
 * and not as a risk limit.
 */
import { validateBatch } from '../../events/validate';
import { Store } from '../../state/store';
import { MetricsRegistry } from '../registry';
import { ReconciliationCollector } from './reconciliation';
import { RiskCollector } from './risk';

const T0 = Date.parse('2026-03-02T10:00:00Z');

test('reported figures are exported as trading_engine_reported_* and left out of trading_risk_*', async () => {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const batch = validateBatch([
    {
      type: 'risk',
      ts: T0,
      engine: 'alpha',
      limits: {
        engine_reported_realized_pnl: { value: '19.36092', limit: '19.36092' },
        engine_reported_equity: { value: '1024.76122', limit: '1024.76122' },
        engine_last_process_timestamp_seconds: { value: '1772614800', limit: '1772614800' },
      },
    },
    // What the Gal Friday adapter makes of RiskManager's risk.metrics events.
    {
      type: 'risk',
      ts: T0,
      engine: 'galfriday',
      limits: {
        galfriday_equity: { value: '10250.5', limit: '10400' },
        galfriday_drawdown_ratio: { value: '0.0144', limit: '0.15' },
      },
    },
  ]);
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  store.apply(batch.events);
  const registry = new MetricsRegistry({ processMetrics: false });
  registry.register(new ReconciliationCollector(store));
  registry.register(new RiskCollector(store));
  const text = await registry.scrape();
  expect(text).toContain('trading_engine_reported_realized_pnl{engine="alpha"} 19.36092');
  expect(text).toContain('trading_engine_reported_equity{engine="alpha"} 1024.76122');
  expect(text).toContain('trading_engine_last_process_timestamp_seconds{engine="alpha"} 1772614800');
  expect(text).toContain('trading_engine_reported_equity{engine="galfriday"} 10250.5');
  expect(text).not.toContain('trading_risk_value{engine="alpha"');
  // Gal Friday's own figures stay risk figures too (its dashboards read them there).
  expect(text).toContain('trading_risk_value{engine="galfriday",limit="galfriday_drawdown_ratio"} 0.0144');
});
