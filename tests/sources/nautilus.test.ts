/**
 * TRADEWATCH_SOURCE=nautilus through a real exporter process and the real Redis at
 * 127.0.0.1:6379: the hand-worked sessions of nautilus-session.ts (a Python node with one
 * stream per topic, a Rust node with one stream), records written before the exporter first
 * starts, a trader appearing while it runs, a kill -9 in the middle of the streams with the
 * consumer group rewound to 0 (every entry delivered again), checked exactly on /metrics,
 * on the history API, and against Nautilus's own closed-position PnL.
 * Keys are unique to this run (trader ids with a random tag) and deleted after.
 */
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';
import { traderA, traderB, type StreamEntry } from './nautilus-session';

jest.setTimeout(180_000);

const TAG = randomBytes(4).toString('hex').toUpperCase();
const A = `TWA${TAG}-001`;
const B = `TWB${TAG}-002`;
const keyA = (topic: string) => `trader-${A}:stream:${topic}`;
const keyB = `trader-${B}:stream`;

let redis: Redis;
let ex: RunningExporter | null = null;
let dataDir: string | undefined;
const t0 = Date.now() - 3_600_000;
const a = traderA(A, t0);
const b = traderB(B, t0);

function env(): Record<string, string> {
  return {
    TRADEWATCH_SOURCE: 'nautilus',
    TRADEWATCH_NAUTILUS_REDIS_URL: 'redis://127.0.0.1:6379',
    TRADEWATCH_NAUTILUS_STREAMS: `trader-TW?${TAG}-*`,
    TRADEWATCH_NAUTILUS_GROUP: `tradewatch-test-${TAG}`,
    TRADEWATCH_NAUTILUS_DISCOVERY_INTERVAL: '1s',
    TRADEWATCH_VALUATION_CURRENCY: 'USDT',
  };
}

async function write(key: (topic: string) => string, entries: StreamEntry[]): Promise<void> {
  const pipe = redis.pipeline();
  for (const e of entries) {
    const fields: string[] = ['topic', e.topic];
    if (e.type !== undefined) fields.push('type', e.type);
    fields.push('payload', e.payload);
    if (e.encoding !== undefined) fields.push('encoding', e.encoding);
    pipe.xadd(key(e.topic), '*', ...fields);
  }
  await pipe.exec();
}

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  if (!ex) throw new Error('no exporter');
  return sumOf(await scrape(ex.baseUrl), name, labels);
}

async function until(name: string, labels: Record<string, string>, want: number, timeoutMs = 30_000) {
  let last = NaN;
  await waitFor(
    `${name}${JSON.stringify(labels)} = ${want}`,
    async () => {
      last = await metric(name, labels);
      return Math.abs(last - want) < 1e-9;
    },
    timeoutMs,
    200,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last ${last}`);
  });
}

async function api<T>(path: string): Promise<T> {
  if (!ex) throw new Error('no exporter');
  const res = await fetch(`${ex.baseUrl}/api/v1/${path}`, {
    headers: { Authorization: `Bearer ${ex.viewerToken}` },
  });
  return (await res.json()) as T;
}

interface Row {
  [field: string]: unknown;
}

beforeAll(async () => {
  redis = new Redis('redis://127.0.0.1:6379');
});

afterAll(async () => {
  await ex?.stop();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `trader-TW?${TAG}-*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
});

test('two traders, both record shapes, a kill -9 mid-stream with every entry delivered again: exact figures', async () => {
  // Trader A wrote before tradewatch ever ran.
  await write(keyA, a.first);
  ex = await startExporter({ env: env() });
  dataDir = ex.dataDir;
  // Trader B appears while the exporter runs.
  await write(() => keyB, b.first);

  await until('trading_fills_total', { engine: A }, 2);
  await until('trading_fills_total', { engine: B }, 1);
  await until('trading_position_quantity', { engine: A, symbol: 'ETH/USDT' }, 2);
  await until('trading_position_quantity', { engine: B, symbol: 'BTC/USDT' }, -0.1);
  // 2,000 quotes within half a second of event time: one mark.
  expect(await metric('trading_mark_price', { engine: B, symbol: 'BTC/USDT' })).toBe(60000);

  // A crash, then both traders go on while tradewatch is down.
  await ex.kill();
  await write(keyA, a.second);
  await write(() => keyB, b.second);
  // Every entry of trader A's order stream delivered again (as if none had been acknowledged).
  await redis.call('XGROUP', 'SETID', keyA('events.order.EMACross-001'), `tradewatch-test-${TAG}`, '0');
  ex = await startExporter({ env: env(), dataDir });

  // Trader A: realized 20.75 − 1.60385 fees = 19.14615, and Nautilus says the same.
  await until('trading_fills_total', { engine: A }, 3);
  await until('trading_realized_pnl', { engine: A }, 19.14615);
  await until('trading_engine_reported_realized_pnl', { engine: A }, 19.14615);
  await until('trading_engine_reported_equity', { engine: A }, 10019.14615);
  expect(await metric('trading_fees_paid_total', { engine: A, currency: 'USDT' })).toBeCloseTo(1.60385, 9);
  expect(await metric('trading_position_quantity', { engine: A, symbol: 'ETH/USDT' })).toBe(0);
  expect(await metric('trading_orders_active', { engine: A })).toBe(0);

  // Trader B: a short closed, 100 − 4.76 = 95.24, and Nautilus says the same.
  await until('trading_fills_total', { engine: B }, 3);
  await until('trading_realized_pnl', { engine: B }, 95.24);
  await until('trading_engine_reported_realized_pnl', { engine: B }, 95.24);
  expect(await metric('trading_fees_paid_total', { engine: B, currency: 'USDT' })).toBeCloseTo(4.76, 9);

  // The history: each fill once, its time the millisecond its nanoseconds fall in.
  const fillsA = (await api<{ fills: Row[] }>(`fills?engine=${A}&limit=100`)).fills;
  expect(fillsA.map((r) => [r.fill_id, r.quantity, r.price, r.fee, r.ts])).toEqual(
    expect.arrayContaining([
      ['O-A1:T-1', 0.5, 2000, 0.2, new Date(t0 + 2000).toISOString()],
      ['O-A1:T-2', 1.5, 1999.5, 0.59985, new Date(t0 + 3000).toISOString()],
      ['O-A2:T-3', 2, 2010, 0.804, new Date(t0 + 6000).toISOString()],
    ]),
  );
  expect(fillsA).toHaveLength(3);
  const closed = (await api<{ orders: Row[] }>(`orders/history?engine=${A}&limit=100`)).orders;
  const byId = new Map(closed.map((r) => [r.order_id, r]));
  expect(byId.get('O-A1')).toMatchObject({
    status: 'filled',
    filled_quantity: 2,
    avg_fill_price: 1999.625,
    fees: 0.79985,
  });
  expect(byId.get('O-A2')).toMatchObject({ status: 'filled', filled_quantity: 2, order_type: 'market' });
  expect(byId.get('O-A3')).toMatchObject({ status: 'canceled', filled_quantity: 0, limit_price: 1900 });
  expect(byId.get('O-A4')).toMatchObject({ status: 'rejected', reason: 'INSUFFICIENT_MARGIN' });
  const fillsB = (await api<{ fills: Row[] }>(`fills?engine=${B}&limit=100`)).fills;
  expect(fillsB.map((r) => [r.fill_id, r.ts])).toEqual(
    expect.arrayContaining([
      ['O-B1:B-1', new Date(t0 + 1000).toISOString()],
      ['O-B2:B-2', new Date(t0 + 4000).toISOString()],
      ['O-B2:B-3', new Date(t0 + 4001).toISOString()],
    ]),
  );
  expect(fillsB).toHaveLength(3);

  // Nothing refused, nothing counted as an error.
  expect(await metric('tradewatch_source_errors_total', { source: 'nautilus' })).toBe(0);
  expect(await metric('tradewatch_events_rejected_total', {})).toBe(0);
});
