/**
 * A bot's bulk upload does not hold everyone else (issue 23): a batch at the default body
 * limit (about 10 MB, 43 k events) is decoded, validated, journaled and applied a slice at
 * a time, so /healthz polled every 20 ms keeps answering; and a scrape during it sees the
 * batch whole or not at all, never half of it.
 */
import { longestAnswer as pollLongest } from '../../bench/ingest/poll';
import { orderFillBatch } from '../../bench/ingest/workload';
import { parseMetrics, postEvents, startExporter, sumOf, type RunningExporter } from '../support/exporter';

jest.setTimeout(120_000);

const EVENTS = 43_000;
/**
 * The issue's goal is 50 ms on a quiet machine. Measured here at load 2: 130–140 ms (what is
 * left is mostly V8's scavenges of the batch's surviving objects: docs/events.md); the exporter before
 * slicing held it 441 ms in the same conditions (836 ms at load 9). The bound leaves room for
 * a noisy CI machine and still fails the unsliced exporter.
 */
const HOLD_LIMIT_MS = 300;

let ex: RunningExporter;
beforeAll(async () => {
  ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
      ...(process.env.LB_HISTORY ? { TRADEWATCH_HISTORY: process.env.LB_HISTORY } : {}),
    },
  });
});
afterAll(async () => {
  await ex?.stop();
});

/** The longest /healthz (or other) answer while `during` runs, polled every 20 ms (bench/ingest/poll.ts). */
const longestAnswer = <T>(path: string, during: () => Promise<T>) => pollLongest(ex.baseUrl, path, during);

it('a 10 MB batch never holds /healthz long, and is applied whole', async () => {
  const body = JSON.stringify(orderFillBatch(0, EVENTS, { engine: 'bulk' }));
  expect(body.length).toBeGreaterThan(9_000_000);
  const { result, longestMs, polls } = await longestAnswer('/healthz', () => postEvents(ex, body));
  expect(result.status).toBe(200);
  expect(result.body).toMatchObject({ accepted: EVENTS, applied: EVENTS });
  console.log(`10 MB batch: /healthz longest answer ${longestMs.toFixed(0)} ms over ${polls} polls`);
  expect(polls).toBeGreaterThan(5);
  expect(longestMs).toBeLessThan(HOLD_LIMIT_MS);
});

it('a scrape during a large batch sees it whole or not at all', async () => {
  const events = orderFillBatch(1_000, 20_000, { engine: 'whole' });
  const fills = events.filter((e) => e.type === 'fill').length;
  const seen = new Set<number>();
  await longestAnswer('/healthz', async () => {
    const posting = postEvents(ex, events);
    let finished = false;
    void posting.then(() => (finished = true));
    while (!finished) {
      const samples = parseMetrics(await (await fetch(`${ex.baseUrl}/metrics`)).text());
      seen.add(sumOf(samples, 'trading_fills_total', { engine: 'whole' }));
    }
    expect((await posting).status).toBe(200);
  });
  const after = parseMetrics(await (await fetch(`${ex.baseUrl}/metrics`)).text());
  expect(sumOf(after, 'trading_fills_total', { engine: 'whole' })).toBe(fills);
  for (const count of seen) expect([0, fills]).toContain(count);
});
