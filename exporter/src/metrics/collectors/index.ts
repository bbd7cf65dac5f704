/** Every collector, registered in one place. */
import type { Store } from '../../state/store';
import type { AnalyticsWindows } from '../../state/windows';
import { MetricsRegistry } from '../registry';
import { ExecutionCollector } from './execution';
import { HealthCollector, type ExporterStats } from './health';
import { HostCollector } from './host';
import { MarketCollector } from './market';
import { PortfolioCollector } from './portfolio';
import { RiskCollector } from './risk';
import { StrategyCollector } from './strategy';

export type { ExporterStats };

export function buildMetrics(deps: {
  store: Store;
  stats: ExporterStats;
  windows: AnalyticsWindows;
  dataDir: string;
  onError?: (collector: string, err: unknown) => void;
}): MetricsRegistry {
  const registry = new MetricsRegistry({ onError: deps.onError });
  registry.register(new ExecutionCollector(deps.store));
  registry.register(new MarketCollector(deps.store));
  registry.register(new PortfolioCollector(deps.store, deps.windows));
  registry.register(new RiskCollector(deps.store));
  registry.register(new StrategyCollector(deps.store));
  registry.register(new HealthCollector(deps.store, deps.stats));
  registry.register(new HostCollector(deps.dataDir));
  return registry;
}
