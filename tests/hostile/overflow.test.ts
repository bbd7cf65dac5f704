/**
 * Non-finite results never reach a metric (issue 25, item 12): price "1e300" × quantity
 * "1e300" was accepted and made trading_equity −Inf, drawdown and Sharpe NaN for that
 * engine from then on, and the history's realized_pnl null. Amounts are now at most 1e18 in
 * magnitude (a larger one is a unit mistake), refused with 400 naming the field, so every
 * product and sum the state forms is finite, at the bound too.
 */
import { postEvents, scrape, startExporter, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

const MIN = 60_000;
const T = Date.parse('2026-03-02T10:00:00Z');

let x: RunningExporter;
beforeAll(async () => {
  x = await startExporter({
    env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_LOG_LEVEL: 'warn', TRADEWATCH_RETURNS_PERIOD: '1m' },
  });
});
afterAll(async () => {
  await x?.stop();
});

const fill = (i: number, side: 'buy' | 'sell', price: string, quantity: string) => ({
  type: 'fill',
  ts: T + i * MIN,
  engine: 'big',
  fill_id: `f${i}`,
  order_id: `o${i}`,
  symbol: 'X/USD',
  side,
  price,
  quantity,
  fee: '1e18',
});

test('an amount whose arithmetic would overflow is refused with 400 naming the field; nothing is applied', async () => {
  const r = await postEvents(x, [
    { type: 'balance', ts: T, engine: 'huge', balances: { USD: '1000' } },
    { ...fill(0, 'buy', '1e300', '1e300'), engine: 'huge' },
  ]);
  expect(r.status).toBe(400);
  expect(r.body.problems).toEqual([
    expect.objectContaining({ index: 1, field: 'price', reason: expect.stringMatching(/at most 1e18/) }),
    expect.objectContaining({ index: 1, field: 'quantity' }),
  ]);
  const big = await postEvents(x, [{ type: 'balance', ts: T, engine: 'huge', balances: { USD: '-2e18' } }]);
  expect(big.status).toBe(400);
  expect(big.body.problems[0].field).toMatch(/balances/);
  expect([...(await scrape(x.baseUrl)).keys()].some((k) => k.includes('engine="huge"'))).toBe(false);
});

test('amounts at the bound keep equity, drawdown, Sharpe and every figure made of amounts finite, and realized_pnl set', async () => {
  const events: Record<string, unknown>[] = [
    { type: 'balance', ts: T, engine: 'big', balances: { USD: '1e18' } },
    fill(0, 'buy', '1e18', '1e18'),
  ];
  // Marks swing from the top of the range to the bottom and back, one a returns period.
  for (let i = 1; i <= 8; i++)
    events.push({
      type: 'mark',
      ts: T + i * MIN,
      engine: 'big',
      symbol: 'X/USD',
      price: i % 2 ? '1e-18' : '1e18',
    });
  events.push(fill(9, 'sell', '1e-18', '1e18'), fill(10, 'buy', '1e18', '1e-18'), {
    type: 'mark',
    ts: T + 12 * MIN,
    engine: 'big',
    symbol: 'X/USD',
    price: '1e18',
  });
  const r = await postEvents(x, events);
  expect(r.status).toBe(200);

  const samples = await scrape(x.baseUrl);
  const mine = [...samples].filter(([k]) => k.includes('engine="big"'));
  // Figures that are NaN by definition here (an average win without a winning round trip,
  // docs/metrics.md) are left aside; every figure made of amounts must be finite.
  const FIGURES = [
    'trading_equity',
    'trading_max_drawdown_ratio',
    'trading_sharpe_ratio',
    'trading_volatility_ratio',
    'trading_realized_pnl',
    'trading_unrealized_pnl',
    'trading_position_quantity',
    'trading_filled_notional_total',
    'trading_cash_balance',
    'trading_expectancy',
  ];
  for (const name of FIGURES) {
    const values = mine.filter(([k]) => k.startsWith(name + '{'));
    expect({
      name,
      present: values.length > 0,
      notFinite: values.filter(([, v]) => !Number.isFinite(v)),
    }).toEqual({
      name,
      present: true,
      notFinite: [],
    });
  }

  const fills = await waitFor('the fills in the history', async () => {
    const res = await fetch(`${x.baseUrl}/api/v1/fills?engine=big`, {
      headers: { Authorization: `Bearer ${x.viewerToken}` },
    });
    const body = (await res.json()) as { fills?: { fill_id: string; realized_pnl: number | null }[] };
    return body.fills?.length === 3 ? body.fills : undefined;
  });
  expect(fills.map((f) => [f.fill_id, Number.isFinite(f.realized_pnl)])).toEqual([
    ['f0', true],
    ['f9', true],
    ['f10', true],
  ]);
});
