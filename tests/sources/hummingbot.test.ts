/**
 * TRADEWATCH_SOURCE=hummingbot through a real exporter process and a Mosquitto broker of
 * the test's own (Debian's mosquitto on a free loopback port): the hand-worked sessions of
 * hummingbot-session.ts for two instances at once, fees as Hummingbot computes them, its
 * own performance report beside ours, bad messages refused one by one, and the broker
 * stopped and started again.
 */
import { connect, type MqttClient } from 'mqtt';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';
import { botA, botB, heartbeat, lateFill, type Message } from './hummingbot-session';

jest.setTimeout(120_000);

const NS = 'hbot-test';
let port: number;
let dir: string;
let broker: ChildProcess | null = null;
let pub: MqttClient | null = null;
let ex: RunningExporter;
const t = Math.floor(Date.now() / 1000) - 600;

async function startBroker(): Promise<void> {
  const conf = path.join(dir, 'mosquitto.conf');
  // queue_qos0_messages: the broker keeps Hummingbot's QoS 0 messages for tradewatch's
  // persistent session while the exporter restarts (EMQX does so by default).
  writeFileSync(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nqueue_qos0_messages true\n`,
  );
  broker = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  pub = await waitFor(
    'mosquitto answering',
    () =>
      new Promise<MqttClient | false>((resolve) => {
        const c = connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 1000 });
        c.once('connect', () => resolve(c));
        c.once('error', () => {
          c.end(true);
          resolve(false);
        });
      }),
    10_000,
    200,
  );
}

async function stopBroker(): Promise<void> {
  pub?.end(true);
  pub = null;
  const b = broker;
  broker = null;
  if (!b || b.exitCode !== null) return;
  const exited = new Promise((resolve) => b.once('exit', resolve));
  b.kill('SIGTERM');
  await exited;
}

async function publish(messages: Message[]): Promise<void> {
  for (const m of messages) await pub?.publishAsync(m.topic, m.payload, { qos: 0 });
}

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  return sumOf(await scrape(ex.baseUrl), name, labels);
}

async function until(name: string, labels: Record<string, string>, want: number) {
  let last = NaN;
  await waitFor(
    `${name}${JSON.stringify(labels)} = ${want}`,
    async () => Math.abs((last = await metric(name, labels)) - want) < 1e-9,
    30_000,
    200,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last ${last}`);
  });
}

/** QoS 0 keeps nothing for a subscriber that is not there yet: heartbeats until the exporter hears one. */
async function subscribed(instance: string): Promise<void> {
  await waitFor(
    `${instance}'s heartbeat heard`,
    async () => {
      await publish([heartbeat(NS, instance, Date.now())]);
      return (await metric('trading_engine_last_process_timestamp_seconds', { engine: instance })) > 0;
    },
    30_000,
    300,
  );
}

const lines = (pattern: RegExp) =>
  ex
    .output()
    .split('\n')
    .filter((l) => pattern.test(l));

const env = () => ({
  TRADEWATCH_SOURCE: 'hummingbot',
  TRADEWATCH_HUMMINGBOT_MQTT_URL: `mqtt://127.0.0.1:${port}`,
  TRADEWATCH_HUMMINGBOT_NAMESPACE: NS,
  TRADEWATCH_VALUATION_CURRENCY: 'USDT',
});

beforeAll(async () => {
  port = await freePort();
  dir = mkdtempSync(path.join(tmpdir(), 'tradewatch-mqtt-'));
  await startBroker();
  ex = await startExporter({ env: env() });
});

afterAll(async () => {
  await ex?.stop();
  await stopBroker();
  rmSync(dir, { recursive: true, force: true });
});

test('two instances: orders, partial fills, fees as Hummingbot computes them, a cancel, a failure, its own PnL beside ours', async () => {
  await subscribed('bot-a');
  await publish([...botA(NS, t), ...botB(NS, t)]);

  await until('trading_fills_total', { engine: 'bot-a' }, 3);
  await until('trading_realized_pnl', { engine: 'bot-a' }, 7.8003);
  await until('trading_engine_reported_realized_pnl', { engine: 'bot-a' }, 7.8003);
  expect(await metric('trading_fees_paid_total', { engine: 'bot-a', currency: 'USDT' })).toBeCloseTo(
    2.4997,
    12,
  );
  expect(await metric('trading_orders_active', { engine: 'bot-a' })).toBe(0);

  await until('trading_realized_pnl', { engine: 'bot-b' }, 2.47275);
  expect(await metric('trading_fees_paid_total', { engine: 'bot-b', currency: 'USDT' })).toBeCloseTo(
    0.52725,
    12,
  );

  const res = await fetch(`${ex.baseUrl}/api/v1/orders/history?engine=bot-a&limit=100`, {
    headers: { Authorization: `Bearer ${ex.viewerToken}` },
  });
  const orders = ((await res.json()) as { orders: Record<string, unknown>[] }).orders;
  const byId = new Map(orders.map((o) => [o.order_id, o]));
  expect(byId.get('buy-ETH-USDT-1')).toMatchObject({
    status: 'filled',
    filled_quantity: 1,
    avg_fill_price: 1999.7,
    fees: 1.9997,
  });
  expect(byId.get('sell-ETH-USDT-2')).toMatchObject({ status: 'filled', order_type: 'market', fees: 0.5 });
  expect(byId.get('buy-ETH-USDT-3')).toMatchObject({ status: 'canceled', limit_price: 1900 });
  expect(byId.get('buy-ETH-USDT-4')).toMatchObject({ status: 'rejected', reason: 'Insufficient balance' });
  expect(byId.get('buy-ETH-USDT-1')?.created_at).toBe(new Date(t * 1000 + 250).toISOString());
  expect(await metric('tradewatch_source_errors_total', { source: 'hummingbot' })).toBe(0);
});

test('bad messages are refused one by one, counted by cause, logged once per cause', async () => {
  const topic = `${NS}/bot-a/events`;
  await publish([
    { topic, payload: 'not json' },
    { topic, payload: '{"timestamp":1,"type":"OrderFilled","da' },
    { topic, payload: `{"timestamp":${t},"type":"OrderTeleported","data":{}}` },
    {
      topic,
      payload: `{"timestamp":${t},"type":"OrderFilled","data":{"order_id":"x","trading_pair":"ETH-USDT","trade_type":"TradeType.BUY","price":"abc","amount":1.0,"trade_fee":{}}}`,
    },
    { topic: `${NS}/bot-a/hb`, payload: '{"ts":"soon"}' },
  ]);
  await until('tradewatch_source_errors_total', { source: 'hummingbot' }, 5);
  expect(
    await metric('tradewatch_source_errors_total', { source: 'hummingbot', reason: 'malformed_json' }),
  ).toBe(2);
  expect(
    await metric('tradewatch_source_errors_total', { source: 'hummingbot', reason: 'unknown_type' }),
  ).toBe(1);
  expect(await metric('tradewatch_source_errors_total', { source: 'hummingbot', reason: 'schema' })).toBe(2);
  expect(lines(/left out.*malformed_json/)).toHaveLength(1);
  expect(await metric('trading_fills_total', { engine: 'bot-a' })).toBe(3);
});

test('the broker goes away and comes back: counted, one log line, backoff, and reading resumes', async () => {
  await stopBroker();
  await waitFor(
    'the outage counted',
    async () =>
      (await metric('tradewatch_source_errors_total', { source: 'hummingbot', reason: 'unreachable' })) >= 3,
    30_000,
    200,
  );
  expect(lines(/cannot reach the MQTT broker/)).toHaveLength(1);
  await startBroker();
  await waitFor('reconnected', async () => lines(/connected to the broker again/).length === 1, 30_000, 200);
  await subscribed('bot-b');
  await publish(lateFill(NS, t + 60));
  await until('trading_fills_total', { engine: 'bot-b' }, 3);
  expect(await metric('trading_position_quantity', { engine: 'bot-b', symbol: 'SOL/USDT' })).toBe(1);
  expect(await metric('trading_fees_paid_total', { engine: 'bot-b', currency: 'USDT' })).toBeCloseTo(
    0.52725 + 0.149,
    12,
  );
});

test('a kill -9 of the exporter mid-session: what the bots published meanwhile is applied once after the restart', async () => {
  const dataDir = ex.dataDir;
  await ex.kill();
  // bot-b goes on: a sell of the 1 SOL bought above, while tradewatch is down.
  await publish([
    {
      topic: `${NS}/bot-b/events`,
      payload: `{"timestamp":${t + 90},"type":"SellOrderCreated","data":{"type":"OrderType.MARKET","trading_pair":"SOL-USDT","amount":1.0,"price":0.0,"order_id":"b-4","creation_timestamp":${t + 90}.0,"exchange_order_id":null,"leverage":1,"position":"NIL"}}`,
    },
    {
      topic: `${NS}/bot-b/events`,
      payload: `{"timestamp":${t + 90},"type":"OrderFilled","data":{"order_id":"b-4","trading_pair":"SOL-USDT","trade_type":"TradeType.SELL","order_type":"OrderType.MARKET","price":150.0,"amount":1.0,"trade_fee":{"fee_type":"DeductedFromReturns","percent":"0.001","percent_token":"USDT","flat_fees":[]},"exchange_trade_id":"s-4","exchange_order_id":"x-b-4","leverage":1,"position":"NIL"}}`,
    },
  ]);
  ex = await startExporter({ env: env(), dataDir });
  await until('trading_fills_total', { engine: 'bot-b' }, 4);
  // Bought at 149 (fee 0.149), sold at 150 (fee 0.15): 1 − 0.299 = 0.701 more.
  await until('trading_realized_pnl', { engine: 'bot-b' }, 2.47275 + 0.701);
  expect(await metric('trading_position_quantity', { engine: 'bot-b', symbol: 'SOL/USDT' })).toBe(0);
  expect(await metric('trading_fills_total', { engine: 'bot-a' })).toBe(3);
});
