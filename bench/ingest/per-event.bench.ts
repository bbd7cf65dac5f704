/**
 * bench/ingest/per-event: the CPU one event of a 1,000-event batch costs the ingest service
 * in-process, everything but HTTP: decode, validate, stage, journal record (DurableJournal,
 * fsync never: the sync is the disk's time, not CPU), the cardinality caps at their defaults, apply, and a listener doing what the
 * history writer does with the changes (rows, then each row's cells). The raw baseline is
 * JSON.parse of the same bodies, measured in the same round. With BENCH_OLD_SRC=<dir> (another
 * copy of exporter/src) the two versions take turns round by round in this one process, so
 * the machine's load falls on both alike; each is given as CPU µs/event and as a ratio.
 * BENCH_PART=apply measures the state's part alone: applying the batches, validated beforehand
 * by each version, to a fresh Store (BENCH_HISTORY=0: without the history listener).
 * Run with a collection before each round (without it the copy loaded first gained 4-8 %; with it
 * two identical builds gave 1.000 and 1.012 over 24 rounds, in either load order):
 *   NODE_OPTIONS=--expose-gc npx tsx bench/ingest/per-event.bench.ts   (BENCH_ROUNDS, BENCH_BATCHES, BENCH_OLD_SRC,
 * BENCH_PART, BENCH_HISTORY; BENCH_SRC=exporter/dist measures the build, as the exporter runs)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { orderFillBatch } from './workload';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 40);
const BATCH = 1000;
const NEW_SRC = path.resolve(process.env.BENCH_SRC ?? path.join(__dirname, '..', '..', 'exporter', 'src'));
const OLD_SRC = process.env.BENCH_OLD_SRC ? path.resolve(process.env.BENCH_OLD_SRC) : null;
const APPLY_ONLY = process.env.BENCH_PART === 'apply';
const HISTORY = process.env.BENCH_HISTORY !== '0';

type IngestorModule = typeof import('../../exporter/src/ingest/ingestor');
type JournalModule = typeof import('../../exporter/src/storage/journal');
type StoreModule = typeof import('../../exporter/src/state/store');
type RowsModule = typeof import('../../exporter/src/history/rows');
type HistoryStoreModule = typeof import('../../exporter/src/history/store');
type TablesModule = typeof import('../../exporter/src/history/tables');
type ValidateModule = typeof import('../../exporter/src/events/validate');
type ConfigModule = typeof import('../../exporter/src/config');
type Store = InstanceType<StoreModule['Store']>;

interface Version {
  name: string;
  Ingestor: IngestorModule['Ingestor'];
  DurableJournal: JournalModule['DurableJournal'];
  Store: StoreModule['Store'];
  addRows: RowsModule['addRows'];
  emptyBatch: HistoryStoreModule['emptyBatch'];
  tables: TablesModule;
  validateBatch: ValidateModule['validateBatch'];
  defaults: ConfigModule['defaults'];
}

async function load(name: string, src: string): Promise<Version> {
  const i = (await import(path.join(src, 'ingest/ingestor'))) as IngestorModule;
  const j = (await import(path.join(src, 'storage/journal'))) as JournalModule;
  const s = (await import(path.join(src, 'state/store'))) as StoreModule;
  const r = (await import(path.join(src, 'history/rows'))) as RowsModule;
  const h = (await import(path.join(src, 'history/store'))) as HistoryStoreModule;
  const t = (await import(path.join(src, 'history/tables'))) as TablesModule;
  const v = (await import(path.join(src, 'events/validate'))) as ValidateModule;
  const c = (await import(path.join(src, 'config'))) as ConfigModule;
  return {
    name,
    Ingestor: i.Ingestor,
    DurableJournal: j.DurableJournal,
    Store: s.Store,
    addRows: r.addRows,
    emptyBatch: h.emptyBatch,
    tables: t,
    validateBatch: v.validateBatch,
    defaults: c.defaults,
  };
}

/** A fresh state of version `v`, with the history's listener unless BENCH_HISTORY=0; `cells()` counts what it wrote. */
function freshStore(v: Version): { store: Store; cells: () => number } {
  const store = new v.Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  let cells = 0;
  if (HISTORY)
    store.onChanges((changes) => {
      const rows = v.emptyBatch();
      v.addRows(rows, changes, (r) => ({ ...r, journal_seq: 1, journal_pos: 0 }));
      for (const table of v.tables.HISTORY_TABLES)
        for (const row of rows[table] as object[])
          cells += (v.tables.TABLES[table].toCells as (r: object) => unknown[])(row).length;
    });
  return { store, cells: () => cells };
}

/** CPU µs per event of ingesting `bodies` into a fresh exporter state of version `v`. */
async function round(v: Version, bodies: readonly string[]): Promise<number> {
  if (APPLY_ONLY) return applyRound(v, bodies);
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-bench-per-event-'));
  try {
    const { store, cells } = freshStore(v);
    const log = pino({ level: 'silent' });
    const journal = await v.DurableJournal.open(store, {
      dir,
      fsync: 'never',
      snapshotEvery: 1e9,
      log,
      version: 'bench',
      lastSeen: new Map(),
    });
    // The cardinality caps on, at their defaults, as the exporter runs.
    const ingestor = new v.Ingestor(store, log, journal, new Map(), v.defaults().limits);
    const cpu = process.cpuUsage();
    for (const text of bodies) {
      const r = await ingestor.ingest({ text, ndjson: false }, 'bench');
      if (!r.ok) throw new Error(r.error);
    }
    const used = process.cpuUsage(cpu);
    await journal.close();
    if (HISTORY && cells() === 0) throw new Error('the history listener saw no rows');
    return (used.user + used.system) / (bodies.length * BATCH);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU µs per event of applying the validated batches (validated outside the measure). */
function applyRound(v: Version, bodies: readonly string[]): number {
  const batches = bodies.map((body) => {
    const r = v.validateBatch(JSON.parse(body) as unknown[]);
    if (!r.ok) throw new Error('the workload does not validate');
    return r.events;
  });
  const { store } = freshStore(v);
  const receivedAt = Date.parse('2026-03-02T00:00:00Z');
  const cpu = process.cpuUsage();
  for (const events of batches) store.apply(events, receivedAt);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (bodies.length * BATCH);
}

function parseRound(bodies: readonly string[]): number {
  const cpu = process.cpuUsage();
  for (const body of bodies) JSON.parse(body);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (bodies.length * BATCH);
}

/** With node --expose-gc, a full collection before each round so neither version pays for the other's garbage. */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const versions = [await load('new', NEW_SRC)];
  if (OLD_SRC) versions.push(await load('old', OLD_SRC));
  const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify(orderFillBatch(b, BATCH)));
  const load0 = loadavg()[0];
  for (const v of versions) await round(v, bodies); // warm-up (JIT)
  const us = new Map<string, number[]>(versions.map((v) => [v.name, []]));
  const parse: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? versions : [...versions].reverse();
    for (const v of order) {
      collect();
      us.get(v.name)?.push(await round(v, bodies));
    }
    parse.push(parseRound(bodies));
  }
  const p = median(parse);
  for (const v of versions) {
    const m = median(us.get(v.name) ?? []);
    console.log(
      `${v.name}: ${m.toFixed(2)} µs CPU/event (rounds ${(us.get(v.name) ?? []).map((x) => x.toFixed(2)).join(' ')}); ` +
        `${(m / p).toFixed(2)}x JSON.parse`,
    );
  }
  if (OLD_SRC) {
    const ratios = (us.get('new') ?? []).map((n, i) => n / (us.get('old') ?? [])[i]);
    console.log(
      `new/old per round: ${ratios.map((x) => x.toFixed(3)).join(' ')}; median ${median(ratios).toFixed(3)}`,
    );
  }
  console.log(
    `JSON.parse ${p.toFixed(2)} µs/event; ${BATCHES} batches of ${BATCH}, ${ROUNDS} rounds; load ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
