import type { AlertRule, Area } from '../model';
import { deployment } from '../thresholds';
import { annotations, labels, VALUE_REF } from './text';

/** Datasource uid of the provisioned Prometheus (provisioning/datasources/prometheus.yaml). */
export const PROMETHEUS_UID = 'prometheus';
export const GRAFANA_FOLDER = 'tradewatch';

const expr = (refId: string, model: Record<string, unknown>) => ({
  refId,
  datasourceUid: '__expr__',
  model: { refId, datasource: { type: '__expr__', uid: '__expr__' }, ...model },
});

/**
 * One Grafana rule: A runs the Prometheus alert expression (instant), B reduces each series to
 * its last value (what the summary prints), C is true for every series B has. The condition
 * is C. This is the shape Grafana gives Prometheus rules it imports.
 */
export function grafanaRule(rule: AlertRule): object {
  return {
    uid: rule.uid,
    title: rule.alert,
    condition: 'C',
    data: [
      {
        refId: 'A',
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid: PROMETHEUS_UID,
        model: {
          refId: 'A',
          datasource: { type: 'prometheus', uid: PROMETHEUS_UID },
          expr: rule.expr,
          instant: true,
          range: false,
          editorMode: 'code',
          intervalMs: 1000,
          maxDataPoints: 43200,
        },
      },
      expr(VALUE_REF, { type: 'reduce', expression: 'A', reducer: 'last' }),
      expr('C', {
        type: 'math',
        expression: `is_number($${VALUE_REF}) || is_nan($${VALUE_REF}) || is_inf($${VALUE_REF})`,
      }),
    ],
    noDataState: rule.noDataState ?? 'OK',
    execErrState: 'Error',
    for: rule.for,
    annotations: annotations(rule, 'grafana'),
    labels: labels(rule),
    isPaused: false,
  };
}

/** A Grafana alert-rule provisioning file (one rule group per area). */
export function grafanaRuleFile(area: Area, rules: AlertRule[]): object {
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: `tradewatch-${area}`,
        folder: GRAFANA_FOLDER,
        interval: deployment.evaluationInterval,
        rules: rules.map(grafanaRule),
      },
    ],
  };
}
