/** Failures of the pull and bus sources (freqtrade, …), by source and cause. */
import type { LabeledCounter } from '../../state/common/counters';
import { family, type Collector, type MetricSink } from '../registry';

const SOURCE_ERRORS = family(
  'tradewatch_source_errors_total',
  'counter',
  'Failures of a pull or bus source (unreachable, unauthorized, rate_limited, html, malformed_json, schema, …).',
);

export class SourcesCollector implements Collector {
  readonly name = 'sources';
  readonly families = [SOURCE_ERRORS];

  constructor(private readonly errors: LabeledCounter) {}

  update(sink: MetricSink): void {
    for (const { labels, value } of this.errors.values()) sink.add(SOURCE_ERRORS, labels, value);
  }
}
