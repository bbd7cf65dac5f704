/**
 * The health slice: what the engine sent (events by type, the latest event time, the
 * values of its bounded labels), its components and venues, and its own alerts.
 */
import type { AlertEvent, HealthEvent, TradingEvent } from '../../events/schema';
import type { AlertRecord } from '../changes';
import { LabeledCounter, LabeledDistribution } from '../common/counters';
import { emptyLabelValues, visitLabelValues, type LabelValues } from '../common/label-values';

export const VENUE_LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const RECENT_ALERTS = 200;

export class HealthSlice {
  readonly components = new Map<string, 'ok' | 'degraded' | 'down'>();
  readonly venueLatency = new LabeledDistribution(VENUE_LATENCY_BUCKETS); // venue
  readonly venueErrors = new LabeledCounter(); // venue
  readonly engineAlerts = new LabeledCounter(); // severity
  readonly recentAlerts: AlertRecord[] = [];
  readonly eventsByType = new LabeledCounter(); // type
  lastEventTs: number | null = null;
  /** Every value each bounded label has taken (the caps are checked against these). */
  readonly labelValues: LabelValues = emptyLabelValues();

  readonly #recordLabelValue = (dimension: keyof LabelValues, value: string) => {
    this.labelValues[dimension].add(value);
  };

  /** Every event, before the slices it concerns apply it. */
  onEvent(event: TradingEvent): void {
    visitLabelValues(event, this.#recordLabelValue);
    this.eventsByType.inc({ type: event.type });
    if (this.lastEventTs === null || event.ts > this.lastEventTs) this.lastEventTs = event.ts;
  }

  /** A `health` event; true when a component's status changed (the engine's status with it). */
  onHealth(e: HealthEvent): boolean {
    const venue = e.venue ?? e.component;
    if (e.latency_seconds !== undefined) this.venueLatency.observe({ venue }, e.latency_seconds);
    if (e.error !== undefined || e.status === 'down') this.venueErrors.inc({ venue });
    if (e.status === undefined) return false;
    const before = this.components.get(e.component);
    this.components.set(e.component, e.status);
    return before !== e.status;
  }

  /** An `alert` event: counted by severity, its row kept among the recent alerts. */
  onAlert(e: AlertEvent, row: AlertRecord): void {
    this.engineAlerts.inc({ severity: e.severity });
    this.recentAlerts.push(row);
    if (this.recentAlerts.length > RECENT_ALERTS) this.recentAlerts.shift();
  }
}
