/**
 * bench/sources/nautilus: events per second from NautilusTrader's Redis streams into the
 * exporter's state, against HTTP ingest of the same tradewatch events into the same
 * exporter in the same run. One real exporter process (TRADEWATCH_SOURCE=nautilus), the
 * local Redis (127.0.0.1:6379, keys unique to the run, deleted after).
 * - nautilus: ORDERS orders of one trader (a Python node's OrderInitialized + OrderFilled
 *   each, 2 records → 3 tradewatch events: order, fill, order filled) written to the stream
 *   before the exporter starts; timed from the source's log line that it reads the stream
 *   to the scrape that shows every fill.
 * - http: the same 3 events per order, posted as JSON arrays of 1,500 events one after the
 *   other to POST /api/v1/events (each answered once journaled and applied).
 * Run: npm run bench:nautilus   (BENCH_ORDERS=5000 by default)
 */
import Redis from 'ioredis';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { postEvents, scrape, startExporter, sumOf } from '../../tests/support/exporter';
import { pyFilled, pyInitialized, type StreamEntry } from '../../tests/sources/nautilus-session';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 5000);
const TAG = randomBytes(4).toString('hex').toUpperCase();
const TRADER = `BENCH${TAG}-001`;
const ids = { trader: TRADER, strategy: 'Bench-001', instrument: 'ETHUSDT.BINANCE', account: 'SIM-001' };
const key = (topic: string) => `trader-${TRADER}:stream:${topic}`;
const t0 = Date.now() - 3_600_000;

function records(from: number, to: number): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (let i = from; i < to; i++) {
    const id = `O-${i}`;
    const side = i % 2 === 0 ? 'BUY' : 'SELL';
    out.push(pyInitialized(ids, { id, side, type: 'LIMIT', qty: '1.000', price: '2000.00', ms: t0 + i }));
    out.push(
      pyFilled(ids, {
        id,
        side,
        type: 'LIMIT',
        trade: `T-${i}`,
        qty: '1.000',
        px: '2000.00',
        fee: '0.40000000',
        liquidity: 'MAKER',
        ms: t0 + i,
      }),
    );
  }
  return out;
}

function httpEvents(engine: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const side = i % 2 === 0 ? 'buy' : 'sell';
    const order = {
      engine,
      ts: t0 + i,
      order_id: `O-${i}`,
      symbol: 'ETH/USDT',
      side,
      order_type: 'limit',
      quantity: '1.000',
      limit_price: '2000.00',
      created_at: t0 + i,
    };
    out.push({ type: 'order', id: `h-${i}-o`, ...order, status: 'new' });
    out.push({
      type: 'fill',
      id: `h-${i}-f`,
      engine,
      ts: t0 + i,
      fill_id: `O-${i}:T-${i}`,
      order_id: `O-${i}`,
      symbol: 'ETH/USDT',
      side,
      price: '2000.00',
      quantity: '1.000',
      fee: '0.40000000',
      fee_currency: 'USDT',
      liquidity: 'maker',
    });
    out.push({
      type: 'order',
      id: `h-${i}-o2`,
      ...order,
      status: 'filled',
      filled_quantity: '1.000',
      avg_fill_price: '2000.00',
      fees: '0.40000000',
      fee_currency: 'USDT',
    });
  }
  return out;
}

async function write(redis: Redis, entries: StreamEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1000) {
    const pipe = redis.pipeline();
    for (const e of entries.slice(i, i + 1000))
      pipe.xadd(key(e.topic), '*', 'topic', e.topic, 'payload', e.payload);
    await pipe.exec();
  }
}

async function fills(baseUrl: string, engine: string): Promise<number> {
  return sumOf(await scrape(baseUrl), 'trading_fills_total', { engine });
}

async function until(baseUrl: string, engine: string, want: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  while ((await fills(baseUrl, engine)) < want) {
    if (Date.now() > deadline) throw new Error(`${engine}: ${want} fills not reached`);
    // A scrape every 100 ms: the figure is late by 50 ms on average (1-2 % of a 5 s run).
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  // Every record is in Redis before the exporter starts: the bench's writes do not share
  // the cores with the read, and the clock starts at the source's "reading <stream>" line.
  await write(redis, records(0, ORDERS));
  const ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'nautilus',
      TRADEWATCH_NAUTILUS_STREAMS: `trader-BENCH${TAG}-*`,
      TRADEWATCH_NAUTILUS_GROUP: `bench-${TAG}`,
      TRADEWATCH_NAUTILUS_DISCOVERY_INTERVAL: '1s',
      TRADEWATCH_VALUATION_CURRENCY: 'USDT',
      TRADEWATCH_LOG_LEVEL: 'info',
      TRADEWATCH_INGEST_RATE_LIMIT: '10000000',
    },
  });
  try {
    await until(ex.baseUrl, TRADER, ORDERS);
    const end = Date.now();
    const reading = ex
      .output()
      .split('\n')
      .map((l) => (l.includes('nautilus: reading trader-') ? (JSON.parse(l) as { time: number }).time : null))
      .find((v) => v !== null);
    if (!reading) throw new Error('no "nautilus: reading" line in the log');
    const nautilusS = (end - reading) / 1000;

    const events = httpEvents('bench-http');
    const t = performance.now();
    for (let i = 0; i < events.length; i += 1500) {
      const res = await postEvents(ex, events.slice(i, i + 1500));
      if (res.status !== 200) throw new Error(`HTTP ingest answered ${res.status}`);
    }
    const httpS = (performance.now() - t) / 1000;
    if ((await fills(ex.baseUrl, 'bench-http')) !== ORDERS) throw new Error('HTTP fills missing');

    const nautilusRate = (ORDERS * 3) / nautilusS;
    const httpRate = (ORDERS * 3) / httpS;
    console.log(
      JSON.stringify(
        {
          orders: ORDERS,
          nautilus_records: ORDERS * 2,
          tradewatch_events: ORDERS * 3,
          nautilus_seconds: +nautilusS.toFixed(2),
          nautilus_events_per_s: Math.round(nautilusRate),
          nautilus_records_per_s: Math.round((ORDERS * 2) / nautilusS),
          http_seconds: +httpS.toFixed(2),
          http_events_per_s: Math.round(httpRate),
          ratio_nautilus_to_http: +(nautilusRate / httpRate).toFixed(3),
          load1: os.loadavg()[0].toFixed(2),
        },
        null,
        2,
      ),
    );
  } finally {
    await ex.stop();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `trader-BENCH${TAG}-*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
