/** Who gets into /feed: tokens, roles, origins, limits, and the probe that explains a refusal. */
import { FeedClient } from '@tradewatch/feed-client';
import WebSocket from 'ws';
import { scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';
import { feedUrl, openFeed, refusedStatus } from './support';

jest.setTimeout(60_000);

const GRAFANA = 'https://grafana.example.com';
let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_ALLOWED_ORIGINS: GRAFANA,
      TRADEWATCH_FEED_MAX_CLIENTS: '3',
      TRADEWATCH_METRICS_TOKEN: '',
    },
  });
});
afterAll(async () => {
  await exporter?.stop();
});

test('the auth and origin matrix at the upgrade', async () => {
  const viewer = exporter.viewerToken;
  const own = exporter.baseUrl; // the exporter's own origin (it serves /blotter)
  const cases: [string, Parameters<typeof openFeed>[1], number][] = [
    ['viewer token in the subprotocol, no Origin (not a browser)', { token: viewer }, 101],
    ['viewer token from an allowed origin', { token: viewer, origin: GRAFANA }, 101],
    ["viewer token from the exporter's own origin", { token: viewer, origin: own }, 101],
    ['viewer token as a bearer header', { bearer: viewer, protocols: [] }, 101],
    ['no token', {}, 401],
    ['an unknown token', { token: 'not-a-real-token-000000' }, 401],
    ['an ingest token', { token: exporter.ingestToken }, 403],
    ['an ingest token as bearer', { bearer: exporter.ingestToken, protocols: [] }, 403],
    ['viewer token from a foreign origin', { token: viewer, origin: 'https://evil.example' }, 403],
    [
      'viewer token from the allowed host on another port',
      { token: viewer, origin: 'https://grafana.example.com:8443' },
      403,
    ],
  ];
  const results = [];
  for (const [name, options] of cases) results.push([name, await refusedStatus(exporter.baseUrl, options)]);
  expect(results).toEqual(cases.map(([name, , status]) => [name, status]));
});

test('the server answers with tradewatch.v1 and never echoes the token', async () => {
  const feed = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
  expect(feed.ws.protocol).toBe('tradewatch.v1');
  feed.close();
  await feed.closed;
  expect(exporter.output()).not.toContain(exporter.viewerToken);
});

test('a refused upgrade carries a JSON body naming the problem', async () => {
  await expect(openFeed(exporter.baseUrl, { token: exporter.ingestToken })).rejects.toMatchObject({
    status: 403,
    body: expect.stringContaining('the feed needs a viewer token'),
  });
  await expect(
    openFeed(exporter.baseUrl, { token: exporter.viewerToken, origin: 'https://evil.example' }),
  ).rejects.toMatchObject({
    body: expect.stringContaining('TRADEWATCH_ALLOWED_ORIGINS'),
  });
});

test('the auth probe tells a browser why (with CORS), and the client library words it', async () => {
  const probe = (headers: Record<string, string>) =>
    fetch(`${exporter.baseUrl}/api/v1/feed/auth`, { headers });
  const ok = await probe({ Authorization: `Bearer ${exporter.viewerToken}`, Origin: GRAFANA });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('access-control-allow-origin')).toBe(GRAFANA);
  expect((await probe({ Authorization: 'Bearer wrong-wrong-wrong-wrong' })).status).toBe(401);
  expect((await probe({ Authorization: `Bearer ${exporter.ingestToken}` })).status).toBe(403);
  const foreign = await probe({
    Authorization: `Bearer ${exporter.viewerToken}`,
    Origin: 'https://evil.example',
  });
  expect(foreign.status).toBe(403);
  expect(foreign.headers.get('access-control-allow-origin')).toBe('https://evil.example'); // so the page can read its 403
  const preflight = await fetch(`${exporter.baseUrl}/api/v1/feed/auth`, {
    method: 'OPTIONS',
    headers: {
      Origin: GRAFANA,
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'authorization',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/i);

  // A "browser" socket that cannot see the status: the client asks the probe.
  const url = feedUrl(exporter.baseUrl);
  const client = new FeedClient({
    url,
    token: 'wrong-wrong-wrong-wrong',
    createSocket: (u, protocols) => {
      const ws = new WebSocket(u, protocols);
      ws.on('error', () => undefined);
      // Hide ws's own error message, as a browser does.
      return {
        get readyState() {
          return ws.readyState;
        },
        get protocol() {
          return ws.protocol;
        },
        send: (d: string) => ws.send(d),
        close: () => ws.terminate(),
        set onopen(f: any) {
          ws.onopen = f;
        },
        set onclose(f: any) {
          ws.onclose = f;
        },
        onerror: null,
        set onmessage(f: any) {
          ws.onmessage = f;
        },
      } as any;
    },
  });
  await waitFor('a problem', async () => client.state.status === 'reconnecting' && client.state.problem);
  expect(client.state).toMatchObject({
    problem: {
      kind: 'unauthorized',
      status: 401,
      message: `cannot reach the feed at ${url}: 401, check the viewer token`,
    },
  });
  client.close();
});

test('over the maximum number of connections the upgrade gets 503', async () => {
  const open = [];
  for (let i = 0; i < 3; i++) open.push(await openFeed(exporter.baseUrl, { token: exporter.viewerToken }));
  expect(await refusedStatus(exporter.baseUrl, { token: exporter.viewerToken })).toBe(503);
  expect(sumOf(await scrape(exporter.baseUrl), 'tradewatch_feed_clients')).toBe(3);
  for (const f of open) f.close();
  await Promise.all(open.map((f) => f.closed));
  await waitFor(
    'a free slot',
    async () => (await refusedStatus(exporter.baseUrl, { token: exporter.viewerToken })) === 101,
  );
});

test('wrong tokens are rate limited per address (429); a good token still gets in', async () => {
  let status = 0;
  for (let i = 0; i < 25 && status !== 429; i++)
    status = await refusedStatus(exporter.baseUrl, { token: `guess-${i}-aaaaaaaaaaaaaaaa` });
  expect(status).toBe(429);
  expect(await refusedStatus(exporter.baseUrl, { token: exporter.viewerToken })).toBe(101);
  const refusal = await openFeed(exporter.baseUrl, { token: 'guess-again-aaaaaaaaaaaaaaaa' }).then(
    () => null,
    (err: { status?: number; body?: string; retryAfter?: string }) => err,
  );
  expect(refusal?.status).toBe(429);
  // It says when the address is heard again (the limiter gives a try back every 3 s), not a guess.
  const seconds = Number(refusal?.retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(3);
  expect(refusal?.body).toContain(`try again in ${seconds} s`);
});
