import type { AlertRule } from '../model';
import { fmt } from '../model';
import { deployment, pendingFor, thresholds as t } from '../thresholds';

const up = `up{job="${deployment.exporterJob}"}`;

export const healthRules: AlertRule[] = [
  {
    uid: 'tw-exporter-down',
    alert: 'TradewatchExporterDown',
    area: 'health',
    expr: `${up} == 0 or 0 * absent(${up})`,
    for: '1m',
    severity: 'critical',
    summary: `Prometheus cannot scrape the tradewatch exporter (job ${deployment.exporterJob}, up = {value}, expected 1): every trading metric is blind.`,
    description:
      'The exporter process is down, unreachable or refuses the scrape (a wrong metrics token). No other tradewatch alert can fire while it lasts.',
    valueFormat: 'number',
    dashboard: 'health',
    panel: 'Exporter',
  },
  {
    uid: 'tw-engine-silent',
    alert: 'TradingEngineSilent',
    area: 'health',
    expr: `time() - max by (engine) (tradewatch_engine_last_seen_timestamp_seconds) > ${t.engineSilentSeconds}`,
    for: pendingFor.instant,
    severity: 'critical',
    summary: `Engine {label:engine} has sent no event for {value} (limit ${t.engineSilentSeconds} s).`,
    description:
      'The exporter receives nothing from this engine: the engine, its bridge or the network is stuck, and the dashboards show stale figures.',
    valueFormat: 'seconds',
    dashboard: 'health',
    panel: 'Event lag (now − last event time)',
  },
  {
    uid: 'tw-engine-not-processing',
    alert: 'TradingEngineNotProcessing',
    area: 'health',
    expr: `time() - max by (engine) (trading_engine_last_process_timestamp_seconds) > ${t.engineNotProcessingSeconds}`,
    for: pendingFor.instant,
    severity: 'critical',
    summary: `Engine {label:engine} last ran its loop {value} ago (limit ${t.engineNotProcessingSeconds} s).`,
    description:
      "The engine's own heartbeat (freqtrade's /health) has stopped: its API still answers, but it no longer processes candles, orders or exits.",
    valueFormat: 'seconds',
    dashboard: 'health',
    panel: 'Bot heartbeat age (now − its last loop)',
  },
  {
    uid: 'tw-venue-latency',
    alert: 'TradingVenueLatencyHigh',
    area: 'health',
    expr: `histogram_quantile(0.95, sum by (engine, venue, le) (rate(trading_venue_request_seconds_bucket[5m]))) > ${t.venueLatencyP95Seconds}`,
    for: pendingFor.noisy,
    severity: 'warning',
    summary: `Venue {label:venue} answers engine {label:engine} in {value} at the 95th percentile (limit ${t.venueLatencyP95Seconds} s).`,
    description: 'Venue API calls are slow; orders and cancels arrive late, and fills may slip.',
    valueFormat: 'seconds',
    dashboard: 'health',
    panel: 'Venue request latency',
  },
  {
    uid: 'tw-venue-errors',
    alert: 'TradingVenueErrorRatioHigh',
    area: 'health',
    expr: `sum by (engine, venue) (rate(trading_venue_errors_total[5m]))
/
sum by (engine, venue) (rate(trading_venue_request_seconds_count[5m]))
> ${t.venueErrorRatio}`,
    for: pendingFor.noisy,
    severity: 'warning',
    summary: `{value} of engine {label:engine}'s requests to venue {label:venue} fail (limit ${fmt(t.venueErrorRatio, 'percent')}).`,
    description: 'A large share of venue API calls return errors.',
    valueFormat: 'percent',
    dashboard: 'health',
    panel: 'Venue error ratio',
  },
  {
    uid: 'tw-component-down',
    alert: 'TradingComponentDown',
    area: 'health',
    expr: 'max by (engine, component) (trading_component_up) == 0',
    for: '2m',
    severity: 'warning',
    summary: 'Component {label:component} of engine {label:engine} reports down (up = {value}, expected 1).',
    description: 'The engine reported a component (market data, execution, a bridge) as down.',
    valueFormat: 'number',
    dashboard: 'health',
    panel: 'Components',
  },
  {
    uid: 'tw-events-rejected',
    alert: 'TradewatchEventsRejected',
    area: 'health',
    expr: `sum by (reason) (rate(tradewatch_events_rejected_total[5m])) > ${t.eventsRejectedPerSecond}`,
    for: pendingFor.noisy,
    severity: 'warning',
    summary: `The exporter rejects {value} events per second for reason {label:reason} (limit ${t.eventsRejectedPerSecond}/s).`,
    description: 'An engine sends events the exporter refuses; their content is missing from every figure.',
    valueFormat: 'number',
    dashboard: 'health',
    panel: 'Ingest rejections / s by reason',
  },
  {
    uid: 'tw-collector-failing',
    alert: 'TradewatchCollectorFailing',
    area: 'health',
    expr: 'min by (collector) (tradewatch_collector_success) == 0',
    for: pendingFor.noisy,
    severity: 'warning',
    summary:
      "The exporter's {label:collector} collector fails on every scrape (success = {value}, expected 1).",
    description: 'One metrics collector throws; the metrics of its area are missing or stale.',
    valueFormat: 'number',
    dashboard: 'health',
    panel: 'Collector success',
  },
];
