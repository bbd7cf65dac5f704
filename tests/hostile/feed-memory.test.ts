/**
 * Hostile input, memory (issue 10, item 7): a viewer that never reads and re-subscribes 20
 * times a second. Before the fix every subscribe queued a fresh snapshot behind the unread
 * ones (the per-client cap was checked only at heartbeats and did not count snapshots), and
 * the exporter grew from 142 MB to 905 MB in 13 s. Now a snapshot for a client that is
 * behind is owed, not queued (one per subscription, sent when it drains), the cap is
 * checked at every send, and a client that keeps re-subscribing while behind is closed with
 * 4003.
 */
import { readFileSync } from 'node:fs';
import { postEvents, startExporter, type RunningExporter } from '../support/exporter';
import { openFeed, orderEvent, watchHealth, type RawFeed } from '../feed/support';

jest.setTimeout(90_000);

/** The bound this test holds the exporter to: RSS growth during the attack. */
const RSS_GROWTH_BOUND_MB = 100;
const HOSTILE_CLIENTS = 3;
const ATTACK_MS = 4000;

let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_LOG_LEVEL: 'warn' } });
  // ~1,000 active orders of ~1.3 KB: a snapshot of about 1.4 MB.
  const reason = 'r'.repeat(1000);
  for (let b = 0; b < 4; b++) {
    const batch = [];
    for (let i = 0; i < 250; i++) batch.push(orderEvent(`mem-${b}-${i}`, 'new', { reason }));
    expect((await postEvents(exporter, batch)).status).toBe(200);
  }
});
afterAll(async () => {
  await exporter?.stop();
});

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1]) / 1024;
};

test('a viewer that never reads and re-subscribes 20 times a second is closed (4003) and memory stays bounded', async () => {
  const pid = exporter.process.pid as number;
  const health = watchHealth(exporter.baseUrl);
  const hostile: RawFeed[] = [];
  let peakMb = 0;
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 100);
  const baselineMb = rssMb(pid);
  try {
    for (let i = 0; i < HOSTILE_CLIENTS; i++) {
      const feed = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
      // Stop reading: what the server sends piles up in the kernel, then in the server.
      (feed.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      hostile.push(feed);
    }
    const end = Date.now() + ATTACK_MS;
    // The state moves meanwhile (alerts, as from a live engine; not orders, so the orders
    // topic has nothing to flush): every snapshot is built anew.
    const ticker = (async () => {
      for (let n = 0; Date.now() < end; n++) {
        const alert = {
          type: 'alert',
          ts: Date.now(),
          engine: 'feedtest',
          name: 'tick',
          severity: 'info',
          message: `${n}`,
        };
        const res = await postEvents(exporter, [alert]);
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (Date.now() >= end) {
          clearInterval(timer);
          resolve();
          return;
        }
        hostile.forEach((feed, i) => {
          // Each its own subscription id: its own topic, so no snapshot is shared.
          if (feed.ws.readyState === feed.ws.OPEN)
            feed.send({ op: 'subscribe', channel: 'orders', sub: `h${i}` });
        });
      }, 50);
    });
    await ticker;
    // Read again: each finds, after what it was owed, the close that names why.
    for (const feed of hostile) (feed.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closes = await Promise.all(hostile.map((f) => f.closed));
    expect(closes.map((c) => c.code)).toEqual(hostile.map(() => 4003));
    expect(closes[0].reason).toMatch(/subscrib/);

    // The server is still whole: a new viewer gets its snapshot.
    const viewer = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
    viewer.send({ op: 'subscribe', channel: 'orders' });
    const snapshot = await viewer.next((m) => m.type === 'snapshot');
    expect(snapshot.rows).toHaveLength(1000);
    viewer.close();
  } finally {
    clearInterval(sampler);
    console.log(
      `feed memory: RSS ${baselineMb.toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB during the attack`,
    );
    for (const f of hostile) f.ws.terminate();
    const { slowestMs, failures } = await health.stop();
    expect(failures).toEqual([]);
    expect(slowestMs).toBeLessThan(1000);
  }
  expect(peakMb - baselineMb).toBeLessThan(RSS_GROWTH_BOUND_MB);
  expect(exporter.process.exitCode).toBeNull();
});
