/**
 * Fairness under load (a stalled client must not delay the others) and recovery (the
 * client library reconnects after the exporter restarts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { FeedClient, rowKey, type ConnectionState, type OrderRow } from '@tradewatch/feed-client';
import {
  freePort,
  postEvents,
  randomToken,
  startExporter,
  waitFor,
  type RunningExporter,
} from '../support/exporter';
import { feedUrl, openFeed, orderEvent, percentile, sleep, type RawFeed } from './support';

jest.setTimeout(90_000);

/** Posts ~`perSecond` order updates with bulky rows for `ms`; returns when done. */
async function load(exporter: RunningExporter, ms: number, perSecond: number, prefix: string): Promise<void> {
  const reason = 'r'.repeat(1000); // ~1.3 KB rows: the stalled socket's buffers fill in seconds
  const batchEvery = 20;
  const perBatch = Math.round((perSecond * batchEvery) / 1000);
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) {
    const started = Date.now();
    const batch = [];
    for (let i = 0; i < perBatch; i++, n++)
      batch.push(orderEvent(`${prefix}-${n % 400}`, n % 400 < 200 ? 'new' : 'partially_filled', { reason }));
    const res = await postEvents(exporter, batch);
    if (res.status !== 200) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(Math.max(0, batchEvery - (Date.now() - started)));
  }
}

/** Latencies (ms) from post to receipt of every order row the clients got since `from`. */
function latencies(clients: RawFeed[], from: number, to: number): number[] {
  const out: number[] = [];
  for (const c of clients)
    for (const { at, message } of c.messages) {
      if (message.type !== 'update' || at < from || at > to) continue;
      for (const r of message.upserts as OrderRow[]) out.push(at - Number(r.client_order_id?.slice(1)));
    }
  return out;
}

test('a stalled client does not raise the other clients latency, and is caught up or closed', async () => {
  const exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_LOG_LEVEL: 'warn' } });
  try {
    const clients: RawFeed[] = [];
    for (let i = 0; i < 10; i++) {
      const c = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
      c.send({ op: 'subscribe', channel: 'orders' });
      clients.push(c);
    }
    await Promise.all(clients.map((c) => c.next((m) => m.type === 'snapshot')));

    const aStart = Date.now();
    await load(exporter, 4000, 1500, 'calm');
    const aEnd = Date.now();

    const stalled = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
    const raw = (stalled.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    stalled.send({ op: 'subscribe', channel: 'orders' });
    await stalled.next((m) => m.type === 'snapshot');
    raw.pause(); // stops reading: its kernel buffers fill, then the server's
    const bStart = Date.now();
    await load(exporter, 8000, 1500, 'storm');
    const bEnd = Date.now();

    const calm = latencies(clients, aStart + 500, aEnd);
    const storm = latencies(clients, bStart + 500, bEnd);
    const figures = {
      calm: { p50: percentile(calm, 50), p99: percentile(calm, 99), n: calm.length },
      stalled: { p50: percentile(storm, 50), p99: percentile(storm, 99), n: storm.length },
    };
    console.log('latency of the other clients (ms):', JSON.stringify(figures));
    expect(calm.length).toBeGreaterThan(1000);
    expect(storm.length).toBeGreaterThan(1000);
    // Shared CI cores are noisy: a blocked server would show seconds, not tens of ms. A lagging
    // member no longer holds the hub to the batch interval (feed/hub.ts, hub.test.ts checks it
    // exactly); the slack of one interval (100 ms by default) is for the machine's noise.
    expect(figures.stalled.p99).toBeLessThan(Math.max(2 * figures.calm.p99, figures.calm.p99 + 50) + 100);
    for (const c of clients) {
      const seqs = c.messages.filter((m) => m.message.type === 'update').map((m) => m.message.seq);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i)); // the others never lost a frame
    }

    // The stalled one resumes: it must be told what it missed in one coalesced catch-up
    // (from_seq) or a fresh snapshot, never a silent gap; or have been closed as too slow.
    const before = stalled.messages.length;
    raw.resume();
    const outcome = await Promise.race([
      stalled
        .next(
          (m) =>
            (m.type === 'update' && m.from_seq !== undefined) ||
            (m.type === 'snapshot' && stalled.messages.length > before),
          15_000,
        )
        .then((m) => m.type as string),
      stalled.closed.then((c) => `closed ${c.code}`),
    ]);
    expect(['update', 'snapshot', 'closed 4002']).toContain(outcome);
    const seen = stalled.messages
      .map((m) => m.message)
      .filter((m) => m.type === 'update' || m.type === 'snapshot');
    for (let i = 1; i < seen.length; i++) {
      const m = seen[i];
      if (m.type === 'snapshot') continue;
      expect(m.from_seq ?? m.seq).toBe(seen[i - 1].seq + 1);
    }
    for (const c of [...clients, stalled]) c.close();
  } finally {
    await exporter.stop();
  }
});

test('the client library reconnects after the exporter restarts and resyncs', async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tradewatch-feed-restart-'));
  const env = {
    TRADEWATCH_SOURCE: 'none',
    TRADEWATCH_INGEST_TOKENS: `i:${randomToken('ingest')}`,
    TRADEWATCH_VIEWER_TOKENS: `v:${randomToken('viewer')}`,
  };
  let exporter = await startExporter({ port, dataDir, env });
  const client = new FeedClient({
    url: feedUrl(exporter.baseUrl),
    token: exporter.viewerToken,
    createSocket: (url, protocols) => new WebSocket(url, protocols) as never,
    backoff: { initialMs: 100, maxMs: 1000 },
  });
  const states: ConnectionState['status'][] = [];
  client.onState((s) => states.push(s.status));
  let rows: ReadonlyMap<string, OrderRow> = new Map();
  let snapshots = 0;
  client.subscribe<OrderRow>('orders', {}, (v) => {
    rows = v.rows;
    if (v.fromSnapshot) snapshots += 1;
  });
  try {
    await waitFor('live', async () => client.state.status === 'live' && snapshots === 1);
    await postEvents(exporter, [orderEvent('before-restart', 'new')]);
    await waitFor('the order', async () =>
      rows.has(rowKey('orders', { engine: 'feedtest', order_id: 'before-restart' })),
    );

    await exporter.stop({ keepData: true });
    await waitFor('reconnecting', async () => client.state.status === 'reconnecting');
    expect(client.state).toMatchObject({ status: 'reconnecting', staleSince: expect.any(Number) });

    exporter = await startExporter({ port, dataDir, env });
    await postEvents(exporter, [orderEvent('after-restart', 'new')]);
    await waitFor(
      'live again with the new order',
      async () =>
        client.state.status === 'live' &&
        rows.has(rowKey('orders', { engine: 'feedtest', order_id: 'after-restart' })),
      20_000,
    );
    expect(snapshots).toBeGreaterThanOrEqual(2);
    expect(client.stats.reconnects).toBe(1);
    expect(states[0]).toBe('live');
    expect(states).toContain('reconnecting');
  } finally {
    client.close();
    await exporter.stop({ keepData: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});
