import type { Store } from '../../state/store';
import type { LabeledCounter } from '../../state/common/counters';
import { family, type Collector, type MetricSink } from '../registry';

const LAST_EVENT = family(
  'trading_last_event_timestamp_seconds',
  'gauge',
  'Event time of the engine’s latest event, in Unix seconds.',
);
const EVENTS = family('trading_events_total', 'counter', 'Events applied, by type.');
const VENUE_LATENCY = family(
  'trading_venue_request_seconds',
  'histogram',
  'Latency of the engine’s venue and API calls.',
);
const VENUE_ERRORS = family('trading_venue_errors_total', 'counter', 'Venue and API calls that failed.');
const COMPONENT_UP = family(
  'trading_component_up',
  'gauge',
  'Whether an engine component reports ok or degraded (1) or down (0).',
);
const ENGINE_ALERTS = family(
  'trading_engine_alerts_total',
  'counter',
  'Alerts raised by the engine itself, by severity.',
);
const REJECTED = family(
  'tradewatch_events_rejected_total',
  'counter',
  'Events or requests the exporter refused, by reason.',
);
const INGESTED = family(
  'tradewatch_events_ingested_total',
  'counter',
  'Events the exporter applied, by source.',
);
const FEED_CLIENTS = family('tradewatch_feed_clients', 'gauge', 'WebSocket feed clients connected now.');
const BUILD_INFO = family('tradewatch_build_info', 'gauge', 'Always 1; the exporter’s version in a label.');

export interface ExporterStats {
  readonly rejected: LabeledCounter; // reason
  readonly ingested: LabeledCounter; // source
  feedClients(): number;
  readonly version: string;
}

export class HealthCollector implements Collector {
  readonly name = 'health';
  readonly families = [
    LAST_EVENT,
    EVENTS,
    VENUE_LATENCY,
    VENUE_ERRORS,
    COMPONENT_UP,
    ENGINE_ALERTS,
    REJECTED,
    INGESTED,
    FEED_CLIENTS,
    BUILD_INFO,
  ];

  constructor(
    private readonly store: Store,
    private readonly stats: ExporterStats,
  ) {}

  update(sink: MetricSink): void {
    for (const [engine, s] of this.store.engines) {
      if (s.health.lastEventTs !== null) sink.add(LAST_EVENT, { engine }, s.health.lastEventTs / 1000);
      for (const { labels, value } of s.health.eventsByType.values())
        sink.add(EVENTS, { engine, ...labels }, value);
      for (const { labels, dist } of s.health.venueLatency.values())
        sink.histogram(VENUE_LATENCY, { engine, ...labels }, dist);
      for (const { labels, value } of s.health.venueErrors.values())
        sink.add(VENUE_ERRORS, { engine, ...labels }, value);
      for (const [component, status] of s.health.components)
        sink.add(COMPONENT_UP, { engine, component }, status === 'down' ? 0 : 1);
      for (const { labels, value } of s.health.engineAlerts.values())
        sink.add(ENGINE_ALERTS, { engine, ...labels }, value);
    }
    for (const { labels, value } of this.stats.rejected.values()) sink.add(REJECTED, labels, value);
    for (const { labels, value } of this.stats.ingested.values()) sink.add(INGESTED, labels, value);
    sink.add(FEED_CLIENTS, {}, this.stats.feedClients());
    sink.add(BUILD_INFO, { version: this.stats.version }, 1);
  }
}
