/**
 * The live exporter's /metrics and `tradewatch replay` agree after the same events: the
 * recorded demo fixture is posted to a real exporter (no demo source) and replayed by the
 * real CLI; every accounting figure the dashboards read must match.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CLI,
  REPO,
  parseMetrics,
  postEvents,
  startExporter,
  type RunningExporter,
} from '../support/exporter';

const FIXTURE = path.join(REPO, 'exporter', 'test', 'fixtures', 'demo-2d.jsonl');
const run = promisify(execFile);
jest.setTimeout(60_000);

let exporter: RunningExporter;
let metrics: Map<string, number>;
let metricsText: string;
let report: any;

beforeAll(async () => {
  exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
  const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n');
  for (let i = 0; i < lines.length; i += 1000) {
    const res = await postEvents(exporter, lines.slice(i, i + 1000).join('\n'), {
      contentType: 'application/x-ndjson',
    });
    expect(res.status).toBeLessThan(300);
  }
  const res = await fetch(`${exporter.baseUrl}/metrics`);
  metricsText = await res.text();
  metrics = parseMetrics(metricsText);
  const { stdout } = await run(process.execPath, [CLI, 'replay', FIXTURE, '--json'], {
    env: { PATH: process.env.PATH },
    maxBuffer: 64 << 20,
  });
  report = JSON.parse(stdout);
});

afterAll(async () => {
  await exporter?.stop();
});

/** prom-client writes NaN and ±Inf as the report's JSON does. */
function reportNumber(v: number | string | null): number {
  if (v === 'NaN') return NaN;
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return v as number;
}

function metric(name: string, labels: Record<string, string>): number {
  const key = `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
  const v = metrics.get(key);
  if (v === undefined) throw new Error(`no sample ${key}`);
  return v;
}

function same(actual: number, expected: number | string | null) {
  const e = reportNumber(expected);
  if (!Number.isFinite(e)) return expect(actual).toBe(e);
  expect(Math.abs(actual - e)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
}

test('every accounting figure on /metrics equals the replay report of the same events', () => {
  expect(report.skipped).toBe(0);
  const e = report.engines.find((x: { engine: string }) => x.engine === 'demo');
  const engine = 'demo';
  same(metric('trading_equity', { engine }), e.equity);
  same(metric('trading_daily_pnl', { engine }), e.dailyPnl);
  same(metric('trading_drawdown_ratio', { engine }), e.drawdown);
  same(metric('trading_exposure_ratio', { engine }), e.exposure);
  same(metric('trading_consecutive_losses', { engine }), e.consecutiveLosses);
  same(metric('trading_pnl_incomplete', { engine }), e.pnlIncomplete ? 1 : 0);
  same(metric('trading_cash_balance', { engine, currency: 'USD' }), e.cash.USD);
  for (const p of e.positions) {
    const labels = { engine, symbol: p.symbol };
    same(metric('trading_realized_pnl', labels), p.realizedPnl);
    if (p.quantity === 0) continue;
    same(metric('trading_position_quantity', labels), p.quantity);
    same(metric('trading_position_avg_price', labels), p.avgPrice);
    same(metric('trading_position_notional', labels), p.notional);
    same(metric('trading_unrealized_pnl', labels), p.unrealizedPnl);
    same(metric('trading_concentration_ratio', labels), e.concentration[p.symbol]);
  }
  for (const w of e.windows) {
    const labels = { engine, window: w.window };
    same(metric('trading_sharpe_ratio', labels), w.returns.sharpe);
    same(metric('trading_sortino_ratio', labels), w.returns.sortino);
    same(metric('trading_volatility_ratio', labels), w.returns.volatility);
    same(metric('trading_max_drawdown_ratio', labels), w.returns.maxDrawdown);
    same(metric('trading_win_rate_ratio', labels), w.trades.winRate);
    same(metric('trading_profit_factor', labels), w.trades.profitFactor);
    same(metric('trading_expectancy', labels), w.trades.expectancy);
  }
  for (const t of e.roundTrips)
    same(metric('trading_round_trips_total', { engine, strategy: t.strategy, outcome: t.outcome }), t.count);
  for (const s of e.strategies)
    same(
      metric('trading_strategy_consecutive_losses', { engine, strategy: s.strategy }),
      s.consecutiveLosses,
    );
  // the demo trades: there must be something to compare
  expect(e.roundTrips.length).toBeGreaterThan(0);
  expect(e.windows.find((w: { window: string }) => w.window === 'all').returns.periods).toBe(46);
});

test('promtool finds nothing to say about the accounting metrics', () => {
  const accounting = metricsText
    .split('\n')
    .filter((l) => /^(# (HELP|TYPE) )?trading_/.test(l))
    .join('\n');
  const res = spawnSync('promtool', ['check', 'metrics'], { input: accounting + '\n', encoding: 'utf8' });
  expect(res.stdout + res.stderr).toBe('');
  expect(res.status).toBe(0);
});

test('the replay CLI names a bad line, and --strict stops there with a non-zero exit', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-replay-cli-'));
  try {
    const bad = path.join(dir, 'bad.jsonl');
    const head = readFileSync(FIXTURE, 'utf8').split('\n').slice(0, 20);
    head.splice(5, 0, '{"type":"mark","ts":"2026-01-05T00:00:00Z","symbol":"BTC/USD"}');
    writeFileSync(bad, head.join('\n') + '\n');
    const lenient = spawnSync(process.execPath, [CLI, 'replay', bad], { encoding: 'utf8' });
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toContain('1 skipped');
    expect(lenient.stdout).toContain('skipped line 6: price: is required');
    expect(lenient.stdout).toContain('Engine demo');
    const strict = spawnSync(process.execPath, [CLI, 'replay', bad, '--strict'], { encoding: 'utf8' });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('line 6: price: is required');
    const missing = spawnSync(process.execPath, [CLI, 'replay', path.join(dir, 'nope.jsonl')], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
