/**
 * bench/history/writer-cpu: the CPU the SQLite write worker spends a history row (issue 23
 * (d): that thread competes with the exporter's main thread on a 2-core machine). The rows
 * are the real ones: the (a) workload's 1,000-event order/fill batches through the state's
 * Store, addRows and toCellBatch (400 fills and 200 closed orders a batch, as
 * bench/history/post.bench.ts makes them). Each variant writes them, in batches of ~600 or
 * ~3,000 rows (one transaction each, as the worker does), into a fresh file made by the
 * store's migrations, until it holds BENCH_ROWS rows (500k: beyond what a bench run reaches).
 * CPU time of this thread (/proc/thread-self/schedstat, kernel time included) around each
 * write only: it moves far less with the load of this shared machine than wall time does, but
 * it still moves, so the variants write in lockstep: batch by batch in turns (who goes first
 * rotates), each into its own fresh file, every round; `before` is the writer as it
 * was before this bench (kept here), `now` is sqlite-write.ts's openWriter; the others are
 * `before` with the changes their names say (page16k, withoutRowid, noEngineTimeIndex: a
 * file made otherwise than by the migrations, measured as proposals). Prints, per batch size
 * and variant, the median over rounds of the CPU µs a row (all rows, and the last fifth of
 * them: the biggest file), and its ratio to `before` of the same round.
 * Run: npx tsx bench/history/writer-cpu.bench.ts   (BENCH_ROUNDS 3, BENCH_ROWS 500000,
 * BENCH_VARIANTS=before,now,… to pick some)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { validateBatch } from '../../exporter/src/events/validate';
import { addRows, JournalPlaces } from '../../exporter/src/history/rows';
import { insertSql, migrations } from '../../exporter/src/history/sql';
import { dialect } from '../../exporter/src/history/sqlite-read';
import {
  openWriter,
  toCellBatch,
  type CellBatch,
  type SqliteWriter,
} from '../../exporter/src/history/sqlite-write';
import { emptyBatch } from '../../exporter/src/history/store';
import { HISTORY_TABLES, TABLES, type Cell, type HistoryTable } from '../../exporter/src/history/tables';
import { Store } from '../../exporter/src/state/store';
import { orderFillBatch } from '../ingest/workload';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROWS = Number(process.env.BENCH_ROWS ?? 500_000);
const BATCH_SIZES = [600, 3000];

/** The rows of the workload's batches (600 each), enough for ROWS. */
function workloadCells(): CellBatch[] {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const out: CellBatch[] = [];
  const places = new JournalPlaces();
  let seq = 0;
  let rows = 0;
  store.onChanges((changes) => {
    const batch = emptyBatch();
    rows += addRows(batch, changes, (r) => places.place(r, seq));
    out.push(toCellBatch(batch));
  });
  for (; rows < ROWS; seq++) {
    const r = validateBatch(orderFillBatch(seq, 1000));
    if (!r.ok) throw new Error('the workload does not validate');
    store.apply(r.events, Date.parse('2026-03-02T00:00:00Z'));
  }
  return out;
}

/** The same rows in batches of about `size` (whole workload batches joined). */
function rebatch(batches: CellBatch[], size: number): CellBatch[] {
  const out: CellBatch[] = [];
  let cur: CellBatch | null = null;
  let n = 0;
  for (const b of batches) {
    cur ??= { fills: [], orders: [], round_trips: [], alerts: [] };
    for (const name of HISTORY_TABLES) for (const row of b[name]) cur[name].push(row);
    n += b.fills.length + b.orders.length + b.round_trips.length + b.alerts.length;
    if (n >= size) {
      out.push(cur);
      cur = null;
      n = 0;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * How a fresh file is made: by the store's migrations, or (`layout`, proposals measured, not
 * made: each would need a migration) with one change to them.
 */
type Layout = 'migrations' | 'page16k' | 'withoutRowid' | 'noEngineTimeIndex';

/** A fresh file with the store's tables, as SqliteHistory's migrate makes them (or per `layout`). */
function freshFile(dir: string, name: string, layout: Layout): string {
  const file = path.join(dir, `${name}.sqlite`);
  const db = new Database(file);
  if (layout === 'page16k') db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  for (const m of migrations(dialect))
    for (const s of m.statements) {
      if (layout === 'noEngineTimeIndex' && s.includes('_engine_time')) continue;
      db.exec(layout === 'withoutRowid' && s.startsWith('CREATE TABLE') ? `${s} WITHOUT ROWID` : s);
    }
  db.close();
  return file;
}

interface Options {
  /** PRAGMA cache_size (negative: KiB). */
  cacheSize?: number;
  mmapSize?: number;
  walAutocheckpoint?: number;
  /** Rows a multi-row INSERT takes (the rest one by one). */
  chunk?: number;
  /** run(row) instead of run(...row). */
  noSpread?: boolean;
  /** A multi-row statement run with its cells spread as arguments, not as one array. */
  spreadChunk?: boolean;
  /** INSERT OR ROLLBACK: a refused row rolls the transaction back, no statement journal. */
  orRollback?: boolean;
}

/** The writer as it was before this bench (sqlite-write.ts at fc34eee), with one change each. */
function variantWriter(file: string, o: Options): SqliteWriter {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  if (o.cacheSize !== undefined) db.pragma(`cache_size = ${o.cacheSize}`);
  if (o.mmapSize !== undefined) db.pragma(`mmap_size = ${o.mmapSize}`);
  if (o.walAutocheckpoint !== undefined) db.pragma(`wal_autocheckpoint = ${o.walAutocheckpoint}`);
  const writeTable = (name: HistoryTable): ((rows: Cell[][]) => void) => {
    const sql = (rows: number) => insertSql(dialect, name, rows, { orRollback: o.orRollback });
    const one = db.prepare(sql(1));
    const chunk = o.chunk;
    if (chunk === undefined) {
      if (o.noSpread) return (rows) => rows.forEach((row) => one.run(row));
      return (rows) => rows.forEach((row) => one.run(...row));
    }
    const many = db.prepare(sql(chunk));
    const width = TABLES[name].columns.length;
    const args: Cell[] = new Array<Cell>(chunk * width);
    return (rows) => {
      let i = 0;
      for (; i + chunk <= rows.length; i += chunk) {
        let k = 0;
        for (let r = i; r < i + chunk; r++) for (const cell of rows[r]) args[k++] = cell;
        if (o.spreadChunk) many.run(...args);
        else many.run(args);
      }
      for (; i < rows.length; i++) one.run(...rows[i]);
    };
  };
  const writers = Object.fromEntries(HISTORY_TABLES.map((n) => [n, writeTable(n)])) as Record<
    HistoryTable,
    (rows: Cell[][]) => void
  >;
  const write = db.transaction((cells: CellBatch) => {
    for (const name of HISTORY_TABLES) writers[name](cells[name]);
  });
  // sync: the bench measures the writes' CPU, not the snapshot's WAL sync.
  return { write: (cells) => write(cells), prune: () => 0, sync: () => undefined, close: () => db.close() };
}

interface Variant {
  open(file: string): SqliteWriter;
  layout?: Layout;
}

const VARIANTS: Record<string, Variant> = {
  before: { open: (f) => variantWriter(f, {}) },
  now: { open: (f) => openWriter(f) },
  cache64m: { open: (f) => variantWriter(f, { cacheSize: -65_536 }) },
  mmap256m: { open: (f) => variantWriter(f, { mmapSize: 256 * 1024 * 1024 }) },
  ckpt10k: { open: (f) => variantWriter(f, { walAutocheckpoint: 10_000 }) },
  nospread: { open: (f) => variantWriter(f, { noSpread: true }) },
  multi25: { open: (f) => variantWriter(f, { chunk: 25 }) },
  multi50: { open: (f) => variantWriter(f, { chunk: 50 }) },
  multi100: { open: (f) => variantWriter(f, { chunk: 100 }) },
  multi200: { open: (f) => variantWriter(f, { chunk: 200 }) },
  multi100ckpt4k: { open: (f) => variantWriter(f, { chunk: 100, walAutocheckpoint: 4000 }) },
  multi100ckpt10k: { open: (f) => variantWriter(f, { chunk: 100, walAutocheckpoint: 10_000 }) },
  multi100ckpt20k: { open: (f) => variantWriter(f, { chunk: 100, walAutocheckpoint: 20_000 }) },
  nowSpread: { open: (f) => variantWriter(f, { chunk: 100, walAutocheckpoint: 4000, spreadChunk: true }) },
  // openWriter with SQLite's own checkpoints (every 1,000 WAL pages).
  ckpt1k: { open: (f) => variantWriter(f, { chunk: 100, spreadChunk: true, orRollback: true }) },
  nowOrRollback: {
    open: (f) =>
      variantWriter(f, { chunk: 100, walAutocheckpoint: 4000, spreadChunk: true, orRollback: true }),
  },
  // Proposals (a file made otherwise than by the migrations), with `before`'s writer.
  page16k: { open: (f) => variantWriter(f, {}), layout: 'page16k' },
  withoutRowid: { open: (f) => variantWriter(f, {}), layout: 'withoutRowid' },
  noEngineTimeIndex: { open: (f) => variantWriter(f, {}), layout: 'noEngineTimeIndex' },
};

/**
 * CPU µs this thread has run (kernel time included), from the scheduler's ns count: unlike
 * process.cpuUsage it leaves out V8's helper threads (concurrent marking of this bench's own
 * heap of rows), which the write worker would not pay for these rows.
 */
const threadCpuUs = (): number =>
  Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;

const rowsOf = (b: CellBatch): number =>
  b.fills.length + b.orders.length + b.round_trips.length + b.alerts.length;

/** CPU µs and rows a variant wrote: all of them and those past 4/5 of ROWS (the biggest file). */
interface Tally {
  cpu: number;
  rows: number;
  lastCpu: number;
  lastRows: number;
}

/**
 * One round: each variant writes the batches into a fresh file of its own, batch by batch in
 * turns (who goes first rotates), so that every variant meets the same load of the machine.
 */
function lockstep(dir: string, names: string[], batches: CellBatch[], round: number): Record<string, Tally> {
  const runs = names.map((name) => {
    const file = freshFile(dir, `${name}-${batches.length}-${round}`, VARIANTS[name].layout ?? 'migrations');
    return {
      name,
      file,
      writer: VARIANTS[name].open(file),
      tally: { cpu: 0, rows: 0, lastCpu: 0, lastRows: 0 },
    };
  });
  let written = 0;
  batches.forEach((batch, i) => {
    const n = rowsOf(batch);
    for (let k = 0; k < runs.length; k++) {
      const { writer, tally } = runs[(i + round + k) % runs.length];
      const t = threadCpuUs();
      writer.write(batch);
      const cpu = threadCpuUs() - t;
      tally.cpu += cpu;
      tally.rows += n;
      if (written >= ROWS * 0.8) {
        tally.lastCpu += cpu;
        tally.lastRows += n;
      }
    }
    written += n;
  });
  for (const { writer, file } of runs) {
    writer.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  }
  return Object.fromEntries(runs.map((r) => [r.name, r.tally]));
}

function main(): void {
  const load = [loadavg()[0].toFixed(2)];
  const picked = process.env.BENCH_VARIANTS?.split(',') ?? Object.keys(VARIANTS);
  if (!picked.includes('before')) picked.unshift('before');
  const base = workloadCells();
  console.error(`${base.length} workload batches made; writing`);
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-writer-cpu-'));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const r3 = (x: number) => +x.toFixed(3);
  const result: Record<string, unknown> = {};
  try {
    for (const size of BATCH_SIZES) {
      const batches = rebatch(base, size);
      const per: Record<string, { us: number[]; lastUs: number[]; ratio: number[]; lastRatio: number[] }> =
        {};
      for (let round = 0; round < ROUNDS; round++) {
        const got = lockstep(dir, picked, batches, round);
        const before = got.before;
        for (const name of picked) {
          const t = got[name];
          const p = (per[name] ??= { us: [], lastUs: [], ratio: [], lastRatio: [] });
          p.us.push(t.cpu / t.rows);
          p.lastUs.push(t.lastCpu / t.lastRows);
          p.ratio.push(t.cpu / t.rows / (before.cpu / before.rows));
          p.lastRatio.push(t.lastCpu / t.lastRows / (before.lastCpu / before.lastRows));
        }
        const line = Object.entries(per).map(
          ([name, p]) => `${name} ${r3(p.us[round])} (${r3(p.ratio[round])})`,
        );
        console.error(`batch ${size} round ${round}: µs a row (vs before) ${line.join(', ')}`);
      }
      result[`batch_${size}`] = {
        batches: batches.length,
        rows_per_batch: Math.round(rowsOf(batches[0])),
        ...Object.fromEntries(
          Object.entries(per).map(([name, p]) => [
            name,
            {
              us_per_row: r3(median(p.us)),
              vs_before: r3(median(p.ratio)),
              us_per_row_last_fifth: r3(median(p.lastUs)),
              vs_before_last_fifth: r3(median(p.lastRatio)),
            },
          ]),
        ),
      };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  load.push(loadavg()[0].toFixed(2));
  console.log(JSON.stringify({ rows: ROWS, rounds: ROUNDS, ...result, load1: load }, null, 1));
}

main();
