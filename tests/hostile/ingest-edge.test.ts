/**
 * POST /api/v1/events as it is answered before express (issue 23): the bounds of its body
 * (stop reading at the limit; a client that sends slowly or never holds no one else), the
 * compressed bodies and charsets express.text read, and the headers every answer carries.
 */
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { postEvents, scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';

jest.setTimeout(30_000);

const LIMIT = 4096;
const TS = '2026-03-02T10:00:00Z';
const mark = (symbol: string) => ({ type: 'mark', ts: TS, engine: 'edge', symbol, price: '100' });

let ex: RunningExporter;
beforeAll(async () => {
  ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_MAX_BODY_BYTES: String(LIMIT),
    },
  });
});
afterAll(async () => {
  await ex?.stop();
});

/** A raw socket that has sent `head` (and no more); `answer` is all it read until the exporter closed it. */
function rawRequest(head: string): { socket: Socket; answer: Promise<string> } {
  const socket = connect({ host: '127.0.0.1', port: ex.port });
  socket.write(head);
  let read = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (read += chunk));
  const answer = new Promise<string>((resolve) => socket.on('close', () => resolve(read)));
  socket.on('error', () => {}); // the exporter closing a socket still sending is the point
  return { socket, answer };
}

const headers = (more: string) =>
  `POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ex.ingestToken}\r\nContent-Type: application/json\r\n${more}\r\n`;

const rejected = async (reason: string) =>
  sumOf(await scrape(ex.baseUrl), 'tradewatch_events_rejected_total', { reason });

describe('the body is bounded', () => {
  it('a chunked body past the limit is answered 413 while the client still sends, and the socket closed', async () => {
    const before = await rejected('too_large');
    const { socket, answer } = rawRequest(headers('Transfer-Encoding: chunked\r\n'));
    const chunk = 'x'.repeat(LIMIT + 1);
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`); // and never the last chunk
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/larger than the limit of 4096 bytes \(TRADEWATCH_MAX_BODY_BYTES\)/);
    expect(await rejected('too_large')).toBe(before + 1);
  }, 10_000);

  it('a declared length past the limit is answered 413 before a byte of the body is read', async () => {
    const { answer } = rawRequest(headers('Content-Length: 1000000000\r\n'));
    expect(await answer).toMatch(/^HTTP\/1\.1 413 /);
  }, 10_000);

  it('a client that sends half a body and stops holds no other client', async () => {
    const { socket } = rawRequest(headers('Content-Length: 1000\r\nExpect: 100-continue\r\n'));
    // node answers 100 Continue as it hands the request on: from then on the route holds it.
    await new Promise<void>((resolve) => socket.on('data', (c: string) => c.includes(' 100 ') && resolve()));
    socket.write('[{"type":"mark",');
    try {
      const started = Date.now();
      const r = await postEvents(ex, [mark('HALF/USD')]);
      expect(r.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      socket.destroy();
    }
  }, 10_000);
});

describe('what express.text read, read the same', () => {
  const post = (body: Buffer | string, more: Record<string, string>) =>
    fetch(`${ex.baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ex.ingestToken}`, 'Content-Type': 'application/json', ...more },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('a gzip body is inflated and applied; one that inflates past the limit is 413', async () => {
    const ok = await post(gzipSync(JSON.stringify([mark('GZ/USD')])), { 'Content-Encoding': 'gzip' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ accepted: 1, applied: 1 });
    const bomb = gzipSync(JSON.stringify([{ ...mark('GZ/USD'), pad: ' '.repeat(100 * LIMIT) }]));
    expect(bomb.length).toBeLessThan(LIMIT);
    const big = await post(bomb, { 'Content-Encoding': 'gzip' });
    expect(big.status).toBe(413);
    const broken = await post(Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' });
    expect(broken.status).toBe(400);
  });

  it('an unknown content encoding or charset is 415, named', async () => {
    const before = await rejected('unsupported_media_type');
    const enc = await post('[]', { 'Content-Encoding': 'compress' });
    expect(enc.status).toBe(415);
    expect((await enc.json()).error).toBe('unsupported content encoding "compress"');
    const cs = await post('[]', { 'Content-Type': 'application/json; charset=klingon' });
    expect(cs.status).toBe(415);
    expect((await cs.json()).error).toBe('unsupported charset "KLINGON"');
    expect(await rejected('unsupported_media_type')).toBe(before + 2);
  });

  it('a latin1 body is decoded as latin1', async () => {
    const body = Buffer.from(JSON.stringify([{ ...mark('LAT/USD'), engine: 'café' }]), 'latin1');
    const r = await post(body, { 'Content-Type': 'application/json; charset=ISO-8859-1' });
    expect(r.status).toBe(200);
    expect(sumOf(await scrape(ex.baseUrl), 'trading_events_total', { engine: 'café' })).toBe(1);
  });

  it('a UTF-8 body that starts with a byte order mark (as some Windows tools write) is read without it', async () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify([{ ...mark('BOM/USD'), engine: 'bom' }])),
    ]);
    const r = await post(body, { 'Content-Type': 'application/json' });
    expect(r.status).toBe(200);
    expect(sumOf(await scrape(ex.baseUrl), 'trading_events_total', { engine: 'bom' })).toBe(1);
  });
});

describe('every answer of the route', () => {
  it('carries the security headers and JSON, accepted or refused', async () => {
    const accepted = await fetch(`${ex.baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ex.ingestToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([mark('HDR/USD')]),
    });
    const refused = await fetch(`${ex.baseUrl}/api/v1/events`, { method: 'POST', body: '[]' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="tradewatch"');
    for (const res of [accepted, refused]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });

  it('is found as express found it: any case, one trailing slash; other methods still go to express', async () => {
    const upper = await fetch(`${ex.baseUrl}/API/V1/Events/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ex.ingestToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([mark('CASE/USD')]),
    });
    expect(upper.status).toBe(200);
    const get = await fetch(`${ex.baseUrl}/api/v1/events`, {
      headers: { Authorization: `Bearer ${ex.viewerToken}` },
    });
    expect(get.status).toBe(404);
  });
});

describe('open ingest (TRADEWATCH_ALLOW_ANONYMOUS_INGEST)', () => {
  let open: RunningExporter;
  beforeAll(async () => {
    open = await startExporter({
      env: {
        TRADEWATCH_SOURCE: 'none',
        TRADEWATCH_LOG_LEVEL: 'warn',
        TRADEWATCH_ALLOW_ANONYMOUS_INGEST: 'true',
        TRADEWATCH_INGEST_RATE_LIMIT: '2', // a burst of 4 events
      },
    });
  });
  afterAll(async () => {
    await open?.stop();
  });

  it('needs no token, and holds "anonymous" to the ingest rate: 429 with Retry-After, nothing applied', async () => {
    // Over the burst at once: a batch is charged once applied, so the next one must wait.
    const batch = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((c) => mark(`${c}/USD`));
    const first = await postEvents(open, batch, { token: null });
    expect(first.status).toBe(200);
    const over = await fetch(`${open.baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([mark('Z/USD')]),
    });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('1');
    expect((await over.json()).error).toMatch(
      /token "anonymous" is over its ingest rate of 2 events\/s \(TRADEWATCH_INGEST_RATE_LIMIT\)/,
    );
    const samples = await scrape(open.baseUrl);
    expect(sumOf(samples, 'trading_events_total', { engine: 'edge' })).toBe(8);
    expect(sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'rate_limited' })).toBe(1);
  });
});
