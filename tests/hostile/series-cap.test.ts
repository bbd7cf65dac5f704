/**
 * The store-wide series cap (issue 25, item 6): the per-label caps do not bound their
 * product (strategy × symbol × side), so one engine within the defaults gave 2 M series and
 * a 21 s scrape. TRADEWATCH_MAX_SERIES caps the trading series across every engine: a batch
 * that would create one more is refused whole with 422 naming the setting, and counted.
 */
import { postEvents, scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

const T = Date.parse('2026-03-02T10:00:00Z');
const MAX_SERIES = 1_000;
const FAMILIES = [
  'trading_fills_total',
  'trading_filled_notional_total',
  'trading_orders_submitted_total',
  'trading_orders_closed_total',
];

let x: RunningExporter;
beforeAll(async () => {
  x = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_MAX_SERIES: String(MAX_SERIES),
    },
  });
});
afterAll(async () => {
  await x?.stop();
});

let seq = 0;
/** Buy fills, one per strategy × symbol: each a new fills and a new notional series (USD quote). */
function fills(engine: string, strategies: number, symbols: number, from = 0): Record<string, unknown>[] {
  const out = [];
  for (let s = 0; s < strategies; s++)
    for (let y = from; y < from + symbols; y++) {
      seq += 1;
      out.push({
        type: 'fill',
        ts: T + seq,
        engine,
        fill_id: `f${seq}`,
        order_id: `o${seq}`,
        symbol: `S${y}/USD`,
        side: 'buy',
        price: '1.5',
        quantity: '2',
        strategy: `st${s}`,
      });
    }
  return out;
}

/** The trading series /metrics writes, across every engine. */
async function tradingSeries(): Promise<number> {
  const samples = await scrape(x.baseUrl);
  let n = 0;
  for (const key of samples.keys()) if (FAMILIES.some((f) => key.startsWith(f + '{'))) n += 1;
  return n;
}

const rejected = async () =>
  sumOf(await scrape(x.baseUrl), 'tradewatch_events_rejected_total', { reason: 'cardinality_limit' });

test('trading series across engines stop at TRADEWATCH_MAX_SERIES: one more is a 422 naming it, counted, nothing applied', async () => {
  // Two engines, 10 strategies × 20 symbols each: 2 × 200 × 2 = 800 series. A fill in a quote
  // that cannot be valued yet (no EUR mark) has no notional series, but counts for one.
  expect((await postEvents(x, fills('a', 10, 20))).status).toBe(200);
  expect((await postEvents(x, fills('b', 10, 20))).status).toBe(200);
  const eurFill = { ...fills('e', 1, 1)[0], symbol: 'X/EUR' };
  expect((await postEvents(x, [eurFill])).status).toBe(200);
  expect(await tradingSeries()).toBe(801);

  // 150 new label sets would make 1,102: refused whole, at the event that crosses the bound.
  const before = await scrape(x.baseUrl);
  const rejectedBefore = await rejected();
  const over = await postEvents(x, fills('b', 10, 15, 20));
  expect(over.status).toBe(422);
  expect(over.body.error).toMatch(/TRADEWATCH_MAX_SERIES/);
  expect(over.body.problems).toEqual([expect.objectContaining({ index: 99 })]);
  expect((await rejected()) - rejectedBefore).toBe(150);
  const after = await scrape(x.baseUrl);
  expect(sumOf(after, 'trading_fills_total')).toBe(sumOf(before, 'trading_fills_total'));
  expect(await tradingSeries()).toBe(801);

  // Fills on series that exist are not refused; up to the bound is allowed.
  expect((await postEvents(x, fills('a', 10, 20))).status).toBe(200);
  expect((await postEvents(x, fills('b', 9, 11, 20))).status).toBe(200);
  expect(await tradingSeries()).toBe(MAX_SERIES - 1);

  // At the bound: a new engine's first fill, and a new order, are refused; a mark is not.
  const fill = await postEvents(x, fills('c', 1, 1));
  expect(fill.status).toBe(422);
  expect(fill.body.error).toMatch(/TRADEWATCH_MAX_SERIES/);
  const order = await postEvents(x, [
    {
      type: 'order',
      ts: T,
      engine: 'a',
      order_id: 'new-order',
      symbol: 'S0/USD',
      side: 'sell',
      order_type: 'limit',
      status: 'new',
      quantity: '1',
      limit_price: '2',
      strategy: 'st0',
    },
  ]);
  expect(order.status).toBe(422);
  expect(order.body.error).toMatch(/TRADEWATCH_MAX_SERIES/);
  expect(
    (await postEvents(x, [{ type: 'mark', ts: T, engine: 'a', symbol: 'S0/USD', price: '1.6' }])).status,
  ).toBe(200);
  // A fill on the EUR series is on a series that exists, valued or not.
  expect((await postEvents(x, [{ ...eurFill, fill_id: 'eur-2', ts: T + 1 }])).status).toBe(200);
  expect(await tradingSeries()).toBe(MAX_SERIES - 1);
});
