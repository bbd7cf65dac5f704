/**
 * The exporter's own sources and storage: when each engine was last heard from (wall
 * clock), the journal and its snapshots, the recovery at start, and the NATS consumer.
 */
import type { DurableJournal } from '../../storage/journal';
import type { LabeledCounter } from '../../state/common/counters';
import { family, type Collector, type MetricSink } from '../registry';

const LAST_SEEN = family(
  'tradewatch_engine_last_seen_timestamp_seconds',
  'gauge',
  'Wall-clock time the exporter last received an event from the engine, in Unix seconds (event time may lag; this does not).',
);
const JOURNAL_BYTES = family('tradewatch_journal_bytes', 'gauge', 'Bytes of journal segments on disk.');
const JOURNAL_SYNC = family(
  'tradewatch_journal_sync_seconds',
  'histogram',
  'Time to flush one journaled batch to disk.',
);
const SNAPSHOTS = family(
  'tradewatch_snapshots_total',
  'counter',
  'Snapshots of the state written, by outcome.',
);
const SNAPSHOT_LAST = family(
  'tradewatch_snapshot_last_timestamp_seconds',
  'gauge',
  'Wall-clock time of the last snapshot written, in Unix seconds.',
);
const SNAPSHOT_BYTES = family('tradewatch_snapshot_bytes', 'gauge', 'Size of the last snapshot written.');
const RECOVERY_SECONDS = family(
  'tradewatch_recovery_duration_seconds',
  'gauge',
  'Time the last start took to restore the state (snapshot and journal).',
);
const RECOVERY_EVENTS = family(
  'tradewatch_recovery_replayed_events',
  'gauge',
  'Journaled events replayed after the snapshot at the last start.',
);
const DAMAGED = family(
  'tradewatch_journal_damaged_records',
  'gauge',
  'Journal records found damaged at the last start: torn (cut off at the end) or corrupt (skipped).',
);
const NATS_CONNECTED = family(
  'tradewatch_nats_connected',
  'gauge',
  'Whether the NATS source is connected and consuming (1) or not (0).',
);
const NATS_MESSAGES = family(
  'tradewatch_nats_messages_total',
  'counter',
  'NATS messages handled, by outcome (applied, rejected, failed).',
);

export interface NatsStats {
  connected(): boolean;
  readonly messages: LabeledCounter; // outcome
}

export interface DurabilityDeps {
  lastSeen: ReadonlyMap<string, number>;
  journal: DurableJournal | null;
  nats: () => NatsStats | null;
}

export class DurabilityCollector implements Collector {
  readonly name = 'durability';
  readonly families = [
    LAST_SEEN,
    JOURNAL_BYTES,
    JOURNAL_SYNC,
    SNAPSHOTS,
    SNAPSHOT_LAST,
    SNAPSHOT_BYTES,
    RECOVERY_SECONDS,
    RECOVERY_EVENTS,
    DAMAGED,
    NATS_CONNECTED,
    NATS_MESSAGES,
  ];

  constructor(private readonly deps: DurabilityDeps) {}

  update(sink: MetricSink): void {
    for (const [engine, at] of this.deps.lastSeen) sink.add(LAST_SEEN, { engine }, at / 1000);
    const journal = this.deps.journal;
    if (journal) {
      const s = journal.stats;
      sink.add(JOURNAL_BYTES, {}, s.journalBytes);
      sink.histogram(JOURNAL_SYNC, {}, s.syncSeconds);
      sink.add(SNAPSHOTS, { outcome: 'ok' }, s.snapshots.ok);
      sink.add(SNAPSHOTS, { outcome: 'failed' }, s.snapshots.failed);
      if (s.lastSnapshotAt !== null) {
        sink.add(SNAPSHOT_LAST, {}, s.lastSnapshotAt / 1000);
        sink.add(SNAPSHOT_BYTES, {}, s.lastSnapshotBytes);
      }
      if (s.recovery) {
        sink.add(RECOVERY_SECONDS, {}, s.recovery.seconds);
        sink.add(RECOVERY_EVENTS, {}, s.recovery.events);
        sink.add(DAMAGED, { reason: 'torn' }, s.recovery.tornBytes > 0 ? 1 : 0);
        sink.add(DAMAGED, { reason: 'corrupt' }, s.recovery.corruptRecords);
      }
    }
    const nats = this.deps.nats();
    if (nats) {
      sink.add(NATS_CONNECTED, {}, nats.connected() ? 1 : 0);
      for (const { labels, value } of nats.messages.values()) sink.add(NATS_MESSAGES, labels, value);
    }
  }
}
