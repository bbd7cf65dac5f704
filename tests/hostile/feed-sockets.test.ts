/**
 * Hostile input, sockets (issue 10, item 7): thousands of sockets that open and send their
 * headers slowly must not take the exporter's file descriptors, so that /healthz, /metrics,
 * ingest and the feed keep answering. Before the fix about 20,000 such sockets (the fd limit)
 * locked everything out; here the exporter's fd limit is lowered to 1,024 so that 1,800 do.
 * Now each address may hold a bounded number of sockets that have not upgraded to the feed,
 * and headers must arrive within the headers timeout.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { postEvents, scrape, startExporter, waitFor, type RunningExporter } from '../support/exporter';
import { openFeed, orderEvent, watchHealth } from '../feed/support';

jest.setTimeout(90_000);

const FD_LIMIT = 1024;
const ATTACKERS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const SOCKETS_PER_ATTACKER = 600;

let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_LOG_LEVEL: 'warn' } });
  execFileSync('prlimit', ['--pid', String(exporter.process.pid), `--nofile=${FD_LIMIT}:${FD_LIMIT}`]);
});
afterAll(async () => {
  await exporter?.stop();
});

const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** A socket from `localAddress` that sends the start of a request and never finishes it. */
function slowHeaders(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      resolve(socket);
    });
    socket.on('error', () => resolve(socket));
    socket.resume(); // read whatever the exporter answers (a 408 when it gives up on the headers)
  });
}

test('slow-header sockets from a few addresses cannot lock out /healthz, /metrics, ingest or the feed', async () => {
  const health = watchHealth(exporter.baseUrl);
  const sockets: Socket[] = [];
  try {
    for (const address of ATTACKERS)
      for (let i = 0; i < SOCKETS_PER_ATTACKER; i += 50)
        sockets.push(
          ...(await Promise.all(Array.from({ length: 50 }, () => slowHeaders(exporter.port, address)))),
        );
    const held = openFds(exporter.process.pid as number);
    console.log(`slow headers: ${sockets.length} sockets opened, the exporter holds ${held} fds`);
    expect(held).toBeLessThan(FD_LIMIT / 2);

    // Everything still answers, from another address, while the attack holds.
    expect((await fetch(`${exporter.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) })).status).toBe(
      200,
    );
    expect((await scrape(exporter.baseUrl)).size).toBeGreaterThan(0);
    expect((await postEvents(exporter, [orderEvent('slow-1', 'new')])).status).toBe(200);
    const feed = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
    feed.send({ op: 'subscribe', channel: 'orders' });
    expect((await feed.next((m) => m.type === 'snapshot')).rows).toHaveLength(1);
    feed.close();

    // The held ones are cut when their headers timeout passes.
    await waitFor(
      'every slow socket closed by the exporter',
      async () => sockets.every((s) => s.destroyed),
      30_000,
      250,
    );
  } finally {
    for (const s of sockets) s.destroy();
    const { slowestMs, failures } = await health.stop();
    expect(failures).toEqual([]);
    expect(slowestMs).toBeLessThan(1000);
  }
  expect(exporter.process.exitCode).toBeNull();
});
