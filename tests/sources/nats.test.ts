/**
 * The NATS JetStream source against real NATS servers: the shared one at 127.0.0.1:4222
 * (publish → metrics, bad messages, a second replica with its own durable consumer) and
 * a private nats-server on a free port that is restarted under a running exporter, once
 * with its store (reconnect) and once without it (the stream and consumer are made again).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { freePort, scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(90_000);

const SHARED_NATS = 'nats://127.0.0.1:4222';
const RUN = `${process.pid}${Date.now().toString(36)}`;
const TS = Date.parse('2026-03-04T09:00:00Z');
const enc = new TextEncoder();

function order(engine: string, i: number, status = 'new', extra: Record<string, unknown> = {}) {
  return {
    type: 'order',
    ts: TS + i * 1000,
    engine,
    order_id: `o-${i}`,
    symbol: 'XRP/USD',
    side: 'buy',
    order_type: 'limit',
    status,
    quantity: '100',
    limit_price: '0.5',
    ...extra,
  };
}
function fill(engine: string, i: number) {
  return {
    type: 'fill',
    ts: TS + i * 1000 + 500,
    engine,
    fill_id: `f-${i}`,
    order_id: `o-${i}`,
    symbol: 'XRP/USD',
    side: 'buy',
    price: '0.5',
    quantity: '100',
    fee: '0.1',
  };
}

async function domainMetrics(ex: RunningExporter): Promise<string> {
  const samples = await scrape(ex.baseUrl);
  // The market-data age is wall-clock time since a mark arrived: it moves between scrapes.
  const age = 'trading_market_data_age_seconds';
  return [...samples]
    .filter(([k]) => k.startsWith('trading_') && !k.startsWith(age))
    .map(([k, v]) => `${k} ${v}`)
    .sort()
    .join('\n');
}

function natsEnv(url: string, stream: string, subject: string, durable: string): Record<string, string> {
  return {
    TRADEWATCH_SOURCE: 'nats',
    TRADEWATCH_NATS_URL: url,
    TRADEWATCH_NATS_STREAM: stream,
    TRADEWATCH_NATS_SUBJECT: subject,
    TRADEWATCH_NATS_DURABLE: durable,
  };
}

describe('NATS source on the shared JetStream', () => {
  const stream = `TW_TEST_${RUN}`;
  const subject = `twtest.${RUN}.>`;
  let nc: NatsConnection;
  const exporters: RunningExporter[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: SHARED_NATS });
  });
  afterAll(async () => {
    for (const ex of exporters) await ex.stop();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  it('creates its stream, applies published events, acks them, and terminates a bad message', async () => {
    const ex = await startExporter({ env: natsEnv(SHARED_NATS, stream, subject, 'replica-1') });
    exporters.push(ex);
    const jsm = await jetstreamManager(nc);
    await waitFor('the stream', async () => (await jsm.streams.info(stream).catch(() => null)) !== null);
    const js = jetstream(nc);

    // One event, an array, a repeated event id (a republish), garbage, and an invalid event.
    await js.publish(`twtest.${RUN}.e1`, enc.encode(JSON.stringify({ ...order('nats-e1', 1), id: 'ev-1' })));
    await js.publish(
      `twtest.${RUN}.e1`,
      enc.encode(
        JSON.stringify([
          fill('nats-e1', 1),
          order('nats-e1', 1, 'filled', { filled_quantity: '100', avg_fill_price: '0.5', fees: '0.1' }),
        ]),
      ),
    );
    await js.publish(`twtest.${RUN}.e1`, enc.encode(JSON.stringify({ ...order('nats-e1', 1), id: 'ev-1' })));
    await js.publish(`twtest.${RUN}.e1`, enc.encode('{not json'));
    await js.publish(
      `twtest.${RUN}.e1`,
      enc.encode(JSON.stringify({ ...order('nats-e1', 2), quantity: '-3' })),
    );
    for (let i = 3; i < 10; i++)
      await js.publish(
        `twtest.${RUN}.e2`,
        enc.encode(JSON.stringify([order('nats-e1', i), fill('nats-e1', i)])),
      );

    const samples = await waitFor('all messages handled', async () => {
      const s = await scrape(ex.baseUrl);
      return sumOf(s, 'tradewatch_nats_messages_total') >= 12 ? s : undefined;
    });
    expect(sumOf(samples, 'tradewatch_nats_messages_total', { outcome: 'applied' })).toBe(10);
    expect(sumOf(samples, 'tradewatch_nats_messages_total', { outcome: 'rejected' })).toBe(2);
    expect(sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'malformed_json' })).toBe(1);
    expect(sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'invalid_event' })).toBe(1);
    expect(sumOf(samples, 'tradewatch_nats_connected')).toBe(1);
    expect(sumOf(samples, 'trading_fills_total', { engine: 'nats-e1' })).toBe(8);
    expect(sumOf(samples, 'trading_position_quantity', { engine: 'nats-e1' })).toBe(800);
    expect(sumOf(samples, 'trading_orders_active', { engine: 'nats-e1' })).toBe(7);
    expect(
      sumOf(samples, 'tradewatch_engine_last_seen_timestamp_seconds', { engine: 'nats-e1' }),
    ).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(ex.output()).toContain('NATS message rejected');

    // Everything was acknowledged or terminated: nothing waits for redelivery.
    const info = await waitFor('no pending acks', async () => {
      const i = await jsm.consumers.info(stream, 'replica-1');
      return i.num_ack_pending === 0 && i.num_pending === 0 ? i : undefined;
    });
    expect(info.num_redelivered).toBe(0);
  });

  it('a second replica with its own durable consumer serves the same state', async () => {
    const replica = await startExporter({ env: natsEnv(SHARED_NATS, stream, subject, 'replica-2') });
    exporters.push(replica);
    const [first] = exporters;
    await waitFor(
      'the replica caught up',
      async () => sumOf(await scrape(replica.baseUrl), 'tradewatch_nats_messages_total') >= 12,
    );
    expect(await domainMetrics(replica)).toEqual(await domainMetrics(first));
    // And both keep up with what comes next.
    const js = jetstream(nc);
    await js.publish(
      `twtest.${RUN}.e3`,
      enc.encode(JSON.stringify([order('nats-e1', 20), fill('nats-e1', 20)])),
    );
    for (const ex of exporters)
      await waitFor(
        'the new fill',
        async () => sumOf(await scrape(ex.baseUrl), 'trading_fills_total', { engine: 'nats-e1' }) === 9,
      );
    expect(await domainMetrics(replica)).toEqual(await domainMetrics(first));
  });
});

describe('NATS source across NATS restarts', () => {
  let port: number;
  const storeDirs: string[] = [];
  let server: ChildProcess | null = null;
  let ex: RunningExporter | null = null;

  async function startNats(storeDir: string): Promise<void> {
    server = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: 'ignore',
    });
    await waitFor('nats-server up', async () => {
      const c = await connect({ servers: `nats://127.0.0.1:${port}`, reconnect: false }).catch(() => null);
      if (!c) return false;
      await c.close();
      return true;
    });
  }
  async function stopNats(): Promise<void> {
    const s = server;
    server = null;
    if (!s || s.exitCode !== null) return;
    const exited = new Promise((r) => s.once('exit', r));
    s.kill('SIGTERM');
    await exited;
  }
  async function publish(events: unknown[]): Promise<void> {
    const c = await connect({ servers: `nats://127.0.0.1:${port}` });
    try {
      const js = jetstream(c);
      // The exporter creates the stream; wait until it exists again after a restart.
      await waitFor('the stream accepts messages', async () =>
        js.publish('tradewatch.events.restart', enc.encode(JSON.stringify(events))).then(() => true),
      );
    } finally {
      await c.close();
    }
  }

  afterAll(async () => {
    await ex?.stop();
    await stopNats();
    for (const d of storeDirs) rmSync(d, { recursive: true, force: true });
  });

  it('reconnects after a restart, and recreates its stream and consumer when NATS lost them', async () => {
    port = await freePort();
    storeDirs.push(mkdtempSync(path.join(tmpdir(), 'tw-nats-')));
    await startNats(storeDirs[0]);
    ex = await startExporter({
      env: natsEnv(`nats://127.0.0.1:${port}`, 'TRADEWATCH', 'tradewatch.events.>', 'restart-test'),
    });
    const running = ex;
    const fills = async () =>
      sumOf(await scrape(running.baseUrl), 'trading_fills_total', { engine: 'restart' });

    await publish([order('restart', 1), fill('restart', 1)]);
    await waitFor('first fill', async () => (await fills()) === 1);

    // Restart with the same store: stream and durable consumer survive; the client reconnects.
    await stopNats();
    await waitFor(
      'disconnect seen',
      async () => sumOf(await scrape(running.baseUrl), 'tradewatch_nats_connected') === 0,
    );
    await startNats(storeDirs[0]);
    await publish([order('restart', 2), fill('restart', 2)]);
    await waitFor('fill after the restart', async () => (await fills()) === 2, 30_000);

    // Restart without the store: the exporter makes the stream and its consumer again.
    await stopNats();
    storeDirs.push(mkdtempSync(path.join(tmpdir(), 'tw-nats-')));
    await startNats(storeDirs[1]);
    await publish([order('restart', 3), fill('restart', 3)]);
    await waitFor('fill after a restart that lost the stream', async () => (await fills()) === 3, 30_000);
    expect(sumOf(await scrape(running.baseUrl), 'tradewatch_nats_connected')).toBe(1);
    expect(running.output()).toContain('NATS source created the stream');
  });
});
