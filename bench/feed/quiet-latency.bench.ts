/**
 * bench/feed/quiet-latency: a quiet engine and one viewer. One order event posted every
 * 1000/RATE ms (default 200 events/s); the time from the start of each POST to the row on
 * the feed, p50 and p99, against the time of the POST's own answer (the baseline: the
 * feed cannot show a row before it is applied). With a fixed batch interval the feed adds
 * up to that interval; flushing at once when the hub is idle adds almost nothing.
 * STALLED=n adds n viewers that stop reading, made to lag (past the lag mark) by STALL_MB of
 * bulky order updates before the measure: they must not slow the one that reads.
 * Run: npm run bench:feed-latency   (run `npm run build` first)
 */
import { Agent, request } from 'node:http';
import os from 'node:os';
import WebSocket from 'ws';
import { startExporter, type RunningExporter } from '../../tests/support/exporter';

const RATE = Number(process.env.RATE ?? 200);
const EVENTS = Number(process.env.EVENTS ?? 1000);
const STALLED = Number(process.env.STALLED ?? 0);
const STALL_MB = Number(process.env.STALL_MB ?? 16);

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
function post(url: URL, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          Authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1);
};

export interface FeedLatency {
  rate_per_s: number;
  events: number;
  rows_seen: number;
  post_answer_p50_ms: number;
  post_answer_p99_ms: number;
  post_to_feed_p50_ms: number;
  post_to_feed_p99_ms: number;
}

/** One quiet engine posting `events` orders at `rate`/s to `ex`, one viewer on the feed. */
export async function measureFeedLatency(
  ex: RunningExporter,
  rate = RATE,
  events = EVENTS,
): Promise<FeedLatency> {
  const ws = new WebSocket(`${ex.baseUrl.replace('http', 'ws')}/feed`, [
    'tradewatch.v1',
    `tradewatch.token.${ex.viewerToken}`,
  ]);
  const sentAt = new Map<string, number>();
  const feed: number[] = [];
  let snapshot = false;
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { type: string; upserts?: { order_id: string }[] };
    if (msg.type === 'snapshot') snapshot = true;
    for (const row of msg.upserts ?? []) {
      const t = sentAt.get(row.order_id);
      if (t !== undefined) feed.push(performance.now() - t);
      sentAt.delete(row.order_id);
    }
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ op: 'subscribe', channel: 'orders' }));
  while (!snapshot) await new Promise((r) => setTimeout(r, 5));

  const url = new URL(`${ex.baseUrl}/api/v1/events`);
  const answered: number[] = [];
  const start = performance.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < events; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const id = `q${i}`;
    const body = JSON.stringify([
      {
        type: 'order',
        ts: Date.now(),
        engine: 'quiet',
        order_id: id,
        symbol: 'BTC/USD',
        side: 'buy',
        order_type: 'limit',
        status: 'new',
        quantity: '1',
        limit_price: '100',
      },
    ]);
    const t = performance.now();
    sentAt.set(id, t);
    posts.push(
      post(url, body, ex.ingestToken).then((status) => {
        if (status !== 200) throw new Error(`POST answered ${status}`);
        answered.push(performance.now() - t);
      }),
    );
  }
  await Promise.all(posts);
  const deadline = performance.now() + 5000;
  while (feed.length < events && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  ws.close();
  return {
    rate_per_s: rate,
    events: events,
    rows_seen: feed.length,
    post_answer_p50_ms: pct(answered, 0.5),
    post_answer_p99_ms: pct(answered, 0.99),
    post_to_feed_p50_ms: pct(feed, 0.5),
    post_to_feed_p99_ms: pct(feed, 0.99),
  };
}

/**
 * `count` viewers subscribed to `orders` that stop reading, then STALL_MB of order updates
 * (1 KB rows): more than their kernel buffers and the lag mark hold, so the hub skips them.
 */
async function stallViewers(ex: RunningExporter, count: number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i++) {
    const ws = new WebSocket(`${ex.baseUrl.replace('http', 'ws')}/feed`, [
      'tradewatch.v1',
      `tradewatch.token.${ex.viewerToken}`,
    ]);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const snapshot = new Promise((resolve) => ws.once('message', resolve));
    ws.send(JSON.stringify({ op: 'subscribe', channel: 'orders' }));
    await snapshot;
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    sockets.push(ws);
  }
  const url = new URL(`${ex.baseUrl}/api/v1/events`);
  const reason = 'r'.repeat(1000);
  for (let sent = 0, n = 0; sent < STALL_MB * 1e6; sent += 200 * 1000) {
    const batch = Array.from({ length: 200 }, () => ({
      type: 'order',
      ts: Date.now(),
      engine: 'bulk',
      order_id: `b${n++ % 5000}`,
      symbol: 'ETH/USD',
      side: 'sell',
      order_type: 'limit',
      status: 'new',
      quantity: '1',
      limit_price: '100',
      reason,
    }));
    const status = await post(url, JSON.stringify(batch), ex.ingestToken);
    if (status !== 200) throw new Error(`POST answered ${status}`);
  }
  await new Promise((r) => setTimeout(r, 1000));
  return sockets;
}

async function main(): Promise<void> {
  const ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_LOG_LEVEL: 'warn' } });
  try {
    const stalled = await stallViewers(ex, STALLED);
    const figures = await measureFeedLatency(ex);
    for (const ws of stalled) ws.terminate();
    console.log(
      JSON.stringify({ ...figures, stalled: STALLED, load1: +os.loadavg()[0].toFixed(2) }, null, 2),
    );
  } finally {
    agent.destroy();
    await ex.stop();
  }
}

// Run alone, or imported for its measure (bench/ingest/issue23.bench.ts).
if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
