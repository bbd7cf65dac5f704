/**
 * The real exporter process, over HTTP: events in, metrics out; every bad input answered
 * with a 4xx that names the problem, the state untouched, the rejection counted.
 */
import { postEvents, scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';

const TS = '2026-03-02T10:00:00Z';
const at = (s: number) => new Date(Date.parse(TS) + s * 1000).toISOString();

let ex: RunningExporter;
beforeAll(async () => {
  ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_MAX_BODY_BYTES: '4096' } });
});
afterAll(async () => {
  await ex?.stop();
});

/** The domain series only (host and process figures move on their own). */
async function tradingState(): Promise<string> {
  const samples = await scrape(ex.baseUrl);
  // The market-data age is wall-clock time since a mark arrived: it moves between scrapes.
  const age = 'trading_market_data_age_seconds';
  return [...samples]
    .filter(([k]) => k.startsWith('trading_') && !k.startsWith(age))
    .map(([k, v]) => `${k} ${v}`)
    .sort()
    .join('\n');
}

const order = (over: Record<string, unknown> = {}) => ({
  type: 'order',
  ts: TS,
  engine: 'it',
  order_id: 'o-1',
  symbol: 'BTC/USD',
  side: 'buy',
  order_type: 'limit',
  status: 'new',
  quantity: '1',
  limit_price: '60000',
  strategy: 'alpha',
  ...over,
});

describe('ingest over HTTP', () => {
  it('applies a batch and /metrics shows it', async () => {
    const r = await postEvents(ex, [
      { type: 'balance', ts: TS, engine: 'it', balances: { USD: '100000' } },
      { type: 'mark', ts: TS, engine: 'it', symbol: 'BTC/USD', price: 60000 },
      order(),
      order({ order_id: 'o-2', side: 'sell', symbol: 'ETH/USD', limit_price: 3000, quantity: 2 }),
      {
        type: 'fill',
        ts: at(1),
        engine: 'it',
        fill_id: 'f-1',
        order_id: 'o-1',
        symbol: 'BTC/USD',
        side: 'buy',
        price: '60000',
        quantity: '0.4',
        fee: '24',
      },
      order({
        ts: at(1),
        status: 'partially_filled',
        filled_quantity: '0.4',
        avg_fill_price: 60000,
        fees: 24,
      }),
      { type: 'mark', ts: at(2), engine: 'it', symbol: 'BTC/USD', price: 61000 },
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 7, applied: 7, duplicates: 0 });

    const m = await scrape(ex.baseUrl);
    expect(sumOf(m, 'trading_orders_active', { engine: 'it' })).toBe(2);
    expect(sumOf(m, 'trading_orders_submitted_total', { engine: 'it', strategy: 'alpha' })).toBe(2);
    expect(sumOf(m, 'trading_fills_total', { engine: 'it', symbol: 'BTC/USD', side: 'buy' })).toBe(1);
    expect(sumOf(m, 'trading_position_quantity', { engine: 'it', symbol: 'BTC/USD' })).toBeCloseTo(0.4, 12);
    expect(sumOf(m, 'trading_position_avg_price', { engine: 'it', symbol: 'BTC/USD' })).toBe(60000);
    // 0.4 × (61000 − 60000) = 400 unrealized; the 24 fee is realized.
    expect(sumOf(m, 'trading_unrealized_pnl', { engine: 'it', symbol: 'BTC/USD' })).toBeCloseTo(400, 9);
    expect(sumOf(m, 'trading_realized_pnl', { engine: 'it', symbol: 'BTC/USD' })).toBeCloseTo(-24, 9);
    // Cash: 100000 − 0.4 × 60000 − 24 = 75976; equity = 75976 + 0.4 × 61000 = 100376.
    expect(sumOf(m, 'trading_cash_balance', { engine: 'it', currency: 'USD' })).toBeCloseTo(75976, 9);
    expect(sumOf(m, 'trading_equity', { engine: 'it' })).toBeCloseTo(100376, 9);
    expect(sumOf(m, 'trading_fees_paid_total', { engine: 'it', currency: 'USD' })).toBe(24);
    expect(sumOf(m, 'trading_last_event_timestamp_seconds', { engine: 'it' })).toBe(Date.parse(at(2)) / 1000);
  });

  it('accepts NDJSON, and a closed order leaves the active set', async () => {
    const body = [
      order({ ts: at(3), status: 'canceled', filled_quantity: '0.4', reason: 'user' }),
      { type: 'mark', ts: at(3), engine: 'it', symbol: 'ETH/USD', price: 3000 },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n');
    const r = await postEvents(ex, body, { contentType: 'application/x-ndjson' });
    expect(r.status).toBe(200);
    const m = await scrape(ex.baseUrl);
    expect(sumOf(m, 'trading_orders_active', { engine: 'it' })).toBe(1);
    expect(sumOf(m, 'trading_orders_closed_total', { engine: 'it', status: 'canceled' })).toBe(1);
  });

  it('applies a repeated event id and a repeated fill_id once', async () => {
    const fill = {
      type: 'fill',
      ts: at(4),
      engine: 'it',
      fill_id: 'f-2',
      order_id: 'o-2',
      symbol: 'ETH/USD',
      side: 'sell',
      price: 3000,
      quantity: 1,
    };
    const withId = {
      type: 'alert',
      id: 'evt-7',
      ts: at(4),
      engine: 'it',
      name: 'x',
      severity: 'info',
      message: 'hello',
    };
    expect((await postEvents(ex, [fill, withId])).status).toBe(200);
    const again = await postEvents(ex, [fill, withId, { ...fill, ts: at(5) }]);
    expect(again.status).toBe(200);
    // The alert's event id, and the fill's (engine, fill_id) twice: a fill is identified by it.
    expect(again.body).toMatchObject({ applied: 0, duplicates: 3 });
    const m = await scrape(ex.baseUrl);
    expect(sumOf(m, 'trading_fills_total', { engine: 'it', symbol: 'ETH/USD' })).toBe(1);
    expect(sumOf(m, 'trading_position_quantity', { engine: 'it', symbol: 'ETH/USD' })).toBe(-1);
    expect(sumOf(m, 'trading_engine_alerts_total', { engine: 'it', severity: 'info' })).toBe(1);
  });
});

describe('bad input: a clear 4xx, nothing applied, counted, never a crash', () => {
  const big = JSON.stringify([order({ reason: 'x'.repeat(5000) })]);
  const cases: {
    name: string;
    body: unknown[] | string;
    init?: Parameters<typeof postEvents>[2];
    status: number;
    reason: string;
    expect: RegExp;
    problem?: { index: number; field: string };
  }[] = [
    {
      name: 'malformed JSON',
      body: '[{"type":"mark",',
      status: 400,
      reason: 'malformed_json',
      expect: /not valid JSON/,
    },
    {
      name: 'malformed NDJSON line',
      body: '{"type":"mark"}\n{oops}',
      init: { contentType: 'application/x-ndjson' },
      status: 400,
      reason: 'malformed_json',
      expect: /line 2/,
    },
    {
      name: 'wrong types',
      body: [order({ quantity: true })],
      status: 400,
      reason: 'invalid_event',
      expect: /invalid event/,
      problem: { index: 0, field: 'quantity' },
    },
    {
      name: 'unknown type',
      body: [order(), { type: 'trade', ts: TS }],
      status: 400,
      reason: 'invalid_event',
      expect: /invalid event/,
      problem: { index: 1, field: 'type' },
    },
    {
      name: 'missing required field',
      body: [order({ side: undefined })],
      status: 400,
      reason: 'invalid_event',
      expect: /invalid/,
      problem: { index: 0, field: 'side' },
    },
    {
      name: 'negative quantity',
      body: [order({ quantity: -1 })],
      status: 400,
      reason: 'invalid_event',
      expect: /invalid/,
      problem: { index: 0, field: 'quantity' },
    },
    {
      name: 'zero price',
      body: [{ type: 'mark', ts: TS, engine: 'it', symbol: 'BTC/USD', price: 0 }],
      status: 400,
      reason: 'invalid_event',
      expect: /invalid/,
      problem: { index: 0, field: 'price' },
    },
    {
      name: 'non-finite price',
      body: [{ type: 'mark', ts: TS, engine: 'it', symbol: 'BTC/USD', price: '1e999' }],
      status: 400,
      reason: 'invalid_event',
      expect: /invalid/,
      problem: { index: 0, field: 'price' },
    },
    {
      name: 'filled above quantity',
      body: [order({ status: 'partially_filled', filled_quantity: 2 })],
      status: 400,
      reason: 'invalid_event',
      expect: /invalid/,
      problem: { index: 0, field: 'filled_quantity' },
    },
    {
      name: 'unknown enum value',
      body: [order({ status: 'OPEN' })],
      status: 400,
      reason: 'invalid_event',
      expect: /invalid/,
      problem: { index: 0, field: 'status' },
    },
    {
      name: 'body over the size limit',
      body: big,
      status: 413,
      reason: 'too_large',
      expect: /larger than the limit of 4096 bytes/,
    },
    {
      name: 'wrong content type',
      body: '[]',
      init: { contentType: 'text/csv' },
      status: 415,
      reason: 'unsupported_media_type',
      expect: /unsupported content type "text\/csv"/,
    },
    {
      name: 'missing token',
      body: [order()],
      init: { token: null },
      status: 401,
      reason: 'unauthorized',
      expect: /ingest token is required/,
    },
    {
      name: 'wrong token',
      body: [order()],
      init: { token: 'not-a-real-token-at-all' },
      status: 401,
      reason: 'unauthorized',
      expect: /not valid/,
    },
    {
      name: 'viewer token on the ingest route',
      body: [order()],
      init: { token: '__viewer__' },
      status: 403,
      reason: 'forbidden',
      expect: /viewer role; ingest is required/,
    },
  ];

  it.each(cases)('$name → $status', async (c) => {
    const before = await tradingState();
    const rejectedBefore = sumOf(await scrape(ex.baseUrl), 'tradewatch_events_rejected_total', {
      reason: c.reason,
    });
    const init = { ...c.init };
    if (init.token === '__viewer__') init.token = ex.viewerToken;
    const r = await postEvents(ex, c.body, init);
    expect(r.status).toBe(c.status);
    expect(typeof r.body).toBe('object');
    expect(r.body.error).toMatch(c.expect);
    if (c.problem) {
      expect(r.body.problems).toEqual(
        expect.arrayContaining([expect.objectContaining({ ...c.problem, reason: expect.any(String) })]),
      );
    }
    expect(await tradingState()).toBe(before);
    const rejectedAfter = sumOf(await scrape(ex.baseUrl), 'tradewatch_events_rejected_total', {
      reason: c.reason,
    });
    expect(rejectedAfter).toBeGreaterThan(rejectedBefore);
  });

  it('a batch with one bad event applies none of it', async () => {
    const before = await tradingState();
    const r = await postEvents(ex, [
      order({ order_id: 'o-new' }),
      { type: 'mark', ts: TS, engine: 'it', symbol: 'BTC/USD', price: 99 },
      order({ order_id: 'o-bad', quantity: 0 }),
    ]);
    expect(r.status).toBe(400);
    expect(r.body.problems).toEqual([expect.objectContaining({ index: 2, field: 'quantity' })]);
    expect(await tradingState()).toBe(before);
  });

  it('the exporter is still healthy after all of it', async () => {
    const res = await fetch(`${ex.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(ex.process.exitCode).toBeNull();
  });
});
