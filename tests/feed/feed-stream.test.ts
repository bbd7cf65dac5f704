/**
 * GET /feed/stream: the feed as NDJSON over plain HTTP (the fallback when a proxy refuses
 * WebSocket upgrades), against a real exporter: the same rows and sequence numbers as the
 * WebSocket, the same gate, bounds named, and the same slow-client rule.
 */
import http from 'node:http';
import { connect as netConnect } from 'node:net';
import { postEvents, startExporter, type RunningExporter } from '../support/exporter';
import { openFeed, orderEvent } from './support';

jest.setTimeout(90_000);

const GRAFANA = 'https://grafana.example.com';
let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_ALLOWED_ORIGINS: GRAFANA,
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_METRICS_TOKEN: '',
      TRADEWATCH_FEED_MAX_BUFFERED_BYTES: String(512 * 1024),
    },
  });
});
afterAll(async () => {
  await exporter?.stop();
});

interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  lines: any[];
  body: string;
  next(predicate: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  ended: Promise<void>;
  close(): void;
}

/** Opens the stream with node:http (no buffering in between) and parses its lines as they come. */
function openStream(query: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${exporter.baseUrl}/feed/stream?${query}`, { headers, agent: false }, (res) => {
      const lines: any[] = [];
      const waiters: { predicate: (m: any) => boolean; resolve: (m: any) => void }[] = [];
      let body = '';
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (res.statusCode !== 200) {
          body += chunk;
          return;
        }
        rest += chunk;
        let nl: number;
        while ((nl = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          if (!line) continue;
          const message = JSON.parse(line);
          lines.push(message);
          for (const w of [...waiters])
            if (w.predicate(message)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(message);
            }
        }
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        lines,
        get body() {
          return body;
        },
        ended,
        close: () => req.destroy(),
        next(predicate, timeoutMs = 10_000) {
          const seen = lines.find(predicate);
          if (seen) return Promise.resolve(seen);
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error('timed out waiting for a stream line')), timeoutMs);
            waiters.push({ predicate, resolve: (m) => (clearTimeout(timer), ok(m)) });
          });
        },
      } as Stream);
    });
    req.on('error', reject);
  });
}

/** The body of a raw chunked HTTP/1.1 response (the stream has no length). */
function dechunk(raw: string): string {
  let rest = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  let body = '';
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return body;
    body += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test('the stream carries the same snapshot, updates and seq as the WebSocket, one JSON message a line', async () => {
  expect((await postEvents(exporter, [orderEvent('s-1', 'new')])).status).toBe(200);
  const ws = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
  ws.send({ op: 'subscribe', channel: 'orders', filter: { engine: 'feedtest' } });
  const stream = await openStream('channel=orders&engine=feedtest', bearer(exporter.viewerToken));
  try {
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const [wsSnap, streamSnap] = await Promise.all([
      ws.next((m) => m.type === 'snapshot'),
      stream.next((m) => m.type === 'snapshot'),
    ]);
    expect(streamSnap).toEqual(wsSnap);
    expect(streamSnap.rows.map((r: { order_id: string }) => r.order_id)).toContain('s-1');

    expect((await postEvents(exporter, [orderEvent('s-2', 'new'), orderEvent('s-1', 'filled')])).status).toBe(
      200,
    );
    const isMine = (m: any) => m.type === 'update' && m.upserts.some((r: any) => r.order_id === 's-2');
    const [wsUpdate, streamUpdate] = await Promise.all([ws.next(isMine), stream.next(isMine)]);
    expect(streamUpdate).toEqual(wsUpdate);
    expect(streamUpdate.seq).toBe(streamSnap.seq + 1);
    expect(streamUpdate.removes).toEqual([{ engine: 'feedtest', order_id: 's-1' }]);
  } finally {
    ws.close();
    stream.close();
  }
});

test('several subscriptions on one stream (subscribe=, with sub ids), each with its own snapshot', async () => {
  const a = encodeURIComponent(
    JSON.stringify({ channel: 'orders', filter: { symbol: 'btc/usd' }, sub: 'a' }),
  );
  const b = encodeURIComponent(JSON.stringify({ channel: 'orders', filter: { engine: 'nobody' }, sub: 'b' }));
  const stream = await openStream(
    `subscribe=${a}&subscribe=${b}&channel=status`,
    bearer(exporter.viewerToken),
  );
  try {
    const snapA = await stream.next((m) => m.type === 'snapshot' && m.sub === 'a');
    const snapB = await stream.next((m) => m.type === 'snapshot' && m.sub === 'b');
    await stream.next((m) => m.type === 'snapshot' && m.channel === 'status');
    expect(snapA.rows.length).toBeGreaterThan(0);
    expect(snapB.rows).toEqual([]);
  } finally {
    stream.close();
  }
});

test('the same gate as the upgrade: token, role, origin; a Grafana proxy (no Origin, bearer) is let in', async () => {
  const cases: [string, Record<string, string>, number][] = [
    ['viewer bearer, no Origin (what a proxy sends)', bearer(exporter.viewerToken), 200],
    ['viewer bearer from an allowed origin', { ...bearer(exporter.viewerToken), Origin: GRAFANA }, 200],
    ['no token', {}, 401],
    ['an unknown token', bearer('not-a-real-token-000000'), 401],
    ['an ingest token', bearer(exporter.ingestToken), 403],
    ['a foreign origin', { ...bearer(exporter.viewerToken), Origin: 'https://evil.example' }, 403],
  ];
  const results: [string, number, string][] = [];
  for (const [name, headers] of cases) {
    const s = await openStream('channel=orders', headers);
    results.push([name, s.status, s.status === 200 ? '' : JSON.parse(s.body).error]);
    s.close();
  }
  expect(results.map(([n, st]) => [n, st])).toEqual(cases.map(([n, , st]) => [n, st]));
  expect(results[4][2]).toMatch(/viewer token/);
  expect(results[5][2]).toMatch(/TRADEWATCH_ALLOWED_ORIGINS/);
  expect(exporter.output()).not.toContain(exporter.viewerToken);
});

test('a bad query is refused with 400 naming the parameter or field', async () => {
  const cases: [string, RegExp][] = [
    ['', /name at least one channel/],
    ['channel=trades', /channel must be one of orders, fills, positions, alerts, status/],
    ['channel=orders&venue=x', /unknown query parameter "venue"/],
    ['engine=e1', /name one with channel=/],
    ['channel=orders&engine=a&engine=b', /engine must be given once/],
    ['channel=orders&channel=orders', /asked for twice/],
    ['subscribe=%7Bnot json', /subscribe: not valid JSON/],
    [`subscribe=${encodeURIComponent('{"channel":"orders","filter":{"venue":"x"}}')}`, /filter.*venue/],
    [`channel=orders&engine=${'e'.repeat(129)}`, /filter.engine: must be at most 128 characters/],
    [
      Array.from(
        { length: 21 },
        (_, i) => `subscribe=${encodeURIComponent(JSON.stringify({ channel: 'orders', sub: `s${i}` }))}`,
      ).join('&'),
      /at most 20 subscriptions/,
    ],
  ];
  for (const [query, error] of cases) {
    const s = await openStream(query, bearer(exporter.viewerToken));
    expect([query, s.status]).toEqual([query, 400]);
    await s.ended;
    expect(JSON.parse(s.body).error).toMatch(error);
  }
});

test('a stream client that stops reading is ended with 4002 once it owes more than the cap, and a reading one stays live', async () => {
  // 4,000 active orders of ~1.3 KB: a snapshot of about 5 MB, more than the kernel's socket
  // buffers take, so most of it stays unsent in the exporter, past the 512 KiB cap.
  const reason = 'r'.repeat(1000);
  for (let b = 0; b < 16; b++) {
    const batch = [];
    for (let i = 0; i < 250; i++) batch.push(orderEvent(`slow-${b}-${i}`, 'new', { reason }));
    expect((await postEvents(exporter, batch)).status).toBe(200);
  }
  const reader = await openStream('channel=orders', bearer(exporter.viewerToken));
  // A raw socket that sends the request and does not read the answer.
  const hostile = netConnect(exporter.port, '127.0.0.1');
  hostile.pause();
  let received = '';
  const hostileClosed = new Promise<void>((resolve) => hostile.on('close', () => resolve()));
  hostile.on('data', (d: Buffer) => (received += d.toString('latin1')));
  hostile.write(
    `GET /feed/stream?channel=orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${exporter.viewerToken}\r\n\r\n`,
  );
  try {
    await reader.next((m) => m.type === 'snapshot', 30_000);
    // The next update finds the hostile stream past the cap: the server ends it.
    const ended = /feed stream ended by the server: too slow/;
    for (let n = 0; n < 100 && !ended.test(exporter.output()); n++) {
      expect(
        (await postEvents(exporter, [orderEvent(`slow-0-${n}`, 'partially_filled', { reason })])).status,
      ).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(exporter.output()).toMatch(ended);
    // Read now: after what was sent comes the line that says why, and the end.
    hostile.resume();
    await hostileClosed;
    const lines = dechunk(received).trimEnd().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toEqual({
      type: 'close',
      code: 4002,
      reason: 'too slow: the client stopped reading',
    });
    // The reader is live: a new order reaches it.
    expect((await postEvents(exporter, [orderEvent('after-slow', 'new')])).status).toBe(200);
    await reader.next((m) => m.type === 'update' && m.upserts.some((r: any) => r.order_id === 'after-slow'));
  } finally {
    hostile.destroy();
    reader.close();
  }
});

test('a stream counts as a feed client and leaves no subscription behind when it goes', async () => {
  const metric = async () => {
    const text = await (await fetch(`${exporter.baseUrl}/metrics`)).text();
    return Number(/^tradewatch_feed_clients (\S+)$/m.exec(text)?.[1]);
  };
  const before = await metric();
  const s = await openStream('channel=orders', bearer(exporter.viewerToken));
  await s.next((m) => m.type === 'snapshot');
  expect(await metric()).toBe(before + 1);
  s.close();
  const deadline = Date.now() + 5000;
  while ((await metric()) !== before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(await metric()).toBe(before);
});
