/**
 * Market data and execution quality through the real exporter:
 * - the slippage, limit-improvement and fill-ratio histograms depend on event time only: a
 *   demo session posted live in uneven batches, the same file replayed by the replay source,
 *   and the live exporter restarted after kill -9 (journal replay) give the same lines;
 * - the market-data age grows on the wall clock and resets when a new mark arrives
 *   (waiting on the condition, never a fixed sleep).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DemoEngine } from '../../exporter/src/sources/demo';
import { postEvents, scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(120_000);

const EXECUTION_QUALITY =
  /^(trading_slippage_bps|trading_slippage_unpriced_total|trading_limit_improvement_bps|trading_order_fill_ratio|trading_last_fill_price|trading_mark_price)/;

async function qualityLines(ex: RunningExporter): Promise<string[]> {
  const text = await (await fetch(`${ex.baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => EXECUTION_QUALITY.test(l))
    .sort();
}

describe('execution quality is a function of the events', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-market-quality-'));
  const running: RunningExporter[] = [];
  afterAll(async () => {
    for (const ex of running) await ex.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  test('live batches, the replay source and a restart after kill -9 give the same histograms', async () => {
    // A demo session with a market-data gap (ticks 300–899), 250 ms apart in event time.
    const start = Date.now() - 3_600_000;
    const demo = new DemoEngine(9, 'session');
    const ticks = Array.from({ length: 1000 }, (_, t) => demo.next(start + t * 250));
    const file = path.join(dir, 'session.jsonl');
    writeFileSync(
      file,
      ticks
        .flat()
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );

    const live = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
    running.push(live);
    // Uneven batches: 1, 2, 3 … ticks per request.
    for (let t = 0, n = 1; t < ticks.length; t += n, n = (n % 7) + 1)
      expect((await postEvents(live, ticks.slice(t, t + n).flat())).status).toBe(200);
    const liveLines = await qualityLines(live);
    const fills = sumOf(await scrape(live.baseUrl), 'trading_slippage_bps_count');
    expect(fills).toBeGreaterThan(100);
    expect(liveLines.some((l) => l.startsWith('trading_limit_improvement_bps_count'))).toBe(true);
    expect(liveLines.some((l) => l.startsWith('trading_order_fill_ratio_count'))).toBe(true);

    const replay = await startExporter({
      env: { TRADEWATCH_SOURCE: 'replay', TRADEWATCH_REPLAY_FILE: file, TRADEWATCH_REPLAY_SPEED: '0' },
    });
    running.push(replay);
    const events = ticks.flat().length;
    await waitFor(
      'the replay to apply every event',
      async () => sumOf(await scrape(replay.baseUrl), 'trading_events_total') === events,
      60_000,
    );
    expect(await qualityLines(replay)).toEqual(liveLines);

    await live.kill();
    const restarted = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' }, dataDir: live.dataDir });
    running.push(restarted);
    expect(await qualityLines(restarted)).toEqual(liveLines);
  });
});

describe('market-data age on the wall clock', () => {
  let ex: RunningExporter;
  beforeAll(async () => {
    ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const age = async (symbol: string) =>
    (await scrape(ex.baseUrl)).get(`trading_market_data_age_seconds{engine="clock",symbol="${symbol}"}`);
  const markNow = async (symbol: string, price: number) =>
    expect(
      (await postEvents(ex, [{ type: 'mark', ts: Date.now(), engine: 'clock', symbol, price }])).status,
    ).toBe(200);

  test('grows while no mark arrives and resets when one does', async () => {
    // One timestamp for both, so that DOGE/USD's age later is never under XRP/USD's now (marked
    // a few ms apart, a fast reset and scrape after could read DOGE/USD 1 ms younger).
    const ts = Date.now();
    const marks = [
      { type: 'mark', ts, engine: 'clock', symbol: 'XRP/USD', price: 0.5 },
      { type: 'mark', ts, engine: 'clock', symbol: 'DOGE/USD', price: 0.16 },
    ];
    expect((await postEvents(ex, marks)).status).toBe(200);
    const first = (await age('XRP/USD'))!;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(5);
    // The age grows with the wall clock (wait on the condition).
    const grown = await waitFor('the XRP/USD age to pass 1.5 s', async () => {
      const a = (await age('XRP/USD'))!;
      return a >= 1.5 ? a : false;
    });
    expect(grown).toBeGreaterThan(first);
    // A new XRP/USD mark resets it; DOGE/USD, still silent, keeps growing.
    await markNow('XRP/USD', 0.51);
    const reset = (await age('XRP/USD'))!;
    expect(reset).toBeLessThan(grown);
    expect(reset).toBeLessThan(1.5);
    expect((await age('DOGE/USD'))!).toBeGreaterThanOrEqual(grown);
  });
});
