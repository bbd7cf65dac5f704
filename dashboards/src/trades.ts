/**
 * The Trades dashboard: the trade history (docs/history.md) read through Grafana's core
 * PostgreSQL data source — the trade log with each fill's realized PnL, PnL per round trip,
 * PnL by day and by strategy, and the win/loss distribution. Queries are kept apart from
 * the layout; `tradesQueries` is what tests/history/trades-dashboard.test.ts runs against a
 * real PostgreSQL filled by a real exporter.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as histogram from '@grafana/grafana-foundation-sdk/histogram';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { dashboardUids } from '@tradewatch/alerting';
import { forGrafana12 } from './lib/dashboard';
import { place } from './lib/layout';
import { signed, units } from './lib/panels';

export const TRADES_UID = dashboardUids.trades;
/** provisioning/datasources/history.yaml */
export const HISTORY_DATASOURCE: common.DataSourceRef = {
  type: 'grafana-postgresql-datasource',
  uid: 'tradewatch-history',
};

/**
 * What the multi-value variables send when "All" is picked (their `allValue`, which Grafana
 * inserts as it is, unquoted): one marker instead of every option, so that All means every row
 * of the range, however many engines and strategies there are. An engine or a strategy named
 * `__all` would select everything too.
 */
export const ALL_VALUE = "'__all'";

/**
 * `expr` is one of the values of a multi-value variable. Grafana's SQL data source joins the
 * picked values as `'a','b'`, and sends nothing at all when the variable has no value (a range
 * with no fills has no options): `IN ($v)` would then be `IN ()`, a syntax error on every
 * panel. `ANY(ARRAY[…]::text[])` is valid SQL for an empty list too and matches no row, so
 * such a panel says "No data".
 */
export const among = (expr: string, variable: string) =>
  `(${expr} = ANY (ARRAY[$${variable}]::text[]) OR ${ALL_VALUE} = ANY (ARRAY[$${variable}]::text[]))`;

/** Selection shared by every query: the time range and the engine and strategy variables. */
const where = (time: string) =>
  `$__timeFilter(${time}) AND ${among('engine', 'engine')} AND ${among("coalesce(strategy, 'none')", 'strategy')}`;
const t = (name: string) => `"\${schema}".${name}`;

/**
 * The dashboard's time zone as Grafana gives it to queries (`$__timezone`: an IANA name, or
 * `utc`; "browser" is resolved to the browser's zone), checked against the server's list so
 * that a name PostgreSQL does not know buckets by UTC instead of failing the panel.
 */
const zone = `coalesce((SELECT name FROM pg_timezone_names WHERE lower(name) = lower('\${__timezone}') LIMIT 1), 'UTC')`;

/** Every query of the dashboard, by panel (format: table or time_series, as Grafana reads it). */
export const tradesQueries = {
  summary: {
    format: 'table',
    sql: `SELECT count(*) AS "Round trips",
  avg(CASE WHEN outcome = 'win' THEN 1.0 ELSE 0.0 END) AS "Win rate",
  coalesce(sum(pnl) FILTER (WHERE pnl > 0) / nullif(-sum(pnl) FILTER (WHERE pnl < 0), 0), 0) AS "Profit factor",
  coalesce(sum(pnl), 0) AS "Net PnL (round trips)"
FROM ${t('round_trips')} WHERE ${where('closed_at')}`,
  },
  realized: {
    format: 'table',
    sql: `SELECT coalesce(sum(realized_pnl), 0) AS "Realized PnL (fills)", count(*) AS "Fills", coalesce(sum(fee), 0) AS "Fees"
FROM ${t('fills')} WHERE ${where('ts')}`,
  },
  pnlPerTrip: {
    format: 'time_series',
    sql: `SELECT closed_at AS time, pnl AS "PnL per round trip"
FROM ${t('round_trips')} WHERE ${where('closed_at')} AND pnl IS NOT NULL ORDER BY closed_at`,
  },
  pnlByDay: {
    format: 'time_series',
    sql: `SELECT date_trunc('day', ts, ${zone}) AS time, sum(realized_pnl) AS "Realized PnL"
FROM ${t('fills')} WHERE ${where('ts')} GROUP BY 1 ORDER BY 1`,
  },
  pnlByStrategy: {
    format: 'table',
    sql: `SELECT coalesce(strategy, 'none') AS strategy, sum(realized_pnl) AS "Realized PnL"
FROM ${t('fills')} WHERE ${where('ts')} GROUP BY 1 ORDER BY 2 DESC`,
  },
  outcomes: {
    format: 'table',
    sql: `SELECT outcome, count(*) AS "Round trips"
FROM ${t('round_trips')} WHERE ${where('closed_at')} GROUP BY outcome ORDER BY outcome`,
  },
  distribution: {
    format: 'table',
    sql: `SELECT pnl AS "PnL per round trip"
FROM ${t('round_trips')} WHERE ${where('closed_at')} AND pnl IS NOT NULL`,
  },
  tripLog: {
    format: 'table',
    sql: `SELECT closed_at AS "Closed", opened_at AS "Opened", engine, strategy, symbol, direction, quantity,
  entry_price AS "Entry", exit_price AS "Exit", pnl AS "PnL", fees AS "Fees", outcome
FROM ${t('round_trips')} WHERE ${where('closed_at')} ORDER BY closed_at DESC LIMIT 500`,
  },
  tradeLog: {
    format: 'table',
    sql: `SELECT ts AS "Time", engine, coalesce(strategy, 'none') AS strategy, symbol, side, quantity, price, fee,
  fee_currency, realized_pnl AS "Realized PnL", order_id, fill_id
FROM ${t('fills')} WHERE ${where('ts')} ORDER BY ts DESC LIMIT 1000`,
  },
} as const;

export type TradesQuery = keyof typeof tradesQueries;

/** A PostgreSQL target (code mode, raw SQL). */
function sqlTarget(q: TradesQuery): cog.Builder<cog.Dataquery> {
  const { sql, format } = tradesQueries[q];
  const query = {
    refId: 'A',
    datasource: HISTORY_DATASOURCE,
    rawSql: sql,
    rawQuery: true,
    editorMode: 'code',
    format,
  };
  return { build: () => query as unknown as cog.Dataquery };
}

function variable(name: string, label: string, sql: string) {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(HISTORY_DATASOURCE)
    .query(sql)
    .definition(sql)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(ALL_VALUE)
    .current({ selected: true, text: ['All'], value: ['$__all'] });
}

export const tradesVariableQueries = {
  engine: `SELECT DISTINCT engine FROM ${t('fills')} WHERE $__timeFilter(ts)`,
  strategy: `SELECT DISTINCT coalesce(strategy, 'none') FROM ${t('fills')} WHERE $__timeFilter(ts) AND ${among('engine', 'engine')}`,
};

const money = units.money;

export function buildTradesDashboard(): dashboard.Dashboard {
  const statPanel = (title: string, q: TradesQuery, unit: string, description: string) =>
    new stat.PanelBuilder()
      .title(title)
      .description(description)
      .datasource(HISTORY_DATASOURCE)
      .unit(unit)
      .colorMode(common.BigValueColorMode.Value)
      .graphMode(common.BigValueGraphMode.None)
      .reduceOptions(
        new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false).fields('/.*/'),
      )
      .withTarget(sqlTarget(q));

  const b = new dashboard.DashboardBuilder('tradewatch / Trades')
    .uid(TRADES_UID)
    .description(
      'The trade history: every fill with the PnL it realized, round trips, PnL by day and by strategy, wins and losses (PostgreSQL).',
    )
    .tags(['tradewatch'])
    .editable()
    .refresh('30s')
    .time({ from: 'now-7d', to: 'now' })
    .timezone('browser')
    .link(
      new dashboard.DashboardLinkBuilder('tradewatch')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags(['tradewatch'])
        .asDropdown(false)
        .includeVars(false)
        .keepTime(true)
        .targetBlank(false),
    )
    .withVariable(
      new dashboard.ConstantVariableBuilder('schema')
        .label('History schema')
        .description('TRADEWATCH_HISTORY_SCHEMA of the exporter')
        .value('tradewatch'),
    )
    .withVariable(variable('engine', 'Engine', tradesVariableQueries.engine))
    .withVariable(variable('strategy', 'Strategy', tradesVariableQueries.strategy));

  const built = b.build();
  built.panels = place([
    {
      height: 4,
      panels: [
        [
          statPanel(
            'Round trips, win rate, profit factor, net PnL',
            'summary',
            units.count,
            'Round trips that ended in the time range (a position back to zero or flipped).',
          ).overrides([
            {
              matcher: { id: 'byName', options: 'Win rate' },
              properties: [{ id: 'unit', value: units.ratio }],
            },
            {
              matcher: { id: 'byName', options: 'Net PnL (round trips)' },
              properties: [{ id: 'unit', value: money }],
            },
            {
              matcher: { id: 'byName', options: 'Profit factor' },
              properties: [{ id: 'decimals', value: 2 }],
            },
          ]),
          14,
        ],
        [
          statPanel(
            'Realized PnL, fills, fees',
            'realized',
            money,
            'Σ of the fills’ realized PnL (fees included) equals the change of trading_realized_pnl over the range.',
          ).overrides([
            { matcher: { id: 'byName', options: 'Fills' }, properties: [{ id: 'unit', value: units.count }] },
          ]),
          10,
        ],
      ],
    },
    {
      title: 'PnL',
      height: 8,
      panels: [
        [
          new timeseries.PanelBuilder()
            .title('PnL per round trip')
            .description('Each bar is one round trip, at its close, fees included.')
            .datasource(HISTORY_DATASOURCE)
            .unit(money)
            .drawStyle(common.GraphDrawStyle.Bars)
            .fillOpacity(80)
            .thresholds(signed())
            .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.Thresholds))
            .withTarget(sqlTarget('pnlPerTrip')),
          12,
        ],
        [
          new timeseries.PanelBuilder()
            .title('Realized PnL by day')
            .description(
              'Σ of the fills’ realized PnL per day, days as the dashboard’s time zone has them (the browser’s unless the time picker names one).',
            )
            .datasource(HISTORY_DATASOURCE)
            .unit(money)
            .drawStyle(common.GraphDrawStyle.Bars)
            .fillOpacity(80)
            .thresholds(signed())
            .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.Thresholds))
            .withTarget(sqlTarget('pnlByDay')),
          12,
        ],
      ],
    },
    {
      title: 'By strategy, wins and losses',
      height: 8,
      panels: [
        [
          new bargauge.PanelBuilder()
            .title('Realized PnL by strategy')
            .datasource(HISTORY_DATASOURCE)
            .unit(money)
            .thresholds(signed())
            .orientation(common.VizOrientation.Horizontal)
            .displayMode(common.BarGaugeDisplayMode.Basic)
            .reduceOptions(
              new common.ReduceDataOptionsBuilder().values(true).calcs([]).fields('/Realized PnL/'),
            )
            .withTarget(sqlTarget('pnlByStrategy')),
          8,
        ],
        [
          new piechart.PanelBuilder()
            .title('Wins, losses, break-evens')
            .datasource(HISTORY_DATASOURCE)
            .unit(units.count)
            .pieType(piechart.PieChartType.Donut)
            .reduceOptions(
              new common.ReduceDataOptionsBuilder().values(true).calcs([]).fields('/Round trips/'),
            )
            .displayLabels([piechart.PieChartLabels.Name, piechart.PieChartLabels.Value])
            .withTarget(sqlTarget('outcomes')),
          6,
        ],
        [
          new histogram.PanelBuilder()
            .title('Distribution of PnL per round trip')
            .datasource(HISTORY_DATASOURCE)
            .unit(money)
            .withTarget(sqlTarget('distribution')),
          10,
        ],
      ],
    },
    {
      title: 'Trade log',
      height: 10,
      panels: [
        [
          new table.PanelBuilder()
            .title('Round trips')
            .datasource(HISTORY_DATASOURCE)
            .cellOptions({ type: common.TableCellDisplayMode.Auto })
            .withTarget(sqlTarget('tripLog'))
            .overrides([
              { matcher: { id: 'byName', options: 'PnL' }, properties: [{ id: 'unit', value: money }] },
              { matcher: { id: 'byName', options: 'Fees' }, properties: [{ id: 'unit', value: money }] },
            ]),
          24,
        ],
      ],
    },
    {
      height: 12,
      panels: [
        [
          new table.PanelBuilder()
            .title('Fills (trade log)')
            .description(
              'Every fill with the PnL it realized in the valuation currency, its own fee subtracted.',
            )
            .datasource(HISTORY_DATASOURCE)
            .cellOptions({ type: common.TableCellDisplayMode.Auto })
            .withTarget(sqlTarget('tradeLog'))
            .overrides([
              {
                matcher: { id: 'byName', options: 'Realized PnL' },
                properties: [{ id: 'unit', value: money }],
              },
            ]),
          24,
        ],
      ],
    },
  ]);
  // Grafana's pie chart requires a slice order; foundation-sdk 0.0.21 has no setter for it.
  for (const panel of built.panels)
    if (panel.type === 'piechart') (panel as { options?: Record<string, unknown> }).options!.sort = 'desc';
  return forGrafana12(built);
}
