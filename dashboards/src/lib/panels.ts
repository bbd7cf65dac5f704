/**
 * Panel helpers over @grafana/grafana-foundation-sdk: one place that fixes units, colours and
 * the datasource, so every dashboard looks and reads the same.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { GRAFANA_FOLDER, PROMETHEUS_UID } from '@tradewatch/alerting';
import { moneyUnit, valuationCurrency } from './currency';

export const datasource: common.DataSourceRef = { type: 'prometheus', uid: PROMETHEUS_UID };

/** Units used across dashboards (Grafana unit ids); money in the valuation currency (currency.ts). */
export const units = {
  money: moneyUnit(valuationCurrency()),
  /** An amount in the currency its series' `currency` label names (fees, cash): no currency unit. */
  amount: 'short',
  ratio: 'percentunit',
  seconds: 's',
  count: 'short',
  perSecond: 'ops',
  bytes: 'bytes',
  timestamp: 'dateTimeFromNow',
} as const;

export const colors = { ok: 'green', warn: 'orange', bad: 'red', neutral: 'text', info: 'blue' } as const;

/** A query: PromQL plus an optional legend; `instant` for stat/table panels. */
export interface Query {
  expr: string;
  legend?: string;
  instant?: boolean;
  /** Table panels: one row per series, value column named by refId. */
  table?: boolean;
}

export function target(q: Query, refId: string): prometheus.DataqueryBuilder {
  const b = new prometheus.DataqueryBuilder()
    .datasource(datasource)
    .refId(refId)
    .expr(q.expr)
    .legendFormat(q.legend ?? '__auto');
  if (q.instant || q.table)
    b.instant().format(q.table ? prometheus.PromQueryFormat.Table : prometheus.PromQueryFormat.TimeSeries);
  else b.range();
  return b;
}

type WithTargets = { withTarget(t: cog.Builder<cog.Dataquery>): unknown };
function addTargets(panel: WithTargets, queries: Query[]): void {
  queries.forEach((q, i) => panel.withTarget(target(q, String.fromCharCode(65 + i))));
}

/** Thresholds rising from green: above `warn` orange, above `bad` red. */
export function rising(warn: number, bad: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: colors.ok },
    { value: warn, color: colors.warn },
    { value: bad, color: colors.bad },
  ]);
}

/** Thresholds falling to red: under `bad` red, under `warn` orange, else green. */
export function falling(bad: number, warn: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: colors.bad },
    { value: bad, color: colors.warn },
    { value: warn, color: colors.ok },
  ]);
}

/** Red below zero, green from zero (PnL). */
export function signed(): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: colors.bad },
    { value: 0, color: colors.ok },
  ]);
}

export function neutral(): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: colors.info }]);
}

export interface PanelOpts {
  description?: string;
  unit?: string;
  thresholds?: dashboard.ThresholdsConfigBuilder;
  mappings?: dashboard.ValueMapping[];
  decimals?: number;
  /** Text shown instead of NaN (e.g. a ratio over a window with too few periods yet). */
  nanText?: string;
  min?: number;
  max?: number;
}

function common_<
  T extends {
    unit(u: string): T;
    thresholds(t: dashboard.ThresholdsConfigBuilder): T;
    description(d: string): T;
    mappings(m: dashboard.ValueMapping[]): T;
    decimals(d: number): T;
    min(v: number): T;
    max(v: number): T;
    datasource(d: common.DataSourceRef): T;
  },
>(b: T, o: PanelOpts): T {
  b.datasource(datasource)
    .unit(o.unit ?? units.count)
    .thresholds(o.thresholds ?? neutral());
  if (o.description) b.description(o.description);
  const mappings = [...(o.mappings ?? [])];
  if (o.nanText) {
    mappings.push({
      type: dashboard.MappingType.SpecialValue,
      options: {
        match: dashboard.SpecialValueMatch.NotANumber,
        result: { text: o.nanText, color: colors.neutral, index: mappings.length },
      },
    });
  }
  if (mappings.length) b.mappings(mappings);
  if (o.decimals !== undefined) b.decimals(o.decimals);
  if (o.min !== undefined) b.min(o.min);
  if (o.max !== undefined) b.max(o.max);
  return b;
}

/** A single big number per series (last value), coloured by its thresholds. */
export function statPanel(title: string, queries: Query[], o: PanelOpts & { text?: 'value' | 'name' } = {}) {
  const b = common_(new stat.PanelBuilder().title(title), o)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(o.text === 'name' ? common.BigValueTextMode.Name : common.BigValueTextMode.Auto)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  addTargets(
    b,
    queries.map((q) => ({ instant: true, ...q })),
  );
  return b;
}

/** A time series graph; thresholds drawn as dashed lines when given. */
export function timeseriesPanel(
  title: string,
  queries: Query[],
  o: PanelOpts & { stack?: boolean; bars?: boolean } = {},
) {
  const b = common_(new timeseries.PanelBuilder().title(title), o)
    .lineWidth(1)
    .fillOpacity(o.stack ? 60 : 10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(true)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    );
  if (o.thresholds) {
    b.thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
    );
  }
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (o.bars) b.drawStyle(common.GraphDrawStyle.Bars);
  addTargets(b, queries);
  return b;
}

/** Horizontal bars, one per series (last value). */
export function barGaugePanel(title: string, queries: Query[], o: PanelOpts = {}) {
  const b = common_(new bargauge.PanelBuilder().title(title), o)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  addTargets(
    b,
    queries.map((q) => ({ instant: true, ...q })),
  );
  return b;
}

/** A state timeline (0/1 states, strategies, halts). */
export function stateTimelinePanel(title: string, queries: Query[], o: PanelOpts = {}) {
  const b = common_(new statetimeline.PanelBuilder().title(title), o).showValue(common.VisibilityMode.Never);
  addTargets(b, queries);
  return b;
}

/**
 * A table of instant queries joined on their labels: each query becomes a column named by
 * its `legend` (the value column of each query is renamed by the organize transformation).
 */
export function tablePanel(title: string, joinOn: string[], columns: Query[], o: PanelOpts = {}) {
  // cellOptions is required in the table's field config from Grafana 12.3 on (auto: as Grafana's default)
  const b = common_(new table.PanelBuilder().title(title), o).cellOptions({
    type: common.TableCellDisplayMode.Auto,
  });
  addTargets(
    b,
    columns.map((q) => ({ ...q, table: true })),
  );
  const rename: Record<string, string> = {};
  columns.forEach((q, i) => (rename[`Value #${String.fromCharCode(65 + i)}`] = q.legend ?? `Value #${i}`));
  b.withTransformation({ id: 'merge', options: {} });
  b.withTransformation({
    id: 'organize',
    options: {
      excludeByName: { Time: true, __name__: true, job: true, instance: true },
      renameByName: rename,
      indexByName: Object.fromEntries(joinOn.map((l, i) => [l, i])),
    },
  });
  return b;
}

/**
 * Grafana's own list of alerting tradewatch rules (no query; Grafana fills it). It selects them
 * by label, not by folder: Grafana 11+ filters folders by uid only, and the folder's uid is
 * Grafana's choice (alert provisioning creates it by title, see provisioning/dashboards).
 * `grafana_folder` is the label Grafana gives each alert instance with its folder's title.
 */
export function alertListPanel(title: string) {
  return new dashboard.PanelBuilder()
    .type('alertlist')
    .title(title)
    .options({
      viewMode: 'list',
      groupMode: 'default',
      groupBy: [],
      maxItems: 20,
      sortOrder: 1,
      dashboardAlerts: false,
      alertName: '',
      showInstances: true,
      stateFilter: {
        firing: true,
        pending: true,
        recovering: true,
        noData: false,
        normal: false,
        error: true,
      },
      alertInstanceLabelFilter: `{service="tradewatch", grafana_folder="${GRAFANA_FOLDER}"}`,
    });
}

/**
 * The tradewatch blotter panel plugin: live active orders from the exporter's feed. No
 * `columns`: Grafana fills a missing option with the plugin's default (DEFAULT_OPTIONS in
 * grafana-plugin/src/constants.ts), so the dashboard never keeps a drifting copy of it.
 */
/** The feed data source (grafana-plugin/datasource), provisioned with this uid. */
export const FEED_DATASOURCE: common.DataSourceRef = {
  type: 'tradewatch-feed-datasource',
  uid: 'tradewatch-feed',
};

/** A live query on the feed data source: a channel and the dashboard's filters. */
export function feedTarget(channel: 'orders' | 'fills' | 'positions' | 'alerts'): cog.Builder<cog.Dataquery> {
  const query = {
    refId: 'A',
    datasource: FEED_DATASOURCE,
    channel,
    engine: '$engine',
    strategy: '$strategy',
    symbol: '$symbol',
  };
  return { build: () => query as unknown as cog.Dataquery };
}

/**
 * The live blotter: its rows come from a query on the feed data source, which reaches the
 * exporter through Grafana's data proxy with the token kept server-side. No URL, no token here.
 */
export function blotterPanel(title: string) {
  return new dashboard.PanelBuilder()
    .type('tradewatch-blotter-panel')
    .title(title)
    .description(
      'Active orders, live from the exporter feed through the tradewatch feed data source (filtered by $engine, $strategy and $symbol).',
    )
    .datasource(FEED_DATASOURCE)
    .withTarget(feedTarget('orders'))
    .options({
      density: 'compact',
      flash: true,
      closedRetentionSeconds: 5,
      maxRows: 500,
    });
}

/** Value mapping for 0/1 gauges: 0 → `zero` (green), 1 → `one` (red). */
export function boolMapping(
  zero: string,
  one: string,
  zeroColor: string = colors.ok,
  oneColor: string = colors.bad,
): dashboard.ValueMapping[] {
  return [
    {
      type: dashboard.MappingType.ValueToText,
      options: {
        '0': { text: zero, color: zeroColor, index: 0 },
        '1': { text: one, color: oneColor, index: 1 },
      },
    },
  ];
}
