/**
 * Every query of every dashboard panel and every alert rule, executed against a real
 * Prometheus scraping the real exporter with the demo engine. A panel query that returns no
 * series (Grafana's "No data") fails. Then the exporter is driven into breaches through its
 * ingest API and the alert rules are seen to cross their thresholds and fire.
 */
import { postEvents, startExporter, type RunningExporter } from '../support/exporter';
import { startPrometheus, type RunningPrometheus, type Sample } from '../support/prometheus';
import { dashboards, grafanaRules, panels, prometheusRuleFiles, substitute } from './grafana-files';
import { orderJson, tradeJson } from '../support/freqtrade-standin';

jest.setTimeout(180_000);

let exporter: RunningExporter | undefined;
let prometheus: RunningPrometheus | undefined;

beforeAll(async () => {
  exporter = await startExporter();
  prometheus = await startPrometheus({
    targets: [{ job: 'tradewatch', target: `127.0.0.1:${exporter.port}` }],
    ruleFiles: prometheusRuleFiles(),
  });
  // One refused batch, so the ingest-rejection series exist as they would in production.
  const refused = await postEvents(exporter, [{ type: 'no_such_type', ts: Date.now() }]);
  expect(refused.status).toBe(400);
  // A freqtrade bot's records (what the freqtrade source posts to the ingest service), so the
  // producers' panels (API, heartbeat, the engine's own figures) have their series.
  const now = Date.now();
  const ft = (kind: string, extra: Record<string, unknown>) => ({ kind, bot: 'ft-live', at: now, ...extra });
  const closed = tradeJson({
    trade_id: 1,
    pair: 'XRP/USD',
    base_currency: 'XRP',
    quote_currency: 'USD',
    is_open: false,
    is_short: false,
    amount: 100,
    stake_amount: 50,
    strategy: 'S',
    enter_tag: 'e',
    exit_reason: 'roi',
    fee_open: 0.001,
    fee_open_cost: 0.05,
    fee_open_currency: 'USD',
    fee_close: 0.001,
    fee_close_cost: 0.06,
    fee_close_currency: 'USD',
    open_timestamp: now - 60_000,
    close_timestamp: now - 1000,
    open_rate: 0.5,
    close_rate: 0.6,
    profit_abs: 9.89,
    realized_profit: 9.89,
    leverage: 1,
    current_rate: 0.6,
    trading_mode: 'spot',
    orders: [
      orderJson({
        order_id: 'ft-b',
        pair: 'XRP/USD',
        side: 'buy',
        entry: true,
        amount: 100,
        filled: 100,
        average: 0.5,
        status: 'closed',
        at: now - 60_000,
        filledAt: now - 59_000,
      }),
      orderJson({
        order_id: 'ft-s',
        pair: 'XRP/USD',
        side: 'sell',
        entry: false,
        amount: 100,
        filled: 100,
        average: 0.6,
        status: 'closed',
        at: now - 2000,
        filledAt: now - 1000,
      }),
    ],
  });
  const posted = await postEvents(
    exporter,
    [
      ft('trade', { trade: closed }),
      ft('balance', {
        balance: { currencies: [{ currency: 'USD', balance: 1009.89 }], total: 1009.89, stake: 'USD' },
      }),
      ft('profit', { profit: { profit_closed_coin: 9.89 }, open_realized: [] }),
      ft('health', { health: { last_process_ts: Math.trunc(now / 1000) } }),
      ft('api', { status: 'ok' }),
    ],
    { query: '?format=freqtrade' },
  );
  expect(posted.status).toBe(200);
  expect(posted.body.refused).toBeUndefined();
  // Every area live, and rates with at least a few samples in their window (one bound for all:
  // the demo is slower when the machine is busy with other suites).
  const deadline = Date.now() + 120_000;
  for (const expr of [
    'trading_orders_closed_total{status="rejected"}',
    'trading_order_fill_seconds_count',
    // Market data and execution quality (slippage of both sides, limit fills, closed orders by type).
    'count(trading_slippage_bps_count) >= 2',
    'trading_limit_improvement_bps_count',
    'trading_order_fill_ratio_count{order_type="market"}',
    'trading_market_data_age_seconds',
    'trading_round_trips_total',
    'trading_venue_errors_total',
    'tradewatch_events_rejected_total',
    'host_load1',
    'count_over_time(trading_equity[1m]) >= 10',
  ]) {
    await prometheus.waitForData(expr, Math.max(1000, deadline - Date.now()));
  }
}, 170_000);

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

const finite = (samples: Sample[]) => samples.some((s) => Number.isFinite(Number(s.value[1])));

// Dashboards on Prometheus; the Trades dashboard reads PostgreSQL (tests/history covers its queries).
const onPrometheus = Object.entries(dashboards()).filter(([, d]) =>
  panels(d).some((p) => (p.targets ?? []).some((t) => t.expr)),
);

describe.each(onPrometheus)('dashboard %s', (_file, dashboard) => {
  const queried = panels(dashboard).filter((p) => (p.targets ?? []).some((t) => t.expr));
  test.each(queried.map((p) => [p.title ?? String(p.id), p] as const))(
    'panel "%s" has data',
    async (_t, panel) => {
      let anyFinite = false;
      for (const target of panel.targets!.filter((t) => t.expr)) {
        const result = await prometheus!.query(substitute(target.expr!));
        if (result.length === 0) throw new Error(`No data: ${target.refId} ${target.expr}`);
        anyFinite ||= finite(result);
      }
      const mapsNaN = (panel.fieldConfig?.defaults?.mappings ?? []).some((m) => m.options?.match === 'nan');
      if (!anyFinite && !mapsNaN)
        throw new Error(`only NaN values and no NaN mapping in panel "${panel.title}"`);
    },
  );

  const variables = (dashboard.templating?.list ?? []).filter((v) => v.type === 'query');
  test.each(variables.map((v) => [v.name, v] as const))('variable $%s has values', async (_n, variable) => {
    const q = (variable.query as { query: string }).query;
    const m = /^label_values\((.+),\s*(\w+)\)$/.exec(q);
    expect(m).not.toBeNull();
    const result = await prometheus!.query(`count by (${m![2]}) (${substitute(m![1])})`);
    expect(result.length).toBeGreaterThan(0);
  });
});

/** The metric selectors an expression reads (name plus matchers). */
function selectors(expr: string): string[] {
  const out = new Set<string>();
  const re = /\b((?:trading|tradewatch|host)_[a-z0-9_]+|up)(\{[^}]*\})?/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) out.add(m[1] + (m[2] ?? ''));
  return [...out];
}

describe('alert rules', () => {
  test.each(grafanaRules().map((r) => [r.title, r] as const))(
    '%s: query runs and reads live series',
    async (_t, rule) => {
      const expr = rule.data.find((d) => d.datasourceUid === 'prometheus')!.model.expr!;
      await prometheus!.query(expr); // throws on a PromQL or execution error
      for (const sel of selectors(expr)) {
        const result = await prometheus!.query(sel);
        if (result.length === 0)
          throw new Error(`rule ${rule.title} reads ${sel}, which the demo never exports`);
      }
    },
  );
});

describe('breaches driven through the ingest API fire their alerts', () => {
  const firing = new Set<string>();

  async function alertState(alertname: string, engine: string, states: string[], timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const alerts = await prometheus!.alerts();
      const hit = alerts.find(
        (a) => a.labels.alertname === alertname && a.labels.engine === engine && states.includes(a.state),
      );
      if (hit) {
        firing.add(`${alertname}{engine=${engine}} ${hit.state} value=${Number(hit.value).toPrecision(3)}`);
        return hit;
      }
      if (Date.now() > deadline)
        throw new Error(
          `${alertname} for ${engine} not ${states.join('/')}: ${JSON.stringify(alerts.map((a) => [a.labels.alertname, a.labels.engine, a.state]))}`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  afterAll(() => {
    // For the report: which rules were seen pending or firing.
    console.log(`alerts seen in the breach tests:\n  ${[...firing].join('\n  ')}`);
  });

  test('a halt (risk event halted:true) fires TradingHalted', async () => {
    const res = await postEvents(exporter!, [
      { type: 'risk', ts: Date.now(), engine: 'breach-halt', halted: true, halt_reason: 'test kill switch' },
    ]);
    expect(res.status).toBeLessThan(300);
    const rule = grafanaRules().find((r) => r.title === 'TradingHalted')!;
    const result = await prometheus!.waitForData(
      `(${rule.data[0].model.expr!}) and on (engine) trading_halted{engine="breach-halt"}`,
    );
    expect(Number(result[0].value[1])).toBe(1);
    await alertState('TradingHalted', 'breach-halt', ['firing']);
  });

  test('a 20 % drawdown (balance, buy, mark down) crosses the drawdown, daily loss and concentration rules', async () => {
    const engine = 'breach-drawdown';
    const t0 = Date.now() - 5000;
    const res = await postEvents(exporter!, [
      { type: 'balance', ts: t0, engine, balances: { USD: 10000 } },
      { type: 'mark', ts: t0 + 1000, engine, symbol: 'BTC/USD', price: 5000 },
      {
        type: 'fill',
        ts: t0 + 2000,
        engine,
        fill_id: 'bd-f1',
        order_id: 'bd-o1',
        symbol: 'BTC/USD',
        side: 'buy',
        price: 5000,
        quantity: 1,
      },
      { type: 'mark', ts: t0 + 3000, engine, symbol: 'BTC/USD', price: 3000 },
    ]);
    expect(res.status).toBeLessThan(300);
    const drawdown = await prometheus!.waitForData(`trading_drawdown_ratio{engine="${engine}"} > 0.1`);
    expect(Number(drawdown[0].value[1])).toBeCloseTo(0.2, 2);

    const critical = grafanaRules().find((r) => r.title === 'TradingDrawdownCritical')!;
    const crossed = await prometheus!.waitForData(
      `(${critical.data[0].model.expr!}) and on (engine) trading_equity{engine="${engine}"}`,
    );
    expect(Number(crossed[0].value[1])).toBeCloseTo(0.2, 2);

    // `for: 1m` rules are pending at first; pending proves the expression crossed in the rule engine.
    await alertState('TradingDrawdownCritical', engine, ['pending', 'firing']);
    await alertState('TradingDrawdownWarning', engine, ['pending', 'firing']);
    await alertState('TradingDailyLossCritical', engine, ['pending', 'firing']);
    await alertState('TradingConcentrationWarning', engine, ['pending', 'firing']);
  });
});
