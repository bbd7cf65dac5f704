import { thresholds as t } from '@tradewatch/alerting';
import type { DashboardSpec } from './lib/dashboard';
import * as p from './lib/panels';
import { health as q, producers } from './queries';

export const healthDashboard: DashboardSpec = {
  key: 'health',
  title: 'tradewatch / System health',
  description: 'Engine event lag, venue latency and errors, exporter ingest and feed, and the host.',
  variables: ['engine'],
  rows: [
    {
      height: 4,
      panels: [
        [
          p.statPanel('Exporter', [{ expr: q.exporterUp, legend: 'exporter' }], {
            mappings: p.boolMapping('DOWN', 'UP', 'red', 'green'),
            thresholds: p.falling(1, 1),
          }),
          4,
        ],
        [
          p.statPanel('Event lag', [{ expr: q.eventLag, legend: '{{engine}}' }], {
            unit: p.units.seconds,
            thresholds: p.rising(t.engineSilentSeconds / 2, t.engineSilentSeconds),
          }),
          4,
        ],
        [
          p.statPanel('Events / s', [{ expr: q.eventsPerSecond, legend: '{{engine}}' }], {
            unit: p.units.perSecond,
          }),
          4,
        ],
        [p.statPanel('Feed clients', [{ expr: q.feedClients, legend: 'clients' }]), 4],
        [
          p.statPanel('Ingest rejections / s', [{ expr: q.rejectedPerSecond, legend: 'rejected' }], {
            unit: p.units.perSecond,
            thresholds: p.rising(t.eventsRejectedPerSecond / 10, t.eventsRejectedPerSecond),
          }),
          4,
        ],
        [
          p.statPanel('Exporter version', [{ expr: q.buildInfo, legend: '{{version}}' }], { text: 'name' }),
          4,
        ],
      ],
    },
    {
      title: 'Engine',
      height: 8,
      panels: [
        [
          p.timeseriesPanel(
            'Event lag (now − last event time)',
            [{ expr: q.eventLag, legend: '{{engine}}' }],
            {
              unit: p.units.seconds,
              thresholds: p.rising(t.engineSilentSeconds / 2, t.engineSilentSeconds),
              min: 0,
            },
          ),
          8,
        ],
        [
          p.timeseriesPanel('Events / s by type', [{ expr: q.eventsByType, legend: '{{type}}' }], {
            unit: p.units.perSecond,
            stack: true,
          }),
          8,
        ],
        [
          p.stateTimelinePanel('Components', [{ expr: q.componentUp, legend: '{{engine}} {{component}}' }], {
            mappings: p.boolMapping('down', 'up', 'red', 'green'),
          }),
          8,
        ],
      ],
    },
    {
      title: 'Producers polled natively (freqtrade)',
      height: 7,
      panels: [
        [
          p.statPanel('freqtrade API', [{ expr: producers.apiUp, legend: '{{engine}}' }], {
            mappings: p.boolMapping('DOWN', 'UP', 'red', 'green'),
            thresholds: p.falling(1, 1),
            text: 'name',
            description:
              'Whether the last poll of each bot’s REST API was answered (component freqtrade_api).',
          }),
          6,
        ],
        [
          p.timeseriesPanel(
            'Bot heartbeat age (now − its last loop)',
            [{ expr: producers.heartbeatAge, legend: '{{engine}}' }],
            {
              unit: p.units.seconds,
              thresholds: p.rising(t.engineNotProcessingSeconds / 2, t.engineNotProcessingSeconds),
              min: 0,
              description:
                "freqtrade's /health last_process_ts; TradingEngineNotProcessing fires past the red line.",
            },
          ),
          9,
        ],
        [
          p.timeseriesPanel(
            'Source errors / s by cause',
            [{ expr: producers.sourceErrors, legend: '{{source}} {{reason}}' }],
            { unit: p.units.perSecond, stack: true, min: 0 },
          ),
          9,
        ],
      ],
    },
    {
      title: 'Venues',
      height: 8,
      panels: [
        [
          p.timeseriesPanel(
            'Venue request latency',
            [
              { expr: q.venueP50, legend: 'p50 {{venue}}' },
              { expr: q.venueP95, legend: 'p95 {{venue}}' },
            ],
            {
              unit: p.units.seconds,
              thresholds: p.rising(t.venueLatencyP95Seconds, t.venueLatencyP95Seconds),
            },
          ),
          12,
        ],
        [
          p.timeseriesPanel('Venue error ratio', [{ expr: q.venueErrorRatio, legend: '{{venue}}' }], {
            unit: p.units.ratio,
            thresholds: p.rising(t.venueErrorRatio / 2, t.venueErrorRatio),
            min: 0,
          }),
          12,
        ],
      ],
    },
    {
      title: 'Exporter',
      height: 7,
      panels: [
        [
          p.timeseriesPanel(
            'Ingest rejections / s by reason',
            [{ expr: q.rejectedByReason, legend: '{{reason}}' }],
            { unit: p.units.perSecond },
          ),
          6,
        ],
        [
          p.barGaugePanel('Engine-raised alerts by severity (time range)', [
            { expr: q.engineAlerts, legend: '{{severity}}' },
          ]),
          6,
        ],
        [
          p.timeseriesPanel('Collector duration', [{ expr: q.collectorDuration, legend: '{{collector}}' }], {
            unit: p.units.seconds,
          }),
          6,
        ],
        [
          p.stateTimelinePanel('Collector success', [{ expr: q.collectorSuccess, legend: '{{collector}}' }], {
            mappings: p.boolMapping('failing', 'ok', 'red', 'green'),
          }),
          6,
        ],
      ],
    },
    {
      title: 'Host',
      height: 7,
      panels: [
        [
          p.timeseriesPanel('CPU busy', [{ expr: q.cpuBusy, legend: 'cpu' }], {
            unit: p.units.ratio,
            min: 0,
            max: 1,
          }),
          4,
        ],
        [
          p.timeseriesPanel('Memory available', [{ expr: q.memoryAvailable, legend: 'available' }], {
            unit: p.units.ratio,
            thresholds: p.falling(t.memoryAvailableRatio.critical, t.memoryAvailableRatio.warning),
            min: 0,
            max: 1,
          }),
          4,
        ],
        [p.timeseriesPanel('Load (1 min)', [{ expr: q.load1, legend: 'load1' }]), 4],
        [
          p.timeseriesPanel('Disk free', [{ expr: q.diskFree, legend: 'free' }], {
            unit: p.units.ratio,
            thresholds: p.falling(t.diskFreeRatio.critical, t.diskFreeRatio.warning),
            min: 0,
            max: 1,
          }),
          4,
        ],
        [
          p.timeseriesPanel('Exporter resident memory', [{ expr: q.processMemory, legend: 'rss' }], {
            unit: p.units.bytes,
          }),
          4,
        ],
        [
          p.timeseriesPanel('Event loop lag p99', [{ expr: q.eventLoopLag, legend: 'p99' }], {
            unit: p.units.seconds,
          }),
          4,
        ],
      ],
    },
  ],
};
