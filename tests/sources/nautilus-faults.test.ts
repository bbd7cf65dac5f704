/**
 * TRADEWATCH_SOURCE=nautilus with bad input and a broker that goes away, through a real
 * exporter and a Redis server of the test's own (redis-server on a free loopback port,
 * append-only file in a temporary dir, so it can be stopped and started again):
 * - garbage, truncated JSON, msgpack, an unknown event type, a field of the wrong type and
 *   an entry without payload are refused one by one, counted by cause in
 *   tradewatch_source_errors_total, logged once per cause; the good records around them
 *   are applied;
 * - Redis stopped: counted as unreachable, one log line for the outage, backoff; Redis back:
 *   the source reads again, and a fill written after is applied once.
 */
import Redis from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';
import { pyFilled, pyInitialized, type StreamEntry } from './nautilus-session';

jest.setTimeout(120_000);

const TRADER = 'TRADER-F01';
const KEY = `trader-${TRADER}:stream`;
const ids = { trader: TRADER, strategy: 'Grid-001', instrument: 'SOLUSDT.BINANCE', account: 'BINANCE-F01' };
const t0 = Date.now() - 600_000;

let port: number;
let dir: string;
let server: ChildProcess | null = null;
let redis: Redis | null = null;
let ex: RunningExporter;

async function startRedis(): Promise<void> {
  server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir],
    { stdio: 'ignore' },
  );
  await waitFor(
    'redis-server answering',
    async () => {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    },
    10_000,
  );
  redis = new Redis({ port, host: '127.0.0.1' });
  redis.on('error', () => undefined);
}

async function stopRedis(): Promise<void> {
  redis?.disconnect();
  redis = null;
  const s = server;
  server = null;
  if (!s || s.exitCode !== null) return;
  const exited = new Promise((resolve) => s.once('exit', resolve));
  s.kill('SIGTERM'); // Redis writes its append-only file and exits
  await exited;
}

async function write(entries: (StreamEntry | Record<string, string>)[]): Promise<void> {
  if (!redis) throw new Error('no redis');
  for (const e of entries) {
    const fields = Object.entries(e).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
    await redis.xadd(KEY, '*', ...fields);
  }
}

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  return sumOf(await scrape(ex.baseUrl), name, labels);
}

async function until(
  name: string,
  labels: Record<string, string>,
  want: (v: number) => boolean,
  what: string,
) {
  let last = NaN;
  await waitFor(
    `${name}${JSON.stringify(labels)} ${what}`,
    async () => want((last = await metric(name, labels))),
    30_000,
    200,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last ${last}`);
  });
}

const lines = (pattern: RegExp) =>
  ex
    .output()
    .split('\n')
    .filter((l) => pattern.test(l));

beforeAll(async () => {
  port = await freePort();
  dir = mkdtempSync(path.join(tmpdir(), 'tradewatch-redis-'));
  await startRedis();
  ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'nautilus',
      TRADEWATCH_NAUTILUS_REDIS_URL: `redis://127.0.0.1:${port}`,
      TRADEWATCH_NAUTILUS_DISCOVERY_INTERVAL: '1s',
      TRADEWATCH_VALUATION_CURRENCY: 'USDT',
    },
  });
});

afterAll(async () => {
  await ex?.stop();
  await stopRedis();
  rmSync(dir, { recursive: true, force: true });
});

test('bad records are refused one by one, counted by cause, logged once per cause; the good ones applied', async () => {
  const orderTopic = `events.order.${ids.strategy}`;
  const truncated = { topic: orderTopic, payload: '{"type":"OrderFilled","trader_id":"TRADER-F01","last_q' };
  const wrongType = JSON.parse(
    pyFilled(ids, {
      id: 'O-1',
      side: 'BUY',
      type: 'LIMIT',
      trade: 'X-9',
      qty: '1',
      px: '100',
      fee: '0',
      liquidity: 'MAKER',
      ms: t0 + 50,
    }).payload,
  ) as Record<string, unknown>;
  wrongType.last_px = 100.5; // a number where Nautilus writes a string
  await write([
    pyInitialized(ids, { id: 'O-1', side: 'BUY', type: 'LIMIT', qty: '1.0', price: '100.00', ms: t0 }),
    { topic: orderTopic, payload: 'definitely not json' },
    truncated,
    truncated,
    {
      topic: orderTopic,
      type: 'OrderEventAny',
      payload: '\u0085\u00a4type\u00abOrderFilled',
      encoding: 'msgpack',
    },
    { topic: orderTopic, payload: '{"type":"OrderTeleported","event_id":"0b9c"}' },
    { topic: orderTopic, payload: JSON.stringify(wrongType) },
    { topic: orderTopic },
    pyFilled(ids, {
      id: 'O-1',
      side: 'BUY',
      type: 'LIMIT',
      trade: 'F-1',
      qty: '0.4',
      px: '100.00',
      fee: '0.04000000',
      liquidity: 'MAKER',
      ms: t0 + 100,
    }),
  ]);

  await until('trading_fills_total', { engine: TRADER }, (v) => v === 1, '= 1');
  await until('tradewatch_source_errors_total', { source: 'nautilus' }, (v) => v === 7, '= 7');
  const byReason = async (reason: string) =>
    metric('tradewatch_source_errors_total', { source: 'nautilus', reason });
  expect(await byReason('malformed_json')).toBe(3);
  expect(await byReason('unsupported_encoding')).toBe(1);
  expect(await byReason('unknown_type')).toBe(1);
  expect(await byReason('schema')).toBe(1);
  expect(await byReason('malformed_record')).toBe(1);
  // One log line per cause: three malformed payloads, one line.
  expect(lines(/left out.*malformed_json/)).toHaveLength(1);
  expect(lines(/left out/)).toHaveLength(5);
  expect(await metric('trading_position_quantity', { engine: TRADER, symbol: 'SOL/USDT' })).toBeCloseTo(
    0.4,
    12,
  );
  expect((await fetch(`${ex.baseUrl}/readyz`)).ok).toBe(true);
});

test('Redis goes away and comes back: counted, one log line, backoff; reading resumes without loss or double count', async () => {
  await stopRedis();
  await until(
    'tradewatch_source_errors_total',
    { source: 'nautilus', reason: 'unreachable' },
    (v) => v >= 3,
    '>= 3',
  );
  expect(lines(/cannot read the message bus streams \(unreachable\)/)).toHaveLength(1);
  // Backoff: attempts at 0.25, 0.5, 1, 2, 4, 5 s… not hundreds in a few seconds.
  expect(
    await metric('tradewatch_source_errors_total', { source: 'nautilus', reason: 'unreachable' }),
  ).toBeLessThan(12);

  await startRedis();
  await write([
    pyFilled(ids, {
      id: 'O-1',
      side: 'BUY',
      type: 'LIMIT',
      trade: 'F-2',
      qty: '0.6',
      px: '101.00',
      fee: '0.06060000',
      liquidity: 'MAKER',
      ms: t0 + 200,
    }),
  ]);
  await until('trading_fills_total', { engine: TRADER }, (v) => v === 2, '= 2');
  await waitFor(
    'the source says it reads again',
    async () => lines(/reading 1 stream\(s\) again/).length === 1,
    10_000,
  );
  expect(await metric('trading_position_quantity', { engine: TRADER, symbol: 'SOL/USDT' })).toBe(1);
  expect(await metric('trading_position_avg_price', { engine: TRADER, symbol: 'SOL/USDT' })).toBeCloseTo(
    100.6,
    9,
  );
  expect(await metric('trading_fees_paid_total', { engine: TRADER, currency: 'USDT' })).toBeCloseTo(
    0.1006,
    12,
  );
  expect(await metric('trading_orders_active', { engine: TRADER })).toBe(0);
  // Every entry acknowledged (nothing left to deliver again), and still two fills.
  await waitFor(
    'no entry pending in the group',
    async () => ((await redis?.xpending(KEY, 'tradewatch')) as [number])[0] === 0,
    10_000,
  );
  expect(await metric('trading_fills_total', { engine: TRADER })).toBe(2);
});
