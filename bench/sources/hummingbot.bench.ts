/**
 * bench/sources/hummingbot: events per second from Hummingbot's MQTT bridge into the
 * exporter's state, against HTTP ingest of the same tradewatch events into the same
 * exporter in the same run. One real exporter (TRADEWATCH_SOURCE=hummingbot), a Mosquitto
 * of the bench's own on a free loopback port.
 * - hummingbot: ORDERS orders of one instance (BuyOrderCreated + OrderFilled each, 2
 *   messages → 3 tradewatch events) published at QoS 0; timed from the first publish to
 *   the scrape (every 100 ms) that shows every fill.
 * - http: the same 3 events per order as JSON arrays of 1,500, one request after the other.
 * Run: npm run bench:hummingbot   (BENCH_ORDERS=5000 by default)
 */
import { connect, type MqttClient } from 'mqtt';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, postEvents, scrape, startExporter, sumOf, waitFor } from '../../tests/support/exporter';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 5000);
const NS = 'hbot-bench';
const T = Math.floor(Date.now() / 1000) - 3600;

function messages(): { topic: string; payload: string }[] {
  const topic = `${NS}/bench-1/events`;
  const out: { topic: string; payload: string }[] = [];
  for (let i = 0; i < ORDERS; i++) {
    out.push({
      topic,
      payload: `{"timestamp":${T},"type":"BuyOrderCreated","data":{"type":"OrderType.LIMIT","trading_pair":"ETH-USDT","amount":1.0,"price":2000.0,"order_id":"o-${i}","creation_timestamp":${T}.5,"exchange_order_id":null,"leverage":1,"position":"NIL"}}`,
    });
    out.push({
      topic,
      payload: `{"timestamp":${T},"type":"OrderFilled","data":{"order_id":"o-${i}","trading_pair":"ETH-USDT","trade_type":"TradeType.BUY","order_type":"OrderType.LIMIT","price":2000.0,"amount":1.0,"trade_fee":{"fee_type":"AddedToCost","percent":"0.001","percent_token":"USDT","flat_fees":[]},"exchange_trade_id":"t-${i}","exchange_order_id":"x-${i}","leverage":1,"position":"NIL"}}`,
    });
  }
  return out;
}

function httpEvents(engine: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const order = {
      engine,
      ts: T * 1000,
      order_id: `o-${i}`,
      symbol: 'ETH/USDT',
      side: 'buy',
      order_type: 'limit',
      quantity: '1.0',
      limit_price: '2000.0',
      created_at: T * 1000 + 500,
    };
    out.push({ type: 'order', ...order, status: 'new' });
    out.push({
      type: 'fill',
      engine,
      ts: T * 1000,
      fill_id: `o-${i}:t-${i}`,
      order_id: `o-${i}`,
      symbol: 'ETH/USDT',
      side: 'buy',
      price: '2000.0',
      quantity: '1.0',
      fee: '2',
      fee_currency: 'USDT',
    });
    out.push({
      type: 'order',
      ...order,
      status: 'filled',
      filled_quantity: '1.0',
      avg_fill_price: '2000',
      fees: '2',
      fee_currency: 'USDT',
    });
  }
  return out;
}

async function fills(baseUrl: string, engine: string): Promise<number> {
  return sumOf(await scrape(baseUrl), 'trading_fills_total', { engine });
}

async function main(): Promise<void> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tradewatch-mqtt-bench-'));
  writeFileSync(
    path.join(dir, 'm.conf'),
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`,
  );
  const broker = spawn('mosquitto', ['-c', path.join(dir, 'm.conf')], { stdio: 'ignore' });
  const ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'hummingbot',
      TRADEWATCH_HUMMINGBOT_MQTT_URL: `mqtt://127.0.0.1:${port}`,
      TRADEWATCH_HUMMINGBOT_NAMESPACE: NS,
      TRADEWATCH_VALUATION_CURRENCY: 'USDT',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_INGEST_RATE_LIMIT: '10000000',
    },
  });
  let pub: MqttClient | null = null;
  try {
    pub = await waitFor(
      'mosquitto',
      () =>
        new Promise<MqttClient | false>((resolve) => {
          const c = connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
          c.once('connect', () => resolve(c));
          c.once('error', () => resolve(false));
        }),
      10_000,
      200,
    );
    // The exporter subscribed: a heartbeat heard (QoS 0 keeps nothing for a late subscriber).
    await waitFor(
      'subscribed',
      async () => {
        await pub?.publishAsync(`${NS}/bench-1/hb`, `{"ts":${Date.now() * 1000}}`);
        return (
          sumOf(await scrape(ex.baseUrl), 'trading_engine_last_process_timestamp_seconds', {
            engine: 'bench-1',
          }) > 0
        );
      },
      30_000,
      300,
    );
    const all = messages();
    let t = performance.now();
    for (const m of all) void pub.publish(m.topic, m.payload, { qos: 0 });
    await waitFor('every fill', async () => (await fills(ex.baseUrl, 'bench-1')) >= ORDERS, 600_000, 100);
    const mqttS = (performance.now() - t) / 1000;

    const events = httpEvents('bench-http');
    t = performance.now();
    for (let i = 0; i < events.length; i += 1500) {
      const res = await postEvents(ex, events.slice(i, i + 1500));
      if (res.status !== 200) throw new Error(`HTTP ingest answered ${res.status}`);
    }
    const httpS = (performance.now() - t) / 1000;
    const mqttRate = (ORDERS * 3) / mqttS;
    const httpRate = (ORDERS * 3) / httpS;
    console.log(
      JSON.stringify(
        {
          orders: ORDERS,
          mqtt_messages: ORDERS * 2,
          tradewatch_events: ORDERS * 3,
          hummingbot_seconds: +mqttS.toFixed(2),
          hummingbot_events_per_s: Math.round(mqttRate),
          http_seconds: +httpS.toFixed(2),
          http_events_per_s: Math.round(httpRate),
          ratio_hummingbot_to_http: +(mqttRate / httpRate).toFixed(3),
          load1: os.loadavg()[0].toFixed(2),
        },
        null,
        2,
      ),
    );
  } finally {
    pub?.end(true);
    await ex.stop();
    broker.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
