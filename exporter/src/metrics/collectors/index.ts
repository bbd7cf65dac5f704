/**
 * Every collector, registered in one place (node_exporter's habit): the domain areas, the
 * host, and, when the exporter has them, the durability (journal, snapshots, NATS) and
 * trade-history collectors. The registry times each and reports its success.
 */
import type { WriterStats } from '../../history/writer';
import type { Store } from '../../state/store';
import type { LabeledCounter } from '../../state/common/counters';
import type { AnalyticsWindows } from '../../state/portfolio/windows';
import { MetricsRegistry } from '../registry';
import { DurabilityCollector, type DurabilityDeps } from './durability';
import { ExecutionCollector } from './execution';
import { HealthCollector, type ExporterStats } from './health';
import { HistoryCollector } from './history';
import { HostCollector } from './host';
import { MarketCollector } from './market';
import { PortfolioCollector } from './portfolio';
import { ReconciliationCollector } from './reconciliation';
import { RiskCollector } from './risk';
import { SourcesCollector } from './sources';
import { StrategyCollector } from './strategy';

export type { ExporterStats };

export function buildMetrics(deps: {
  store: Store;
  stats: ExporterStats;
  windows: AnalyticsWindows;
  dataDir: string;
  /** The exporter's sources and storage (left out where there are none, as in a replay). */
  durability?: DurabilityDeps;
  /** The trade history's writer, when a history is kept. */
  history?: WriterStats;
  /** tradewatch_source_errors_total{source,reason} of the pull and bus sources. */
  sourceErrors?: LabeledCounter;
  onError?: (collector: string, err: unknown) => void;
}): MetricsRegistry {
  const registry = new MetricsRegistry({ onError: deps.onError });
  registry.register(new ExecutionCollector(deps.store));
  registry.register(new MarketCollector(deps.store));
  registry.register(new PortfolioCollector(deps.store, deps.windows));
  registry.register(new RiskCollector(deps.store));
  registry.register(new StrategyCollector(deps.store));
  registry.register(new ReconciliationCollector(deps.store));
  registry.register(new HealthCollector(deps.store, deps.stats));
  registry.register(new HostCollector(deps.dataDir));
  if (deps.durability) registry.register(new DurabilityCollector(deps.durability));
  if (deps.history) registry.register(new HistoryCollector(deps.history));
  if (deps.sourceErrors) registry.register(new SourcesCollector(deps.sourceErrors));
  return registry;
}
