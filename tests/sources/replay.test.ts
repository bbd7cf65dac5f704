/**
 * The replay source in the real exporter: a JSONL file as fast as possible, at N× speed
 * (timed by the events' own ts), bad lines skipped with their line numbers, and a restart
 * that replays the same file again applies nothing twice.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-03-05T12:00:00Z');
const SECONDS = 20;
const dir = mkdtempSync(path.join(tmpdir(), 'tw-replay-'));
const file = path.join(dir, 'session.jsonl');

// One order and its fill per second of recorded time, a mark first, and one bad line.
const lines: string[] = [
  JSON.stringify({
    type: 'mark',
    ts: new Date(T0).toISOString(),
    engine: 'rp',
    symbol: 'DOGE/USD',
    price: '0.16',
  }),
];
for (let s = 0; s < SECONDS; s++) {
  const ts = T0 + (s + 1) * 1000;
  lines.push(
    JSON.stringify({
      type: 'order',
      ts,
      engine: 'rp',
      order_id: `o${s}`,
      symbol: 'DOGE/USD',
      side: 'buy',
      order_type: 'market',
      status: 'filled',
      quantity: 10,
      filled_quantity: 10,
      avg_fill_price: 0.16,
    }),
  );
  lines.push(
    JSON.stringify({
      type: 'fill',
      ts,
      engine: 'rp',
      fill_id: `f${s}`,
      order_id: `o${s}`,
      symbol: 'DOGE/USD',
      side: 'buy',
      price: 0.16,
      quantity: 10,
    }),
  );
  if (s === 4)
    lines.push('{"type": "mark", "ts": "not a time", "engine": "rp", "symbol": "DOGE/USD", "price": 1}');
}
writeFileSync(file, lines.join('\n') + '\n');
const EVENTS = 1 + SECONDS * 2;
const BAD_LINE = lines.findIndex((l) => l.includes('not a time')) + 1;

const running: RunningExporter[] = [];
afterAll(async () => {
  for (const ex of running) await ex.stop();
  rmSync(dir, { recursive: true, force: true });
});

const events = async (ex: RunningExporter) =>
  sumOf(await scrape(ex.baseUrl), 'trading_events_total', { engine: 'rp' });

describe('replay source', () => {
  it('as fast as possible: everything at once; a bad line skipped with its number; a restart applies nothing twice', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-replay-data-'));
    const env = { TRADEWATCH_SOURCE: 'replay', TRADEWATCH_REPLAY_FILE: file, TRADEWATCH_REPLAY_SPEED: '0' };
    const ex = await startExporter({ env, dataDir });
    running.push(ex);
    await waitFor('all events', async () => (await events(ex)) === EVENTS, 5_000);
    const samples = await scrape(ex.baseUrl);
    expect(sumOf(samples, 'trading_position_quantity', { engine: 'rp' })).toBe(200);
    expect(sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'invalid_event' })).toBe(1);
    await waitFor('the finish line', async () => ex.output().includes('replay finished'));
    expect(ex.output()).toContain(`replay: line ${BAD_LINE} skipped: ts:`);
    await ex.stop({ keepData: true });

    const again = await startExporter({ env, dataDir });
    running.push(again);
    await waitFor('the second replay to finish', async () => again.output().includes('replay finished'));
    expect(await events(again)).toBe(EVENTS);
    expect(sumOf(await scrape(again.baseUrl), 'trading_position_quantity', { engine: 'rp' })).toBe(200);
  });

  it('at 10× speed: 20 s of recorded time take about 2 s, in order', async () => {
    const ex = await startExporter({
      env: { TRADEWATCH_SOURCE: 'replay', TRADEWATCH_REPLAY_FILE: file, TRADEWATCH_REPLAY_SPEED: '10' },
    });
    running.push(ex);
    const started = Date.now();
    // Part way: some but not all (the first events applied, the rest still to come).
    const partial = await waitFor('the first events', async () => (await events(ex)) || false, 15_000, 50);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(EVENTS);
    await waitFor('all events', async () => (await events(ex)) === EVENTS, 15_000, 50);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(1.2); // not all at once (recorded 20 s / 10, minus start-up)
    expect(seconds).toBeLessThan(8);
    // Event time, not wall time: the figures are the recorded ones.
    const samples = await scrape(ex.baseUrl);
    expect(sumOf(samples, 'trading_last_event_timestamp_seconds', { engine: 'rp' })).toBe(
      (T0 + SECONDS * 1000) / 1000,
    );
  });
});
