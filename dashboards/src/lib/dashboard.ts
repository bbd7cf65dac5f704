import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardUids, type DashboardKey } from '@tradewatch/alerting';
import { datasource } from './panels';
import { place, type Row } from './layout';

export type Variable = 'engine' | 'strategy' | 'symbol';

function queryVariable(name: string, label: string, query: string) {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(datasource)
    .query({ qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

const variables: Record<Variable, () => { build(): dashboard.VariableModel }> = {
  engine: () => queryVariable('engine', 'Engine', 'label_values(trading_equity, engine)'),
  strategy: () =>
    queryVariable(
      'strategy',
      'Strategy',
      'label_values(trading_strategy_active{engine=~"$engine"}, strategy)',
    ),
  symbol: () =>
    queryVariable('symbol', 'Symbol', 'label_values(trading_position_quantity{engine=~"$engine"}, symbol)'),
};

export interface DashboardSpec {
  key: DashboardKey;
  title: string;
  description: string;
  variables: Variable[];
  rows: Row[];
}

/** Builds the classic dashboard JSON: fixed uid, shared tags and links, computed layout. */
export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const b = new dashboard.DashboardBuilder(spec.title)
    .uid(dashboardUids[spec.key])
    .description(spec.description)
    .tags(['tradewatch'])
    .editable()
    .refresh('10s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .link(
      new dashboard.DashboardLinkBuilder('tradewatch')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags(['tradewatch'])
        .asDropdown(false)
        .includeVars(true)
        .keepTime(true)
        .targetBlank(false),
    );
  for (const v of spec.variables) b.withVariable(variables[v]() as never);
  const built = b.build();
  built.panels = place(spec.rows);
  return forGrafana12(built);
}

/**
 * Drops what foundation-sdk 0.0.21 writes by default but Grafana 12.3 to 13.x read differently
 * (tests/grafana/grafana-schema.test.ts checks the result against both ends' @grafana/schema):
 * - a link's `placement: "inControlsMenu"` moves it into the dashboard controls menu (scenes),
 *   hidden until opened; without it the link shows above the dashboard;
 * - a table's `options.footer` moved to the field config in 12.3 (we show no footer);
 * - `auto`, `auto_min` and `auto_count` belong to interval variables; no other type has them.
 */
export function forGrafana12(d: dashboard.Dashboard): dashboard.Dashboard {
  d.links = d.links?.map(({ placement: _hidden, ...link }) => link);
  for (const v of d.templating?.list ?? []) {
    if (v.type !== 'interval') {
      delete v.auto;
      delete v.auto_min;
      delete v.auto_count;
    }
  }
  for (const p of d.panels ?? []) {
    if (p.type === 'table' && 'options' in p && p.options) delete (p.options as { footer?: unknown }).footer;
  }
  return d;
}
