/**
 * Hostile input, lock-outs (issue 10, item 5): wrong tokens from an address limit only
 * further failing attempts at the same door (ingest, viewer, metrics). A request with a
 * valid token is judged by its token, an open /metrics is never limited, and a wrong guess
 * at one door does not count at another. Before the fix one limiter covered every route:
 * 20 wrong tokens made that address get 429 on a valid ingest token, on the viewer API, on
 * the feed and on an open /metrics.
 */
import { postEvents, startExporter, type RunningExporter } from '../support/exporter';
import { orderEvent, refusedStatus, watchHealth } from '../feed/support';

jest.setTimeout(60_000);

let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_METRICS_TOKEN: '' } });
});
afterAll(async () => {
  await exporter?.stop();
});

const get = async (path: string, token?: string) =>
  (await fetch(`${exporter.baseUrl}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {}))
    .status;
const wrong = (i: number) => `wrong-token-${i}-aaaaaaaaaaaaaaaa`;

test('wrong tokens at every door lock out only further wrong tokens, never a valid one or open /metrics', async () => {
  const health = watchHealth(exporter.baseUrl);
  try {
    // 30 wrong ingest tokens, 30 wrong viewer tokens on the API, 30 at the feed.
    const ingest: number[] = [];
    for (let i = 0; i < 30; i++) ingest.push((await postEvents(exporter, [], { token: wrong(i) })).status);
    expect(ingest.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(ingest[29]).toBe(429);

    // A valid ingest token from the same address is judged by its token.
    expect((await postEvents(exporter, [orderEvent('lockout-1', 'new')])).status).toBe(200);
    // The open /metrics is open to everyone, whatever anyone at this address guessed.
    expect(await get('/metrics')).toBe(200);
    // Guesses at the ingest door do not count at the viewer door.
    expect(await get('/api/v1/orders', wrong(99))).toBe(401);
    expect(await get('/api/v1/orders', exporter.viewerToken)).toBe(200);

    const viewer: number[] = [];
    for (let i = 0; i < 15; i++) viewer.push(await get('/api/v1/orders', wrong(100 + i)));
    for (let i = 0; i < 15; i++)
      viewer.push(await refusedStatus(exporter.baseUrl, { token: wrong(200 + i) }));
    // The read API and the feed are one door (viewer): their failures add up.
    expect(viewer.slice(0, 19).every((s) => s === 401)).toBe(true);
    expect(viewer[29]).toBe(429);
    expect(await get('/api/v1/feed/auth', wrong(300))).toBe(429);

    // Valid viewer tokens still get in everywhere; valid ingest too; open /metrics too.
    expect(await get('/api/v1/orders', exporter.viewerToken)).toBe(200);
    expect(await get('/api/v1/feed/auth', exporter.viewerToken)).toBe(200);
    expect(await refusedStatus(exporter.baseUrl, { token: exporter.viewerToken })).toBe(101);
    expect((await postEvents(exporter, [orderEvent('lockout-2', 'new')])).status).toBe(200);
    expect(await get('/metrics')).toBe(200);
    // A valid token for the wrong door is a 403 (a valid token is never a failure).
    expect(await refusedStatus(exporter.baseUrl, { token: exporter.ingestToken })).toBe(403);
  } finally {
    const { slowestMs, failures } = await health.stop();
    expect(failures).toEqual([]);
    expect(slowestMs).toBeLessThan(1000);
  }
  expect(exporter.process.exitCode).toBeNull();
});
