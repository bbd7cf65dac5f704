import type { DashboardKey } from './thresholds';

export type Severity = 'critical' | 'warning' | 'info';
export type Area = 'execution' | 'portfolio' | 'risk' | 'strategy' | 'health' | 'host';

/** How the alert's value is printed in its summary. */
export type ValueFormat = 'percent' | 'number' | 'seconds' | 'bytes';

/**
 * One alert rule, written once and rendered for both Grafana and Prometheus.
 *
 * `expr` is a complete Prometheus alert expression: it returns exactly the series that are in
 * breach, and each series' value is the figure the summary reports (the drawdown, the ratio,
 * the seconds of silence). Grafana evaluates the same PromQL as an instant query and fires for
 * every series it returns, in the shape Grafana itself gives Prometheus rules it converts
 * (render/grafana.ts); so the promtool tests of the Prometheus files also prove the Grafana
 * rules' logic.
 */
export interface AlertRule {
  /** Stable Grafana uid (at most 40 characters). */
  uid: string;
  /** Alert name, UpperCamelCase; also the runbook section title. */
  alert: string;
  area: Area;
  expr: string;
  /** Pending period (Prometheus `for`). */
  for: string;
  severity: Severity;
  /**
   * One sentence: what happened, the value and the limit. `{value}` is replaced by the
   * formatted value, `{label:NAME}` by a label of the series.
   */
  summary: string;
  description: string;
  valueFormat: ValueFormat;
  /** The dashboard that explains this alert. */
  dashboard: DashboardKey;
  /**
   * Title of the panel of that dashboard that shows the alert's figure (the first panel of that
   * title). Notifications link to it: Grafana builds the link from its root URL and the rule's
   * dashboardUid and panelId (render/grafana.ts, panels.ts).
   */
  panel: string;
  /**
   * Grafana's state when the query returns no series. The default, OK, fits expressions that
   * only return breaching series.
   */
  noDataState?: 'OK' | 'NoData' | 'Alerting';
}

/** Anchor of the rule's section in docs/runbook.md (GitHub's heading slug of the alert name). */
export function runbookAnchor(rule: Pick<AlertRule, 'alert'>): string {
  return rule.alert.toLowerCase();
}

/** Formats a threshold for a human sentence: 0.08 → "8 %" for percents. */
export function fmt(value: number, format: ValueFormat): string {
  switch (format) {
    case 'percent':
      return `${+(value * 100).toFixed(2)} %`;
    case 'seconds':
      return `${value} s`;
    case 'bytes':
      return `${value} B`;
    default:
      return String(value);
  }
}
