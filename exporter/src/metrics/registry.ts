/**
 * One small interface for every metrics area (node_exporter's habit): a collector
 * declares its metric families once and, at each scrape, writes their samples from the
 * state. The registry runs them all, times each, and reports each one's success.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Distribution, Labels } from '../state/tallies';

export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
}

export interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** Where a collector writes this scrape's samples. */
export interface MetricSink {
  add(family: Family, labels: Labels, value: number): void;
  histogram(family: Family, labels: Labels, dist: Distribution): void;
}

export interface Collector {
  /** Short area name: execution, portfolio, risk, strategy, health, host. */
  readonly name: string;
  readonly families: readonly Family[];
  update(sink: MetricSink): void;
}

export function family(name: string, type: MetricType, help: string): Family {
  return { name, type, help };
}

const COLLECTOR_DURATION = family(
  'tradewatch_collector_duration_seconds',
  'gauge',
  'Time a metrics collector took during the last scrape.',
);
const COLLECTOR_SUCCESS = family(
  'tradewatch_collector_success',
  'gauge',
  'Whether a metrics collector succeeded during the last scrape (1) or failed (0).',
);

export class MetricsRegistry implements MetricSink {
  readonly prom = new Registry();
  private readonly collectors: Collector[] = [];
  private readonly samples = new Map<string, Sample[]>();
  private readonly onError: (collector: string, err: unknown) => void;

  constructor(
    options: { processMetrics?: boolean; onError?: (collector: string, err: unknown) => void } = {},
  ) {
    this.onError = options.onError ?? (() => undefined);
    this.registerFamily(COLLECTOR_DURATION);
    this.registerFamily(COLLECTOR_SUCCESS);
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.prom });
      // prom-client names these gauges with `_total`, which promtool rejects; they are
      // also covered by process_* and nodejs_eventloop_*, so they are dropped.
      for (const name of [
        'nodejs_active_handles_total',
        'nodejs_active_requests_total',
        'nodejs_active_resources_total',
      ]) {
        this.prom.removeSingleMetric(name);
      }
    }
  }

  register(collector: Collector): void {
    this.collectors.push(collector);
    for (const f of collector.families) this.registerFamily(f);
  }

  add(f: Family, labels: Labels, value: number): void {
    this.samples.get(f.name)?.push({ labels, value });
  }

  histogram(f: Family, labels: Labels, dist: Distribution): void {
    const out = this.samples.get(f.name);
    if (!out) return;
    for (let i = 0; i < dist.buckets.length; i++) {
      out.push({
        metricName: `${f.name}_bucket`,
        labels: { ...labels, le: String(dist.buckets[i]) },
        value: dist.counts[i],
      });
    }
    out.push({ metricName: `${f.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: dist.count });
    out.push({ metricName: `${f.name}_sum`, labels, value: dist.sum });
    out.push({ metricName: `${f.name}_count`, labels, value: dist.count });
  }

  /** Runs every collector, then serializes with prom-client (text format 0.0.4). */
  async scrape(): Promise<string> {
    for (const list of this.samples.values()) list.length = 0;
    for (const c of this.collectors) {
      const start = process.hrtime.bigint();
      let ok = 1;
      try {
        c.update(this);
      } catch (err) {
        ok = 0;
        // A broken collector loses its own samples only; the scrape goes on.
        for (const f of c.families) this.samples.get(f.name)!.length = 0;
        this.onError(c.name, err);
      }
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.add(COLLECTOR_DURATION, { collector: c.name }, seconds);
      this.add(COLLECTOR_SUCCESS, { collector: c.name }, ok);
    }
    return this.prom.metrics();
  }

  get contentType(): string {
    return this.prom.contentType;
  }

  private registerFamily(f: Family): void {
    const values: Sample[] = [];
    this.samples.set(f.name, values);
    // prom-client serializes anything with this shape; values come from the last update.
    this.prom.registerMetric({
      name: f.name,
      help: f.help,
      type: f.type,
      aggregator: 'sum',
      get: () => ({ name: f.name, help: f.help, type: f.type, values, aggregator: 'sum' }),
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }
}
