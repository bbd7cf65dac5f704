/**
 * Hostile input, descriptors from many addresses (issue 25, item 5): slow-header sockets
 * from 250 loopback addresses, each address under its own limit, took every descriptor of
 * an exporter under `ulimit -n 1024`; /healthz, /metrics and ingest got no answer. Now the
 * exporter holds at most the sockets its descriptor limit leaves room for (read at start),
 * a new socket takes the place of the oldest idle one, and /healthz answers throughout.
 */
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { postEvents, scrape, startExporter, type RunningExporter } from '../support/exporter';
import { orderEvent, watchHealth } from '../feed/support';

jest.setTimeout(120_000);

const FD_LIMIT = 1024;
const ADDRESSES = Array.from({ length: 250 }, (_, i) => `127.0.0.${i + 2}`);
const SOCKETS_PER_ADDRESS = 8; // 2,000 sockets, each address far under its own limit (128)

let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({
    fdLimit: FD_LIMIT,
    env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_LOG_LEVEL: 'warn', TRADEWATCH_FEED_MAX_CLIENTS: '100' },
  });
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
    socket.resume();
  });
}

test('slow-header sockets from 250 addresses under ulimit -n 1024 cannot lock out /healthz, /metrics or ingest', async () => {
  const pid = exporter.process.pid as number;
  const health = watchHealth(exporter.baseUrl, 50, 1000);
  const sockets: Socket[] = [];
  let mostFds = 0;
  try {
    for (let round = 0; round < SOCKETS_PER_ADDRESS; round++) {
      for (let i = 0; i < ADDRESSES.length; i += 50)
        sockets.push(
          ...(await Promise.all(ADDRESSES.slice(i, i + 50).map((a) => slowHeaders(exporter.port, a)))),
        );
      mostFds = Math.max(mostFds, openFds(pid));
    }
    // The attackers open again what was closed on them, three times over.
    for (let again = 0; again < 3; again++) {
      const closed = sockets.filter((s) => s.destroyed).map((s) => s.localAddress ?? '127.0.0.2');
      for (let i = 0; i < closed.length; i += 50)
        sockets.push(
          ...(await Promise.all(closed.slice(i, i + 50).map((a) => slowHeaders(exporter.port, a)))),
        );
      mostFds = Math.max(mostFds, openFds(pid));
    }
    console.log(
      `${sockets.length} slow sockets opened, ${sockets.filter((s) => !s.destroyed).length} still open; the exporter held at most ${mostFds} fds`,
    );
    expect(mostFds).toBeLessThan(FD_LIMIT);

    // While the attackers keep their sockets, everything answers from another address.
    expect((await fetch(`${exporter.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) })).status).toBe(
      200,
    );
    expect((await scrape(exporter.baseUrl)).size).toBeGreaterThan(0);
    expect((await postEvents(exporter, [orderEvent('fd-1', 'new')])).status).toBe(200);
    expect(exporter.output()).toMatch(/as many sockets as its descriptor limit allows/);
  } finally {
    for (const s of sockets) s.destroy();
    const { slowestMs, failures, samples } = await health.stop();
    console.log(`/healthz: ${samples} probes, slowest ${slowestMs} ms`);
    expect(failures).toEqual([]);
    expect(slowestMs).toBeLessThan(1000);
  }
  expect(exporter.output()).not.toMatch(/EMFILE/);
  expect(exporter.process.exitCode).toBeNull();
});
