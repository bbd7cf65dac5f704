/**
 * The history viewer API on the real exporter (SQLite default): what a trader asks for
 * ("what did we trade yesterday, and what did each trade make"), in JSON and CSV, a page at
 * a time; bad parameters are refused naming the parameter.
 */
import { postEvents, startExporter, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-03-02T10:00:00Z');
let ex: RunningExporter;

const fill = (i: number, side: 'buy' | 'sell', price: number, extra: Record<string, unknown> = {}) => ({
  type: 'fill',
  ts: T0 + i * 60_000,
  engine: 'alpha',
  fill_id: `f${i}`,
  order_id: `o${i}`,
  symbol: 'BTC/USD',
  side,
  price,
  quantity: 1,
  fee: 0.5,
  strategy: 'mr',
  ...extra,
});

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${ex.baseUrl}${path}`, {
    headers: { Authorization: `Bearer ${ex.viewerToken}`, ...headers },
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    next: res.headers.get('x-next-cursor'),
    text,
  };
}
const json = async (path: string) => {
  const r = await get(path);
  return { status: r.status, body: JSON.parse(r.text) as Record<string, any> };
};

beforeAll(async () => {
  ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
  const res = await postEvents(ex, [
    fill(0, 'buy', 100),
    fill(1, 'sell', 110), // closes a long: (110 − 100) − 0.5 = 9.5; trip 9
    fill(2, 'sell', 120, { engine: 'beta' }),
    fill(3, 'buy', 125, { engine: 'beta' }), // beta's short: (120 − 125) − 0.5 = −5.5; trip −6
    {
      type: 'order',
      ts: T0 + 4 * 60_000,
      engine: 'alpha',
      order_id: 'o9',
      symbol: 'BTC/USD',
      side: 'buy',
      order_type: 'limit',
      status: 'canceled',
      quantity: 2,
      limit_price: 90,
      strategy: 'mr',
    },
    {
      type: 'alert',
      ts: T0 + 5 * 60_000,
      engine: 'alpha',
      name: 'Drawdown',
      severity: 'warning',
      message: '=1+1, "quoted"',
    },
  ]);
  expect(res.status).toBe(200);
  // The writer batches off the ingest path: wait until the rows are readable.
  await waitFor(
    'the rows in the history',
    async () => ((await json('/api/v1/alerts/history')).body.alerts?.length ?? 0) > 0,
  );
});
afterAll(async () => {
  await ex?.stop();
});

test('fills carry the PnL each realized; round trips, closed orders and alerts come back by engine', async () => {
  const fills = (await json('/api/v1/fills?engine=alpha')).body;
  expect(fills.fills.map((f: any) => [f.fill_id, f.realized_pnl])).toEqual([
    ['f0', -0.5],
    ['f1', 9.5],
  ]);
  expect(fills.next_cursor).toBeNull();
  const trips = (await json('/api/v1/round-trips')).body.round_trips;
  expect(
    trips.map((t: any) => [t.engine, t.direction, t.entry_price, t.exit_price, t.pnl, t.fees, t.outcome]),
  ).toEqual([
    ['alpha', 'long', 100, 110, 9, 1, 'win'],
    ['beta', 'short', 120, 125, -6, 1, 'loss'],
  ]);
  const orders = (await json('/api/v1/orders/history?strategy=mr&symbol=BTC/USD')).body.orders;
  expect(orders.map((o: any) => [o.order_id, o.status])).toEqual([['o9', 'canceled']]);
});

test('from and to are inclusive, in RFC 3339 or epoch ms; limit and cursor page through', async () => {
  const at = (i: number) => new Date(T0 + i * 60_000).toISOString();
  const ranged = (await json(`/api/v1/fills?from=${at(1)}&to=${T0 + 2 * 60_000}`)).body.fills;
  expect(ranged.map((f: any) => f.fill_id)).toEqual(['f1', 'f2']);
  const first = (await json('/api/v1/fills?limit=3')).body;
  expect(first.fills).toHaveLength(3);
  const second = (await json(`/api/v1/fills?limit=3&cursor=${first.next_cursor}`)).body;
  expect(second.fills.map((f: any) => f.fill_id)).toEqual(['f3']);
  expect(second.next_cursor).toBeNull();
  const newest = (await json('/api/v1/fills?order=desc&limit=1')).body.fills;
  expect(newest[0].fill_id).toBe('f3');
});

test('format=csv or Accept: text/csv gives CSV with a header row; formula-like text is defused', async () => {
  const csv = await get('/api/v1/fills?engine=alpha&format=csv');
  expect(csv.type).toMatch(/^text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  expect(lines[0]).toBe(
    'engine,fill_id,ts,order_id,symbol,side,price,quantity,fee,fee_currency,liquidity,strategy,realized_pnl',
  );
  expect(lines[2]).toBe(`alpha,f1,${new Date(T0 + 60_000).toISOString()},o1,BTC/USD,sell,110,1,0.5,,,mr,9.5`);
  const paged = await get('/api/v1/fills?limit=1', { Accept: 'text/csv' });
  expect(paged.text.trim().split('\r\n')).toHaveLength(2);
  expect(paged.next).toBeTruthy();
  const alerts = await get('/api/v1/alerts/history?format=csv');
  expect(alerts.text).toContain(`"'=1+1, ""quoted"""`);
});

test('bad parameters get a 400 naming the parameter', async () => {
  for (const [query, parameter] of [
    ['from=yesterday', 'from'],
    ['to=2026-13-45', 'to'],
    ['from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z', 'from'],
    ['limit=0', 'limit'],
    ['limit=1000000', 'limit'],
    ['cursor=bogus', 'cursor'],
    ['format=xml', 'format'],
    ['colour=red', 'colour'],
    ['engine=a&engine=b', 'engine'],
  ]) {
    const r = await json(`/api/v1/fills?${query}`);
    expect([query, r.status, r.body.parameter]).toEqual([query, 400, parameter]);
    expect(r.body.error).toContain(parameter);
  }
  expect((await json('/api/v1/alerts/history?symbol=BTC/USD')).body.parameter).toBe('symbol');
});

test('viewers only', async () => {
  const res = await fetch(`${ex.baseUrl}/api/v1/fills`, {
    headers: { Authorization: `Bearer ${ex.ingestToken}` },
  });
  expect(res.status).toBe(403);
  expect((await fetch(`${ex.baseUrl}/api/v1/round-trips`)).status).toBe(401);
});
