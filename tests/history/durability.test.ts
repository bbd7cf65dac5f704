/**
 * The history follows the journal: every acknowledged fill reaches the store exactly once,
 * across kill -9 (SQLite), across a PostgreSQL outage while the exporter runs, and across
 * both at once (the store down, the exporter killed, then the store back): the restart
 * catches up from the journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { DemoEngine } from '../../exporter/src/sources/demo';
import { pgProxy as proxyTo } from '../support/pg-proxy';
import { postEvents, scrape, startExporter, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(120_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const START = Date.parse('2026-03-09T00:00:00Z');
const ENV = {
  TRADEWATCH_SOURCE: 'none',
  TRADEWATCH_INGEST_TOKENS: 'it:ingest-history-token-0001',
  TRADEWATCH_VIEWER_TOKENS: 'v:viewer-history-token-0001',
  // Small, so that snapshots fall due while the store is down (they must wait for it).
  TRADEWATCH_SNAPSHOT_EVERY: '200',
  TRADEWATCH_INGEST_RATE_LIMIT: '1000000',
};

/** Deterministic batches, every event with an id (a retry is harmless). */
function stream(engine: string, seed: number, batches: number): Record<string, unknown>[][] {
  const demo = new DemoEngine(seed, engine);
  return Array.from({ length: batches }, (_, b) =>
    (demo.next(START + b * 30_000) as Record<string, unknown>[]).map((e, i) => ({
      ...e,
      id: `${engine}-${b}-${i}`,
    })),
  );
}
const fillIds = (batch: Record<string, unknown>[]) =>
  batch.filter((e) => e.type === 'fill').map((e) => `${String(e.engine)}/${String(e.fill_id)}`);

/** Fill identities in a PostgreSQL schema (with repeats, if any). */
async function pgFills(schema: string): Promise<string[]> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const r = await c.query<{ k: string }>(`SELECT engine || '/' || fill_id AS k FROM "${schema}".fills`);
    return r.rows.map((row) => row.k);
  } catch {
    return []; // the schema is not there yet
  } finally {
    await c.end();
  }
}

function sqliteFills(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'history.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT engine || '/' || fill_id AS k FROM fills").all() as { k: string }[]).map(
      (r) => r.k,
    );
  } finally {
    db.close();
  }
}

/** Every acknowledged fill is stored, none twice, and nothing that was never sent. */
function expectExactlyOnce(stored: string[], acked: Set<string>, sent: Set<string>): void {
  expect(stored.length).toBe(new Set(stored).size);
  expect([...acked].filter((k) => !stored.includes(k))).toEqual([]);
  expect(stored.filter((k) => !sent.has(k))).toEqual([]);
}

/** Posts batches one after the other until `stop()` says so; returns the fills of acknowledged batches. */
async function post(
  ex: RunningExporter,
  batches: Record<string, unknown>[][],
  stop: (acked: number) => boolean = () => false,
): Promise<{ acked: Set<string>; batches: number }> {
  const acked = new Set<string>();
  let n = 0;
  for (const batch of batches) {
    if (stop(n)) break;
    try {
      const r = await postEvents(ex, batch);
      if (r.status !== 200) break;
    } catch {
      break; // the process died under the request
    }
    n += 1;
    for (const k of fillIds(batch)) acked.add(k);
  }
  return { acked, batches: n };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('SQLite: kill -9 in the middle of a stream, then every acknowledged fill is in the store exactly once', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-history-kill9-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const batches = stream('k9', 7, 300);
  const sent = new Set(batches.flatMap(fillIds));
  const first = await startExporter({ dataDir, env: ENV });
  cleanups.push(() => first.stop({ keepData: true }));
  let killed = false;
  const posting = post(first, batches, (n) => {
    if (n === 150 && !killed) {
      killed = true;
      void first.kill();
    }
    return false;
  });
  const { acked, batches: n } = await posting;
  expect(n).toBeGreaterThanOrEqual(150);
  expect(n).toBeLessThan(batches.length); // it really died in the middle
  expect(acked.size).toBeGreaterThan(10);

  const second = await startExporter({ dataDir, env: ENV });
  cleanups.push(() => second.stop({ keepData: true }));
  await waitFor('every acknowledged fill in SQLite', async () => {
    const stored = sqliteFills(dataDir);
    return [...acked].every((k) => stored.includes(k));
  });
  expectExactlyOnce(sqliteFills(dataDir), acked, sent);
});

test('PostgreSQL down while the exporter runs: ingest goes on, and the store catches up when it is back', async () => {
  const proxy = await proxyTo(PG_URL);
  cleanups.push(() => proxy.close());
  const schema = `tw_dur_${process.pid}_a`;
  cleanups.push(() => dropSchema(schema));
  const batches = stream('pgdown', 11, 120);
  const sent = new Set(batches.flatMap(fillIds));
  const ex = await startExporter({
    env: { ...ENV, TRADEWATCH_HISTORY_URL: proxy.url, TRADEWATCH_HISTORY_SCHEMA: schema },
  });
  cleanups.push(() => ex.stop());
  const before = await post(ex, batches.slice(0, 40));
  await waitFor(
    'the first fills in PostgreSQL',
    async () => (await pgFills(schema)).length >= before.acked.size,
  );

  proxy.setDown(true);
  const during = await post(ex, batches.slice(40, 100));
  expect(during.batches).toBe(60); // the store being down never refuses or stalls ingest
  await waitFor('the writer to notice the outage', async () =>
    ex.output().includes('cannot write to the store'),
  );
  // Snapshots are not put off (the journal keeps what the history lacks beside them).
  expect(ex.output()).not.toContain('snapshot put off');
  const up = async () => (await scrape(ex.baseUrl)).get('tradewatch_history_store_up');
  expect(await up()).toBe(0);

  proxy.setDown(false);
  const after = await post(ex, batches.slice(100));
  const acked = new Set([...before.acked, ...during.acked, ...after.acked]);
  await waitFor(
    'every acknowledged fill in PostgreSQL',
    async () => {
      const stored = await pgFills(schema);
      return [...acked].every((k) => stored.includes(k));
    },
    30_000,
  );
  expectExactlyOnce(await pgFills(schema), acked, sent);
  expect(await up()).toBe(1);
  expect((await scrape(ex.baseUrl)).get('tradewatch_history_rows_queued')).toBe(0);
});

test('PostgreSQL down and the exporter killed: the restart catches up from the journal', async () => {
  const proxy = await proxyTo(PG_URL);
  cleanups.push(() => proxy.close());
  const schema = `tw_dur_${process.pid}_b`;
  cleanups.push(() => dropSchema(schema));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-history-pgkill-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...ENV, TRADEWATCH_HISTORY_URL: proxy.url, TRADEWATCH_HISTORY_SCHEMA: schema };
  const batches = stream('pgkill', 13, 100);
  const sent = new Set(batches.flatMap(fillIds));

  proxy.setDown(true);
  const first = await startExporter({ dataDir, env });
  cleanups.push(() => first.stop({ keepData: true }));
  const { acked } = await post(first, batches);
  expect(acked.size).toBeGreaterThan(10);
  await first.kill();
  expect(await pgFills(schema)).toEqual([]);

  proxy.setDown(false);
  const second = await startExporter({ dataDir, env });
  cleanups.push(() => second.stop({ keepData: true }));
  await waitFor(
    'every acknowledged fill in PostgreSQL',
    async () => {
      const stored = await pgFills(schema);
      return [...acked].every((k) => stored.includes(k));
    },
    30_000,
  );
  expectExactlyOnce(await pgFills(schema), acked, sent);
});

async function dropSchema(schema: string): Promise<void> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
}
