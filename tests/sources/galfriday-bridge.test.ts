/**
 * The Gal Friday bridge end to end: the machine's python3 runs bridges/galfriday/test_bridge.py
 * (a stand-in PubSubManager, events in the shapes Gal Friday's real code publishes) against the
 * real exporter, and the exporter's own figures are checked here too: issue 11's hand-worked
 * session, through the bridge, with marks from L2 books only.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO, scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

const ENGINE = 'gf-real';
let ex: RunningExporter;
beforeAll(async () => {
  ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
});
afterAll(async () => {
  await ex?.stop();
});

it('python3 bridge → exporter: the hand-worked figures, unusable reports refused alone, drops when away', async () => {
  const run = spawnSync(
    'python3',
    ['-m', 'unittest', '-v', path.join('bridges', 'galfriday', 'test_bridge.py')],
    {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        PYTHONDONTWRITEBYTECODE: '1',
        TRADEWATCH_URL: ex.baseUrl,
        TRADEWATCH_INGEST_TOKEN: ex.ingestToken,
        TRADEWATCH_VIEWER_TOKEN: ex.viewerToken,
        TRADEWATCH_TEST_ENGINE: ENGINE,
      },
      encoding: 'utf8',
      timeout: 50_000,
    },
  );
  if (run.status !== 0)
    throw new Error(`python3 bridge tests failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  expect(run.stderr).toMatch(/Ran 8 tests[\s\S]*OK/);

  const samples = await scrape(ex.baseUrl);
  const of = (name: string, labels: Record<string, string> = {}) =>
    sumOf(samples, name, { engine: ENGINE, ...labels });
  // Realized PnL 1.00 gross − 0.22044 fees; fees in USD (Kraken's ZUSD); equity with DOGE at the L2 mid 0.10022.
  expect(of('trading_realized_pnl')).toBe(0.77956);
  expect(of('trading_fees_paid_total', { currency: 'USD' })).toBe(0.22044);
  expect(of('trading_equity')).toBeCloseTo(0.99956, 12);
  expect(of('trading_pnl_incomplete')).toBe(0);
  // Marks from L2 books only (Gal Friday's default wiring publishes no tickers): three books, three marks.
  expect(of('trading_events_total', { type: 'mark' })).toBe(3);
  expect([
    of('trading_orders_submitted_total'),
    of('trading_orders_closed_total', { status: 'rejected' }),
  ]).toEqual([6, 2]);
  expect([
    of('trading_signals_total', { decision: 'approved' }),
    of('trading_signals_total', { decision: 'rejected' }),
  ]).toEqual([6, 1]);
  // Kraken's two refusals; RiskManager's SYSTEM_ERROR metrics are its own view, not venue errors.
  expect(of('trading_venue_errors_total')).toBe(2);
  expect(of('trading_risk_value', { limit: 'galfriday_risk_score' })).toBe(9.5);
  // No Kraken asset code as a label value, for any engine.
  expect(
    [...samples.keys()].filter((k) => /"(ZUSD|ZEUR|XXBT|XBT|XETH|XXRP|XXDG|XDG)"|(XXBT|XDG|ZUSD)\//.test(k)),
  ).toEqual([]);
  // The one unusable report (a MARKET fill without any price) was refused alone and counted; no batch was refused.
  expect(sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'galfriday_unusable' })).toBe(1);
  expect(sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'invalid_event' })).toBe(0);
  expect(sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'unauthorized' })).toBe(0);
});
