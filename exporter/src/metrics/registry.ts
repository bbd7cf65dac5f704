/**
 * One small interface for every metrics area (node_exporter's habit): a collector
 * declares its metric families once and, at each scrape, writes their samples from the
 * state. The registry runs them all, times each, and reports each one's success.
 *
 * Our families are written in the text format directly (exposition.ts says why); the
 * process and Node.js metrics come from prom-client's own registry, through its public API.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Distribution, Labels } from '../state/common/counters';
import { familyHeader, formatLabels, formatValue, sampleLine } from './exposition';

export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
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

/** A family's header and this scrape's sample lines. */
interface Lines {
  readonly header: string;
  readonly samples: string[];
}

export class MetricsRegistry implements MetricSink {
  /** prom-client's registry, for the process and Node.js metrics only. */
  readonly process = new Registry();
  private readonly collectors: Collector[] = [];
  private readonly lines = new Map<string, Lines>();
  private readonly onError: (collector: string, err: unknown) => void;

  constructor(
    options: { processMetrics?: boolean; onError?: (collector: string, err: unknown) => void } = {},
  ) {
    this.onError = options.onError ?? (() => undefined);
    this.registerFamily(COLLECTOR_DURATION);
    this.registerFamily(COLLECTOR_SUCCESS);
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.process });
      // prom-client names these gauges with `_total`, which promtool rejects; they are
      // also covered by process_* and nodejs_eventloop_*, so they are dropped.
      for (const name of [
        'nodejs_active_handles_total',
        'nodejs_active_requests_total',
        'nodejs_active_resources_total',
      ]) {
        this.process.removeSingleMetric(name);
      }
    }
  }

  register(collector: Collector): void {
    this.collectors.push(collector);
    for (const f of collector.families) this.registerFamily(f);
  }

  add(f: Family, labels: Labels, value: number): void {
    this.lines.get(f.name)?.samples.push(sampleLine(f.name, labels, value));
  }

  histogram(f: Family, labels: Labels, dist: Distribution): void {
    const out = this.lines.get(f.name)?.samples;
    if (!out) return;
    const bucket = `${f.name}_bucket`;
    for (let i = 0; i < dist.buckets.length; i++)
      out.push(sampleLine(bucket, labels, dist.counts[i], `le="${dist.buckets[i]}"`));
    out.push(sampleLine(bucket, labels, dist.count, 'le="+Inf"'));
    const plain = formatLabels(labels);
    out.push(`${f.name}_sum${plain} ${formatValue(dist.sum)}`);
    out.push(`${f.name}_count${plain} ${formatValue(dist.count)}`);
  }

  /** Runs every collector, then writes the text format (0.0.4): our families, then the process's. */
  async scrape(): Promise<string> {
    for (const l of this.lines.values()) l.samples.length = 0;
    for (const c of this.collectors) {
      const start = process.hrtime.bigint();
      let ok = 1;
      try {
        c.update(this);
      } catch (err) {
        ok = 0;
        // A broken collector loses its own samples only; the scrape goes on.
        for (const f of c.families) this.lines.get(f.name)!.samples.length = 0;
        this.onError(c.name, err);
      }
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.add(COLLECTOR_DURATION, { collector: c.name }, seconds);
      this.add(COLLECTOR_SUCCESS, { collector: c.name }, ok);
    }
    const parts: string[] = [];
    for (const { header, samples } of this.lines.values())
      parts.push(samples.length === 0 ? header : `${header}\n${samples.join('\n')}`);
    const own = parts.join('\n\n');
    if (this.process.getMetricsAsArray().length === 0) return `${own}\n`;
    return `${own}\n\n${await this.process.metrics()}`;
  }

  get contentType(): string {
    return Registry.PROMETHEUS_CONTENT_TYPE;
  }

  private registerFamily(f: Family): void {
    if (this.lines.has(f.name)) throw new Error(`metric family ${f.name} is registered twice`);
    this.lines.set(f.name, { header: familyHeader(f.name, f.help, f.type), samples: [] });
  }
}
