/**
 * The exporter as a hostile or careless client meets it, over real HTTP (issue 10): each
 * case asserts the answer (status and message), that nothing of a refused batch is applied,
 * and that the process stays alive and /healthz answers within 1 s throughout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CLI,
  freePort,
  postEvents,
  scrape,
  startExporter,
  sumOf,
  type RunningExporter,
} from '../support/exporter';

jest.setTimeout(30_000);

const T = Date.parse('2026-03-02T10:00:00Z');
const NS = 1_772_445_600_000_000_000;

/** /healthz answers within 1 s (the event loop is not blocked). */
async function healthyWithinOneSecond(x: RunningExporter): Promise<void> {
  const started = Date.now();
  const res = await fetch(`${x.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
  expect(res.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(1000);
}

/** Polls /healthz every 100 ms while `work` runs; returns the slowest answer in ms. */
async function slowestHealthWhile<T>(
  x: RunningExporter,
  work: Promise<T>,
): Promise<{ result: T; slowestMs: number }> {
  let done = false;
  let slowestMs = 0;
  const poll = (async () => {
    while (!done) {
      const started = Date.now();
      try {
        await fetch(`${x.baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
      } catch {
        slowestMs = Math.max(slowestMs, 5000);
      }
      slowestMs = Math.max(slowestMs, Date.now() - started);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const result = await work;
  done = true;
  await poll;
  return { result, slowestMs };
}

/** Resident memory of the exporter process (Linux). */
function rssBytes(x: RunningExporter): number {
  const status = readFileSync(`/proc/${x.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

async function state(x: RunningExporter): Promise<unknown> {
  const res = await fetch(`${x.baseUrl}/api/v1/state`, {
    headers: { Authorization: `Bearer ${x.viewerToken}` },
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('hostile ingest against the real exporter', () => {
  let x: RunningExporter;
  beforeAll(async () => {
    x = await startExporter({
      env: {
        TRADEWATCH_SOURCE: 'none',
        TRADEWATCH_JOURNAL_FSYNC: 'never',
        TRADEWATCH_INGEST_RATE_LIMIT: '20000',
      },
    });
    const ok = await postEvents(x, [
      { type: 'balance', ts: T, engine: 'e1', balances: { USD: 1000 } },
      { type: 'mark', ts: T, engine: 'e1', symbol: 'BTC/USD', price: 100 },
    ]);
    expect(ok.status).toBe(200);
  }, 30_000);
  afterAll(async () => x.stop());

  it('a time in epoch nanoseconds is refused (400 naming the field and the range), nothing of its batch applied, and a restart is clean', async () => {
    const before = await state(x);
    const r = await postEvents(x, [
      { type: 'balance', ts: T + 1, engine: 'e1', balances: { USD: 5 } },
      { type: 'mark', ts: NS, engine: 'e1', symbol: 'BTC/USD', price: 1 },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.problems[0]).toMatchObject({ index: 1, field: 'ts' });
    expect(r.body.problems[0].reason).toMatch(
      /between 2000-01-01T00:00:00Z and 24 h after the exporter's clock/,
    );
    expect(r.body.problems[0].reason).toMatch(/looks like epoch nanoseconds/);
    const inMicros = await postEvents(x, [
      { type: 'mark', ts: T * 1000, engine: 'e1', symbol: 'BTC/USD', price: 1 },
    ]);
    expect(inMicros.status).toBe(400);
    expect(inMicros.body.problems[0].reason).toMatch(/epoch microseconds/);
    const created = await postEvents(x, [
      { type: 'balance', ts: T + 1, engine: 'e1', balances: { USD: 5 } },
      { type: 'mark', ts: T + 1, engine: 'e1', symbol: 'BTC/USD', price: 1 },
      {
        type: 'order',
        ts: T + 1,
        engine: 'e1',
        order_id: 'o',
        symbol: 'BTC/USD',
        side: 'buy',
        order_type: 'limit',
        status: 'new',
        quantity: 1,
        created_at: '9999-01-01T00:00:00Z',
      },
    ]);
    expect(created.status).toBe(400);
    expect(created.body.problems[0]).toMatchObject({ index: 2, field: 'created_at' });
    expect(await state(x)).toEqual(before);
    await healthyWithinOneSecond(x);
    const samples = await scrape(x.baseUrl);
    expect(sumOf(samples, 'trading_equity', { engine: 'e1' })).toBe(1000);
  });

  it('a batch that would add one engine, component or symbol too many is refused whole with 422 naming the setting, and counted', async () => {
    const rejectedBefore = sumOf(await scrape(x.baseUrl), 'tradewatch_events_rejected_total', {
      reason: 'cardinality_limit',
    });
    const before = await state(x);
    const engines = Array.from({ length: 101 }, (_, i) => ({
      type: 'mark',
      ts: T,
      engine: `eng-${i}`,
      symbol: 'BTC/USD',
      price: 1,
    }));
    const r = await postEvents(x, engines);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/TRADEWATCH_MAX_ENGINES/);
    const components = Array.from({ length: 501 }, (_, i) => ({
      type: 'health',
      ts: T,
      engine: 'e1',
      component: `c-${i}`,
      status: 'ok',
    }));
    const c = await postEvents(x, components);
    expect(c.status).toBe(422);
    expect(c.body.error).toMatch(/TRADEWATCH_MAX_COMPONENTS/);
    expect(c.body.problems[0]).toMatchObject({ index: 500, field: 'component' });
    expect(await state(x)).toEqual(before);
    const after = sumOf(await scrape(x.baseUrl), 'tradewatch_events_rejected_total', {
      reason: 'cardinality_limit',
    });
    expect(after - rejectedBefore).toBe(101 + 501);
    await healthyWithinOneSecond(x);
  });

  it('a large batch of distinct names (500 components, the cap; 2,500 unmarked symbols) is linear: /healthz stays under 1 s', async () => {
    const components = Array.from({ length: 500 }, (_, i) => ({
      type: 'health',
      ts: T,
      engine: 'names',
      component: `c-${i}`,
      status: i % 2 ? 'ok' : 'degraded',
    }));
    const fills = Array.from({ length: 2500 }, (_, i) => ({
      type: 'fill',
      ts: T + i,
      engine: 'names',
      fill_id: `f-${i}`,
      order_id: `o-${i}`,
      symbol: `S${i}/USD`,
      side: 'buy',
      price: 1,
      quantity: 1,
    }));
    const { result, slowestMs } = await slowestHealthWhile(
      x,
      (async () => [await postEvents(x, components), await postEvents(x, fills)])(),
    );
    expect(result.map((r) => r.status)).toEqual([200, 200]);
    expect(slowestMs).toBeLessThan(1000);
    const samples = await scrape(x.baseUrl);
    expect(sumOf(samples, 'trading_fills_total', { engine: 'names' })).toBe(2500);
    await healthyWithinOneSecond(x);
    // Bounded memory: the whole exporter stays under 400 MB with this state (about 150 MB measured).
    expect(rssBytes(x)).toBeLessThan(400 * 1024 * 1024);
  }, 60_000);

  it('a refused batch costs no ingest rate; a fill repeated under a new event id is a duplicate; ?format=constructor is a 400', async () => {
    const huge = '[' + Array.from({ length: 200_000 }, (_, i) => i).join(',') + ']';
    const refused = await postEvents(x, huge);
    expect(refused.status).toBe(400);
    const next = await postEvents(x, [
      { type: 'mark', ts: T + 5, engine: 'e1', symbol: 'BTC/USD', price: 100 },
    ]);
    expect(next.status).toBe(200);

    const fill = {
      type: 'fill',
      ts: T + 6,
      engine: 'e1',
      fill_id: 'dup-1',
      order_id: 'o-dup',
      symbol: 'BTC/USD',
      side: 'buy',
      price: 100,
      quantity: 0.01,
    };
    expect((await postEvents(x, [{ ...fill, id: 'a' }])).body).toMatchObject({ applied: 1, duplicates: 0 });
    const eventsBefore = sumOf(await scrape(x.baseUrl), 'trading_events_total', {
      engine: 'e1',
      type: 'fill',
    });
    expect((await postEvents(x, [{ ...fill, id: 'b' }])).body).toMatchObject({ applied: 0, duplicates: 1 });
    expect(sumOf(await scrape(x.baseUrl), 'trading_events_total', { engine: 'e1', type: 'fill' })).toBe(
      eventsBefore,
    );

    const odd = await postEvents(x, [fill], { query: '?format=constructor' });
    expect(odd.status).toBe(400);
    expect(odd.body.error).toMatch(/unknown format "constructor"; known: tradewatch, galfriday/);
  });

  it('pages carry a CSP, X-Frame-Options and X-Content-Type-Options', async () => {
    for (const page of ['/', '/blotter/']) {
      const res = await fetch(`${x.baseUrl}${page}`);
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('start-up: one exporter per data dir, and errors that name the setting', () => {
  const serve = (env: Record<string, string>) =>
    spawnSync(process.execPath, [CLI, 'serve'], {
      env: { PATH: process.env.PATH, TRADEWATCH_SOURCE: 'none', TRADEWATCH_HOST: '127.0.0.1', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('a second exporter on a data dir refuses to start naming the dir and the holder; after kill -9 the lock is taken over', async () => {
    const first = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
    try {
      const second = serve({ TRADEWATCH_DATA_DIR: first.dataDir, TRADEWATCH_PORT: String(await freePort()) });
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(
        `the data dir ${first.dataDir} is in use by another tradewatch exporter (pid ${first.process.pid}`,
      );
      const ok = await postEvents(first, [{ type: 'mark', ts: T, symbol: 'BTC/USD', price: 1, id: 'kept' }]);
      expect(ok.status).toBe(200);
      // A poison time is never journaled, so the restart below cannot crash-loop on it.
      expect((await postEvents(first, [{ type: 'mark', ts: NS, symbol: 'BTC/USD', price: 1 }])).status).toBe(
        400,
      );
      await first.kill();
      const again = await startExporter({ dataDir: first.dataDir, env: { TRADEWATCH_SOURCE: 'none' } });
      const samples = await scrape(again.baseUrl);
      expect(sumOf(samples, 'trading_events_total', { type: 'mark' })).toBe(1);
      expect(sumOf(samples, 'trading_equity')).toBeGreaterThanOrEqual(0);
      await state(again);
      await again.stop();
    } finally {
      await first.stop();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a data dir that is a file, a damaged tokens.json, a missing TLS file and a foreign host each stop the start with exit 2, naming the setting or file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-start-'));
    try {
      const file = path.join(dir, 'not-a-dir');
      writeFileSync(file, 'x');
      const asFile = serve({ TRADEWATCH_DATA_DIR: file, TRADEWATCH_PORT: '0' });
      expect(asFile.status).toBe(2);
      expect(asFile.stderr).toContain(`TRADEWATCH_DATA_DIR=${file}`);

      const tokensDir = path.join(dir, 'tokens');
      spawnSync('mkdir', ['-p', tokensDir]);
      writeFileSync(path.join(tokensDir, 'tokens.json'), '{"ingest": "abc');
      const damaged = serve({
        TRADEWATCH_DATA_DIR: tokensDir,
        TRADEWATCH_PORT: '0',
        TRADEWATCH_INGEST_TOKENS: '',
        TRADEWATCH_VIEWER_TOKENS: '',
      });
      expect(damaged.status).toBe(2);
      expect(damaged.stderr).toContain(
        `the generated tokens file ${path.join(tokensDir, 'tokens.json')} cannot be read`,
      );

      const tls = serve({
        TRADEWATCH_DATA_DIR: path.join(dir, 'tls'),
        TRADEWATCH_PORT: '0',
        TRADEWATCH_TLS_CERT: path.join(dir, 'missing-cert.pem'),
        TRADEWATCH_TLS_KEY: path.join(dir, 'missing-key.pem'),
      });
      expect(tls.status).toBe(2);
      expect(tls.stderr).toContain('TRADEWATCH_TLS_CERT=');
      expect(tls.stderr).toContain('missing-cert.pem');

      const host = serve({
        TRADEWATCH_DATA_DIR: path.join(dir, 'host'),
        TRADEWATCH_PORT: '0',
        TRADEWATCH_HOST: '203.0.113.7',
      });
      expect(host.status).toBe(2);
      expect(host.stderr).toContain('TRADEWATCH_HOST=203.0.113.7 cannot be listened on');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
