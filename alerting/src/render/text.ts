import type { AlertRule, ValueFormat } from '../model';
import { runbookAnchor } from '../model';
import { deployment, panelPath } from '../thresholds';

export type Target = 'prometheus' | 'grafana';

/** The Grafana ref whose value the summary shows: the instant query's own value per series. */
export const VALUE_REF = 'query';

function value(format: ValueFormat, target: Target): string {
  const v = target === 'prometheus' ? '$value' : `$values.${VALUE_REF}.Value`;
  const fn = {
    percent: 'humanizePercentage',
    number: 'humanize',
    seconds: 'humanizeDuration',
    bytes: 'humanize1024',
  }[format];
  return target === 'prometheus' ? `{{ ${v} | ${fn} }}` : `{{ ${fn} ${v} }}`;
}

/** Renders `{value}` and `{label:NAME}` for one target's template language. */
export function renderText(text: string, rule: AlertRule, target: Target): string {
  return text
    .replace(/\{value\}/g, value(rule.valueFormat, target))
    .replace(/\{label:([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (_m, name: string) => `{{ $labels.${name} }}`);
}

/**
 * Summary, description and runbook link, the same for both targets. The link to the rule's
 * panel is not a URL here (Grafana's root URL is the deployment's): Grafana rules carry
 * dashboardUid and panelId and Grafana builds the link (`.PanelURL` in templates); Prometheus
 * rules carry `dashboard_path`, to be put after the Grafana URL by an Alertmanager template.
 */
export function annotations(rule: AlertRule, target: Target, panelId: number): Record<string, string> {
  const common = {
    summary: renderText(rule.summary, rule, target),
    description: rule.description,
    runbook_url: `${deployment.runbookUrl}#${runbookAnchor(rule)}`,
  };
  return target === 'prometheus' ? { ...common, dashboard_path: panelPath(rule.dashboard, panelId) } : common;
}

export function labels(rule: AlertRule): Record<string, string> {
  return { severity: rule.severity, area: rule.area, service: 'tradewatch' };
}
