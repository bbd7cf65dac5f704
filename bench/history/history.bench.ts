/**
 * bench/history: what the trade history costs, and how fast it reads back.
 *
 * 1. Ingest: events/s through POST /api/v1/events of the real exporter (journal on, fsync
 *    batch) with the history off (the raw baseline), on SQLite and on PostgreSQL, the same
 *    batches, posted one after the other as fast as they are answered (the sustained load);
 *    plus the lag: how long after the last 2xx the store held every fill. BENCH_ROUNDS
 *    rounds (default 3), each measuring every variant in turn, each in a process of its own;
 *    medians, and the ratios against the same round's history-off run. With
 *    BENCH_BEFORE_CLI=<another build's exporter/dist/cli/main.js> each round measures that
 *    build too (before/after in one run).
 * 2. Read: 100,000 fills in one UTC day (among 300,000 over three days), read back by the
 *    day's time range a page (10,000, the API's maximum) at a time through the store, against
 *    one plain SELECT of the same rows (the raw baseline), for SQLite and PostgreSQL.
 *
 * Run: npm run build -w exporter && npx tsx bench/history/history.bench.ts
 * (BENCH_PART=ingest|read for one part; BENCH_STORES=postgres or sqlite for one store;
 * TRADEWATCH_TEST_PG_URL for another server.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { postEvents, startExporter, waitFor } from '../../tests/support/exporter';
import { orderFillBatch } from '../ingest/workload';
import { PostgresHistory } from '../../exporter/dist/history/postgres';
import { SqliteHistory } from '../../exporter/dist/history/sqlite';
import { emptyBatch, type Cursor, type HistoryStore } from '../../exporter/dist/history/store';
import type { FillRecord } from '../../exporter/dist/state/changes';

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PART = process.env.BENCH_PART ?? 'all';
const BATCH = 1000;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BEFORE_CLI = process.env.BENCH_BEFORE_CLI;

const makeBatch = (b: number) =>
  orderFillBatch(b, BATCH, { symbols: 50, strategies: ['alpha', 'beta'], stepMs: 10 });

async function pg<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

type Kind = 'off' | 'sqlite' | 'postgres';
interface IngestRun {
  eventsPerSecond: number;
  /** From the last 2xx until the store held every fill (ms); null with the history off. */
  lagMs: number | null;
}

async function ingest(kind: Kind): Promise<IngestRun> {
  const schema = `tw_bench_${process.pid}`;
  const env: Record<string, string> = {
    TRADEWATCH_SOURCE: 'none',
    TRADEWATCH_LOG_LEVEL: 'warn',
    TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
  };
  if (kind === 'off') env.TRADEWATCH_HISTORY = 'false';
  if (kind === 'postgres')
    Object.assign(env, { TRADEWATCH_HISTORY_URL: PG_URL, TRADEWATCH_HISTORY_SCHEMA: schema });
  const ex = await startExporter({ env });
  let pgPoll: Client | undefined;
  let sqliteDb: Database.Database | undefined;
  let sqliteCount: Database.Statement | undefined;
  const fills = (bodies: unknown[][]) =>
    bodies.flat().filter((e) => (e as { type: string }).type === 'fill').length;
  try {
    const batches = Array.from({ length: BATCHES }, (_, b) => makeBatch(b));
    const bodies = batches.map((b) => JSON.stringify(b));
    const warm = makeBatch(BATCHES + 1);
    await postEvents(ex, warm);
    // The lag's poll on a connection opened beforehand (opening one per poll would be part of the lag).
    if (kind === 'postgres') {
      pgPoll = new Client({ connectionString: PG_URL });
      await pgPoll.connect();
    }
    if (kind === 'sqlite') {
      sqliteDb = new Database(path.join(ex.dataDir, 'history.sqlite'), { readonly: true });
      sqliteCount = sqliteDb.prepare('SELECT count(*) AS n FROM fills');
    }
    const t = performance.now();
    for (const body of bodies) {
      const r = await postEvents(ex, body);
      if (r.status !== 200) throw new Error(`ingest answered ${r.status}`);
    }
    const lastAck = performance.now();
    const eventsPerSecond = (BATCHES * BATCH) / ((lastAck - t) / 1000);
    const expected = fills(batches) + fills([warm]);
    let lagMs: number | null = null;
    if (kind !== 'off') {
      const count =
        kind === 'sqlite'
          ? () => Promise.resolve((sqliteCount?.get() as { n: number }).n)
          : async () =>
              Number((await pgPoll?.query(`SELECT count(*) AS n FROM "${schema}".fills`))?.rows[0].n);
      await waitFor('every fill in the store', async () => (await count()) >= expected, 120_000, 20);
      lagMs = Math.round(performance.now() - lastAck);
    }
    return { eventsPerSecond: Math.round(eventsPerSecond), lagMs };
  } finally {
    await pgPoll?.end();
    sqliteDb?.close();
    await ex.stop();
    if (kind === 'postgres') await pg((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  }
}

const DAY = Date.parse('2026-03-02T00:00:00Z');
const PER_DAY = 100_000;

function fillAt(i: number): FillRecord {
  const day = Math.floor(i / PER_DAY) - 1; // days −1, 0 (the one read), +1
  return {
    engine: i % 3 === 0 ? 'e2' : 'e1',
    fill_id: `f${i}`,
    order_id: `o${Math.floor(i / 2)}`,
    symbol: `S${i % 50}/USD`,
    side: i % 2 ? 'sell' : 'buy',
    price: 100 + (i % 97),
    quantity: 0.25,
    fee: 0.01,
    strategy: i % 2 ? 'alpha' : 'beta',
    tsMs: DAY + day * 86_400_000 + Math.floor(((i % PER_DAY) * 86_400_000) / PER_DAY),
    realized_pnl: (i % 7) - 3,
  };
}

async function read(kind: 'sqlite' | 'postgres'): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-bench-history-'));
  const schema = `tw_bench_read_${process.pid}`;
  const file = path.join(dir, 'history.sqlite');
  const store: HistoryStore =
    kind === 'sqlite' ? new SqliteHistory(file) : new PostgresHistory({ url: PG_URL, schema });
  try {
    const tw = performance.now();
    for (let start = 0; start < 3 * PER_DAY; start += 10_000) {
      const batch = emptyBatch();
      for (let i = start; i < start + 10_000; i++) batch.fills.push(fillAt(i));
      await store.write(batch);
    }
    const writeMs = performance.now() - tw;
    const from = DAY;
    const to = DAY + 86_400_000 - 1;
    // Twice each (the first warms caches); the second is reported.
    let pagedMs = 0;
    let rows = 0;
    for (let run = 0; run < 2; run++) {
      rows = 0;
      const t = performance.now();
      let after: Cursor | undefined;
      for (;;) {
        const page = await store.read('fills', { from, to, limit: 10_000, after });
        rows += page.rows.length;
        if (!page.next) break;
        after = page.next;
      }
      pagedMs = performance.now() - t;
    }
    if (rows !== PER_DAY) throw new Error(`read ${rows} rows, expected ${PER_DAY}`);
    let rawMs = 0;
    for (let run = 0; run < 2; run++) {
      const t = performance.now();
      if (kind === 'sqlite') {
        const db = new Database(file, { readonly: true });
        const n = db.prepare('SELECT * FROM fills WHERE ts BETWEEN ? AND ? ORDER BY ts').all(from, to).length;
        db.close();
        if (n !== PER_DAY) throw new Error('raw read');
      } else {
        await pg(async (c) => {
          const r = await c.query(`SELECT * FROM "${schema}".fills WHERE ts BETWEEN $1 AND $2 ORDER BY ts`, [
            new Date(from),
            new Date(to),
          ]);
          if (r.rows.length !== PER_DAY) throw new Error('raw read');
        });
      }
      rawMs = performance.now() - t;
    }
    return {
      write_300k_fills_ms: Math.round(writeMs),
      read_one_day_100k_paged_ms: Math.round(pagedMs),
      raw_select_one_day_ms: Math.round(rawMs),
      ratio_vs_raw: +(pagedMs / rawMs).toFixed(2),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (kind === 'postgres') await pg((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  }
}

/** One ingest run in a process of its own (so that a build named by TRADEWATCH_TEST_CLI is the one started). */
function ingestApart(kind: Kind, cli?: string): IngestRun {
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), __filename], {
    env: { ...process.env, BENCH_ONE: kind, ...(cli ? { TRADEWATCH_TEST_CLI: cli } : {}) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as IngestRun;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Every variant in turn, ROUNDS times; medians, and ratios to the same round's history-off run. */
async function ingestRounds(): Promise<Record<string, unknown>> {
  const variants: [string, Kind, string | undefined][] = [
    ['off', 'off', undefined],
    ['sqlite', 'sqlite', undefined],
    ['postgres', 'postgres', undefined],
  ];
  // Several builds, comma separated: sqlite_before, postgres_before, then *_before2, …
  for (const [i, cli] of (BEFORE_CLI?.split(',') ?? []).entries()) {
    const tag = i === 0 ? 'before' : `before${i + 1}`;
    variants.push([`sqlite_${tag}`, 'sqlite', cli], [`postgres_${tag}`, 'postgres', cli]);
  }
  // BENCH_STORES=postgres (or sqlite): only that store's variants beside the history-off baseline.
  const stores = process.env.BENCH_STORES?.split(',');
  if (stores)
    variants.splice(
      0,
      variants.length,
      ...variants.filter(([, kind]) => kind === 'off' || stores.includes(kind)),
    );
  const runs = new Map<string, IngestRun[]>(variants.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, kind, cli] of variants) {
      const run = ingestApart(kind, cli);
      (runs.get(name) as IngestRun[]).push(run);
      console.error(`round ${round + 1}: ${name} ${JSON.stringify(run)} load1 ${loadavg()[0].toFixed(2)}`);
    }
  const off = runs.get('off') as IngestRun[];
  const out: Record<string, unknown> = { batch_events: BATCH, batches: BATCHES, rounds: ROUNDS };
  for (const [name] of variants) {
    const r = runs.get(name) as IngestRun[];
    out[name] = {
      events_per_s: median(r.map((x) => x.eventsPerSecond)),
      ...(name === 'off'
        ? {}
        : {
            ratio_to_off: +median(r.map((x, i) => x.eventsPerSecond / off[i].eventsPerSecond)).toFixed(3),
            lag_after_last_2xx_ms: median(r.map((x) => x.lagMs ?? NaN)),
            lag_max_ms: Math.max(...r.map((x) => x.lagMs ?? NaN)),
          }),
    };
  }
  return out;
}

async function main(): Promise<void> {
  const load = [loadavg()[0].toFixed(2)];
  const out: Record<string, unknown> = {};
  if (PART !== 'read') {
    out.ingest = await ingestRounds();
    load.push(loadavg()[0].toFixed(2));
  }
  if (PART !== 'ingest') out.read = { sqlite: await read('sqlite'), postgres: await read('postgres') };
  load.push(loadavg()[0].toFixed(2));
  console.log(JSON.stringify({ ...out, load1: load }, null, 2));
}

const one = process.env.BENCH_ONE as Kind | undefined;
(one ? ingest(one).then((r) => console.log(JSON.stringify(r))) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
