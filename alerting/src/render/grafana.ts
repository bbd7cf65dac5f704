import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import type * as expr from '@grafana/grafana-foundation-sdk/expr';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type { AlertRule, Area } from '../model';
import { panelIdOf, type PanelIndex } from '../panels';
import { dashboardUids, deployment } from '../thresholds';
import { annotations, labels, VALUE_REF } from './text';

/** Datasource uid of the provisioned Prometheus (provisioning/datasources/prometheus.yaml). */
export const PROMETHEUS_UID = 'prometheus';
export const GRAFANA_FOLDER = 'tradewatch';

const EXPR = { type: '__expr__', uid: '__expr__' };

/** A query model as JSON: foundation-sdk's type without its builder marker method. */
type Model<T> = Omit<T, '_implementsDataqueryVariant'>;
/** One node of a rule's data, typed by its model. */
type Node<M> = Omit<alerting.Query, 'model' | 'refId' | 'datasourceUid'> & {
  refId: string;
  datasourceUid: string;
  model: Model<M>;
};

/**
 * A rule as Grafana's provisioning file holds it: foundation-sdk's `Rule` (the HTTP API's shape)
 * without what the file keeps on the group (folder, org, group name) or Grafana sets (id,
 * updated, provenance), with the file's snake_case `missing_series_evals_to_resolve`, and
 * with its three nodes typed by foundation-sdk's Prometheus query and expression types, and
 * with the file's link to a panel (`dashboardUid`, `panelId`: Grafana stores them as the
 * `__dashboardUid__` and `__panelId__` annotations and builds the dashboard and panel URLs of
 * notifications from its root URL).
 */
export type GrafanaFileRule = Omit<
  alerting.Rule,
  | 'data'
  | 'folderUID'
  | 'orgID'
  | 'ruleGroup'
  | 'missingSeriesEvalsToResolve'
  | 'id'
  | 'updated'
  | 'provenance'
> & {
  data: [Node<prometheus.Dataquery>, Node<expr.TypeMath>, Node<expr.TypeThreshold>];
  missing_series_evals_to_resolve: number;
  dashboardUid: string;
  panelId: number;
};

/** Ref ids of the three nodes, as Grafana's Prometheus rule conversion names them. */
export const REFS = { query: VALUE_REF, math: 'prometheus_math', threshold: 'threshold' } as const;

/**
 * One Grafana rule in the shape Grafana itself gives a Prometheus alerting rule it converts
 * (its "import to Grafana-managed rules"): `query` runs the PromQL alert expression as an
 * instant query over the last 10 minutes; `prometheus_math` is 1 for every series the query
 * returns, whatever its value (`is_number || is_nan || is_inf`); `threshold` fires where that is
 * above 0, and is the condition. So, as in Prometheus, every returned series is an alert and an
 * empty result is normal (no data: OK). Nothing reduces: an instant query has one value per
 * series already, and the summary reads it as `$values.query.Value`. A series that disappears
 * resolves at the next evaluation, as in Prometheus (missing_series_evals_to_resolve: 1).
 */
export function grafanaRule(rule: AlertRule, panelId: number): GrafanaFileRule {
  return {
    uid: rule.uid,
    title: rule.alert,
    condition: REFS.threshold,
    data: [
      {
        refId: REFS.query,
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid: PROMETHEUS_UID,
        model: {
          refId: REFS.query,
          datasource: { type: 'prometheus', uid: PROMETHEUS_UID },
          expr: rule.expr,
          instant: true,
          range: false,
        },
      },
      {
        refId: REFS.math,
        datasourceUid: EXPR.uid,
        model: {
          refId: REFS.math,
          datasource: EXPR,
          type: 'math',
          expression: `is_number($${REFS.query}) || is_nan($${REFS.query}) || is_inf($${REFS.query})`,
        },
      },
      {
        refId: REFS.threshold,
        datasourceUid: EXPR.uid,
        model: {
          refId: REFS.threshold,
          datasource: EXPR,
          type: 'threshold',
          expression: REFS.math,
          conditions: [{ evaluator: { type: 'gt', params: [0] } }],
        },
      },
    ],
    noDataState: rule.noDataState ?? 'OK',
    execErrState: 'Error',
    for: rule.for,
    missing_series_evals_to_resolve: 1,
    dashboardUid: dashboardUids[rule.dashboard],
    panelId,
    annotations: annotations(rule, 'grafana', panelId),
    labels: labels(rule),
    isPaused: false,
  };
}

/** A Grafana alert-rule provisioning file (one rule group per area). */
export function grafanaRuleFile(area: Area, rules: AlertRule[], panels: PanelIndex): object {
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: `tradewatch-${area}`,
        folder: GRAFANA_FOLDER,
        interval: deployment.evaluationInterval,
        rules: rules.map((rule) => grafanaRule(rule, panelIdOf(panels, rule))),
      },
    ],
  };
}
