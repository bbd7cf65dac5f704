/**
 * A PostgreSQL outage longer than the writer's memory (TRADEWATCH_HISTORY_MAX_PENDING, small
 * here): rows past it are let go and derived again from the journal once the store is back,
 * with or without a restart in between; every acknowledged fill ends in the store exactly
 * once. Meanwhile snapshots keep being taken, the journal keeps what the history lacks and
 * lets it go after, and a failing store is retried with backoff whatever the queue's length.
 * Prints the figures docs/history.md and docs/durability.md quote (catch-up rate, journal growth).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { pgProxy } from '../support/pg-proxy';
import { postEvents, scrape, startExporter, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(180_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const START = Date.parse('2026-03-09T00:00:00Z');
const MAX_PENDING = 500;
const FILLS_PER_BATCH = 40;
/** Batches posted during the outage (60 rows each); raise it to measure (TW_CATCHUP_BATCHES=2000). */
const OUTAGE = Number(process.env.TW_CATCHUP_BATCHES ?? 150);
const ENV = {
  TRADEWATCH_SOURCE: 'none',
  TRADEWATCH_INGEST_TOKENS: 'it:ingest-catchup-token-0001',
  TRADEWATCH_VIEWER_TOKENS: 'v:viewer-catchup-token-0001',
  TRADEWATCH_SNAPSHOT_EVERY: '400',
  TRADEWATCH_INGEST_RATE_LIMIT: '1000000',
  TRADEWATCH_HISTORY_MAX_PENDING: String(MAX_PENDING),
};

/** Batches of fills that open and close positions (each sell closes a round trip: 60 rows a batch). */
function batches(engine: string, count: number, first = 0): Record<string, unknown>[][] {
  return Array.from({ length: count }, (_, k) => {
    const b = first + k;
    return Array.from({ length: FILLS_PER_BATCH }, (_, i) => ({
      type: 'fill',
      id: `${engine}-${b}-${i}`,
      ts: START + b * 60_000 + i * 10,
      engine,
      fill_id: `${b}-${i}`,
      order_id: `o${b}-${i}`,
      symbol: 'BTC/USD',
      side: i % 2 === 0 ? 'buy' : 'sell',
      price: String(100 + ((b * 7 + i) % 13)),
      quantity: '1',
      fee: '0.01',
    }));
  });
}

async function post(
  ex: RunningExporter,
  list: Record<string, unknown>[][],
  acked: Set<string>,
): Promise<void> {
  for (const batch of list) {
    const r = await postEvents(ex, batch);
    expect(r.status).toBe(200);
    for (const e of batch) acked.add(`${String(e.engine)}/${String(e.fill_id)}`);
  }
}

async function pgFills(schema: string): Promise<string[]> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const r = await c.query<{ k: string }>(`SELECT engine || '/' || fill_id AS k FROM "${schema}".fills`);
    return r.rows.map((row) => row.k);
  } catch {
    return [];
  } finally {
    await c.end();
  }
}

async function dropSchema(schema: string): Promise<void> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
}

const journalBytes = (dataDir: string) => {
  const dir = path.join(dataDir, 'journal');
  return readdirSync(dir)
    .filter((f) => f.startsWith('segment-'))
    .reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
};
const count = (text: string, what: string) => text.split(what).length - 1;

async function everyFillOnce(schema: string, acked: Set<string>): Promise<number> {
  const t0 = Date.now();
  await waitFor(
    'every acknowledged fill in PostgreSQL',
    async () => {
      const stored = new Set(await pgFills(schema));
      return stored.size >= acked.size && [...acked].every((k) => stored.has(k));
    },
    90_000,
    250,
  );
  const stored = await pgFills(schema);
  expect(stored.length).toBe(new Set(stored).size);
  expect(stored.filter((k) => !acked.has(k))).toEqual([]);
  return (Date.now() - t0) / 1000;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('an outage past TRADEWATCH_HISTORY_MAX_PENDING while the exporter runs: every fill stored once when the store is back', async () => {
  const proxy = await pgProxy(PG_URL);
  cleanups.push(() => proxy.close());
  const schema = `tw_catchup_${process.pid}_a`;
  cleanups.push(() => dropSchema(schema));
  const ex = await startExporter({
    env: { ...ENV, TRADEWATCH_HISTORY_URL: proxy.url, TRADEWATCH_HISTORY_SCHEMA: schema },
  });
  cleanups.push(() => ex.stop());
  const acked = new Set<string>();
  await post(ex, batches('run', 5), acked);
  await waitFor('the first fills in PostgreSQL', async () => (await pgFills(schema)).length === acked.size);

  proxy.setDown(true);
  const journalBefore = journalBytes(ex.dataDir);
  const snapshotsBefore = count(ex.output(), 'journal: snapshot written');
  const outageStart = Date.now();
  await post(ex, batches('run', OUTAGE, 5), acked); // 9,000 rows: 18 times what memory may hold
  const outageSeconds = (Date.now() - outageStart) / 1000;
  const during = await scrape(ex.baseUrl);
  expect(during.get('tradewatch_history_store_up')).toBe(0);
  expect(during.get('tradewatch_history_rows_queued')).toBeLessThanOrEqual(MAX_PENDING);
  expect(ex.output()).toContain('derived from the journal again');
  // Snapshots keep being taken (the start after this stays short) …
  expect(count(ex.output(), 'journal: snapshot written')).toBeGreaterThan(snapshotsBefore);
  // … and the store is retried with backoff (250 ms doubling), not once per ingest batch.
  const failures = during.get('tradewatch_history_write_failures_total') ?? 0;
  expect(failures).toBeLessThanOrEqual(2 * (Math.log2((outageSeconds * 1000) / 250) + 2) + 4);
  const journalDuring = journalBytes(ex.dataDir);

  proxy.setDown(false);
  const t0 = Date.now();
  await post(ex, batches('run', 5, OUTAGE + 5), acked);
  const seconds = await everyFillOnce(schema, acked);
  const after = await scrape(ex.baseUrl);
  expect(after.get('tradewatch_history_store_up')).toBe(1);
  await waitFor(
    'the catch-up to end',
    async () => (await scrape(ex.baseUrl)).get('tradewatch_history_catching_up') === 0,
  );
  expect((await scrape(ex.baseUrl)).get('tradewatch_history_rows_queued')).toBe(0);
  // Once caught up, the next snapshots let the journal go again.
  await post(ex, batches('run', 30, OUTAGE + 10), acked);
  await waitFor('the journal compacted', async () => journalBytes(ex.dataDir) < journalDuring, 30_000);
  await everyFillOnce(schema, acked);
  process.stdout.write(
    `catch-up (no restart): ${acked.size} fills; outage ${outageSeconds.toFixed(1)} s, ${failures} failed writes; ` +
      `journal ${journalBefore} -> ${journalDuring} bytes during the outage; ` +
      `store complete ${((Date.now() - t0) / 1000).toFixed(1)} s after it came back (${seconds.toFixed(1)} s wait), ` +
      `caught up ${after.get('tradewatch_history_rows_caught_up_total')} rows\n`,
  );
});

test('an outage past TRADEWATCH_HISTORY_MAX_PENDING, kill -9, the store back, a restart: every fill stored once', async () => {
  const proxy = await pgProxy(PG_URL);
  cleanups.push(() => proxy.close());
  const schema = `tw_catchup_${process.pid}_b`;
  cleanups.push(() => dropSchema(schema));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-catchup-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...ENV, TRADEWATCH_HISTORY_URL: proxy.url, TRADEWATCH_HISTORY_SCHEMA: schema };
  const acked = new Set<string>();

  const first = await startExporter({ dataDir, env });
  cleanups.push(() => first.stop({ keepData: true }));
  await post(first, batches('k9', 5), acked);
  await waitFor('the first fills in PostgreSQL', async () => (await pgFills(schema)).length === acked.size);
  proxy.setDown(true);
  await post(first, batches('k9', OUTAGE, 5), acked);
  expect(first.output()).toContain('journal: snapshot written');
  await first.kill();

  proxy.setDown(false);
  const t0 = Date.now();
  const second = await startExporter({ dataDir, env });
  cleanups.push(() => second.stop({ keepData: true }));
  expect(second.output()).toContain('derived from the journal again');
  await post(second, batches('k9', 5, OUTAGE + 5), acked);
  await everyFillOnce(schema, acked);
  const rows = (await scrape(second.baseUrl)).get('tradewatch_history_rows_caught_up_total') ?? 0;
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(
    `catch-up (after kill -9): ${acked.size} fills stored ${seconds.toFixed(1)} s after the restart began; ${rows} rows derived from the journal (${(rows / seconds).toFixed(0)} rows/s)\n`,
  );
});
