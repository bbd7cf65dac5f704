/** The trade history's writer: rows written, queued, failed writes, and whether the store is reachable. */
import type { WriterStats } from '../../history/writer';
import { family, type Collector, type MetricSink } from '../registry';

const WRITTEN = family(
  'tradewatch_history_rows_written_total',
  'counter',
  'Rows written to the trade history store.',
);
const QUEUED = family(
  'tradewatch_history_rows_queued',
  'gauge',
  'Rows waiting to be written to the trade history store (the journal holds them too).',
);
const FAILURES = family(
  'tradewatch_history_write_failures_total',
  'counter',
  'Writes to the trade history store that failed (and were retried).',
);
const CATCHING_UP = family(
  'tradewatch_history_catching_up',
  'gauge',
  'Whether rows the writer could not hold in memory are being derived again from the journal (1) or not (0).',
);
const CAUGHT_UP = family(
  'tradewatch_history_rows_caught_up_total',
  'counter',
  'Rows written to the trade history store after being derived again from the journal.',
);
const SET_ASIDE = family(
  'tradewatch_history_rows_set_aside_total',
  'counter',
  "Rows the trade history store refused, set aside in the data dir's history-dead-letter.jsonl.",
);
const UP = family(
  'tradewatch_history_store_up',
  'gauge',
  'Whether the last write to the trade history store succeeded (1) or failed (0).',
);

export class HistoryCollector implements Collector {
  readonly name = 'history';
  readonly families = [WRITTEN, QUEUED, FAILURES, UP, CATCHING_UP, CAUGHT_UP, SET_ASIDE];

  constructor(private readonly stats: WriterStats) {}

  update(sink: MetricSink): void {
    sink.add(WRITTEN, {}, this.stats.written);
    sink.add(QUEUED, {}, this.stats.queued);
    sink.add(FAILURES, {}, this.stats.failures);
    sink.add(UP, {}, this.stats.down ? 0 : 1);
    sink.add(CATCHING_UP, {}, this.stats.catchingUp ? 1 : 0);
    sink.add(CAUGHT_UP, {}, this.stats.caughtUp);
    sink.add(SET_ASIDE, {}, this.stats.setAside);
  }
}
