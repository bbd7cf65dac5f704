/** GET /api/v1/orders|positions|state for viewers: the same state the feed serves. */
import { postEvents, scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';
import { orderEvent } from './support';

jest.setTimeout(60_000);

let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
  const t = Date.now();
  const res = await postEvents(exporter, [
    orderEvent('r1', 'new', { engine: 'alpha', strategy: 'momentum', symbol: 'BTC/USD' }),
    orderEvent('r2', 'new', { engine: 'alpha', strategy: 'mean_reversion', symbol: 'ETH/USD' }),
    orderEvent('r3', 'partially_filled', { engine: 'beta', strategy: 'momentum', symbol: 'ETH/USD' }),
    orderEvent('r4', 'new', { engine: 'beta', strategy: 'momentum', symbol: 'BTC/USD' }),
    orderEvent('r4', 'canceled', { engine: 'beta', strategy: 'momentum', symbol: 'BTC/USD' }),
    {
      type: 'fill',
      ts: t,
      engine: 'alpha',
      fill_id: 'f1',
      order_id: 'x1',
      symbol: 'BTC/USD',
      side: 'buy',
      price: 60000,
      quantity: 0.5,
    },
    {
      type: 'fill',
      ts: t,
      engine: 'beta',
      fill_id: 'f2',
      order_id: 'x2',
      symbol: 'ETH/USD',
      side: 'sell',
      price: 3000,
      quantity: 2,
    },
    { type: 'mark', ts: t, engine: 'alpha', symbol: 'BTC/USD', price: 61000 },
    { type: 'risk', ts: t, engine: 'beta', halted: true, halt_reason: 'drawdown' },
  ]);
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await exporter?.stop();
});

const get = async (path: string, token: string | null = exporter.viewerToken) => {
  const res = await fetch(
    `${exporter.baseUrl}${path}`,
    token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  );
  return { status: res.status, body: (await res.json()) as any };
};
const ids = (body: { orders: { order_id: string }[] }) => body.orders.map((o) => o.order_id).sort();

test('viewers only: 401 without a token, 403 with an ingest token', async () => {
  expect((await get('/api/v1/orders', null)).status).toBe(401);
  expect((await get('/api/v1/orders', 'not-a-token-at-all-00')).status).toBe(401);
  expect((await get('/api/v1/state', exporter.ingestToken)).status).toBe(403);
});

test('orders: the active ones, as /metrics counts them, filterable by engine, strategy and symbol', async () => {
  const all = await get('/api/v1/orders');
  expect(ids(all.body)).toEqual(['r1', 'r2', 'r3']);
  expect(all.body.orders).toHaveLength(sumOf(await scrape(exporter.baseUrl), 'trading_orders_active'));
  expect(ids((await get('/api/v1/orders?engine=alpha')).body)).toEqual(['r1', 'r2']);
  expect(ids((await get('/api/v1/orders?strategy=momentum')).body)).toEqual(['r1', 'r3']);
  expect(ids((await get('/api/v1/orders?symbol=eth/usd&engine=beta')).body)).toEqual(['r3']);
  expect(ids((await get('/api/v1/orders?engine=nobody')).body)).toEqual([]);
});

test('bad query parameters are named', async () => {
  expect(await get('/api/v1/orders?venue=kraken')).toEqual({
    status: 400,
    body: { error: expect.stringContaining('"venue"') },
  });
  expect(await get('/api/v1/orders?engine=a&engine=b')).toEqual({
    status: 400,
    body: { error: expect.stringContaining('engine must be given once') },
  });
  expect((await get('/api/v1/positions?strategy=momentum')).status).toBe(400);
});

test('positions: open ones with their marks, filterable', async () => {
  const { body } = await get('/api/v1/positions');
  expect(body.positions).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        engine: 'alpha',
        symbol: 'BTC/USD',
        quantity: 0.5,
        avg_price: 60000,
        mark_price: 61000,
        unrealized_pnl: 500,
      }),
      expect.objectContaining({ engine: 'beta', symbol: 'ETH/USD', quantity: -2 }),
    ]),
  );
  expect((await get('/api/v1/positions?engine=beta')).body.positions).toHaveLength(1);
});

test('state: one entry per engine with status, halt and equity fields', async () => {
  const { body } = await get('/api/v1/state');
  const beta = body.engines.find((e: { engine: string }) => e.engine === 'beta');
  expect(beta).toMatchObject({ engine: 'beta', halted: true, halt_reason: 'drawdown', active_orders: 1 });
  expect(body.engines.map((e: { engine: string }) => e.engine).sort()).toEqual(['alpha', 'beta']);
});
