/**
 * bench/history/ab: issue 23 (d) for several builds in one run: events/s of 1,000-event
 * batches posted one after the other (the (a) workload and its lean client) with the history
 * off (the raw baseline) and on (SQLite) for each build, the variants taking turns round by
 * round, each a fresh exporter; per round the ratio of each history-on run to that round's
 * history-off run, and the lag from the last 2xx until the store holds every fill.
 * BENCH_CLIS=name=<build>/exporter/dist/cli/main.js,… adds builds beside this worktree's
 * (`now`); the history-off baseline runs this worktree's build.
 * Also the CPU ms per batch of the exporter's main thread and of all its threads (/proc): CPU
 * time hardly moves with the load, events/s on this shared machine do.
 * Run: npm run build && npx tsx bench/history/ab.bench.ts   (BENCH_ROUNDS 5, BENCH_BATCHES 200)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI, startExporter, waitFor } from '../../tests/support/exporter';
import { postAll } from '../ingest/transport';
import { orderFillBatch } from '../ingest/workload';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const BATCH = 1000;

interface Variant {
  name: string;
  cli: string;
  history: boolean;
}

const variants: Variant[] = [
  { name: 'off', cli: CLI, history: false },
  { name: 'now', cli: CLI, history: true },
  ...(process.env.BENCH_CLIS?.split(',') ?? []).map((spec) => {
    const [name, cli] = spec.split('=');
    return { name, cli: path.resolve(cli), history: true };
  }),
];

interface Run {
  rate: number;
  lagMs: number | null;
  /** CPU ms per batch of the exporter's main thread (the event loop) and of all its threads. */
  mainCpuMs: number;
  allCpuMs: number;
}

/**
 * CPU ms a thread (or, without `tid`, the whole process) has used, from /proc (utime + stime):
 * CPU time, unlike events/s, hardly moves with the machine's load.
 */
function cpuMs(pid: number, tid?: number): number {
  const stat = readFileSync(
    tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`,
    'utf8',
  );
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are the 14th and 15th fields; the 3rd (state) is fields[0] here.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One run in a process of its own: tests/support/exporter starts the build TRADEWATCH_TEST_CLI names. */
function runApart(v: Variant, round: number): Run {
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), __filename], {
    env: {
      ...process.env,
      BENCH_ONE: JSON.stringify({ history: v.history, round }),
      TRADEWATCH_TEST_CLI: v.cli,
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as Run;
}

async function run(history: boolean, round: number): Promise<Run> {
  const ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
      TRADEWATCH_HISTORY: String(history),
    },
  });
  try {
    const events = Array.from({ length: BATCHES }, (_, b) => orderFillBatch(round * BATCHES + b, BATCH));
    const bodies = events.map((e) => Buffer.from(JSON.stringify(e)));
    const warmUp = Buffer.from(JSON.stringify(orderFillBatch(round, BATCH, { engine: 'warm-up' })));
    const pid = ex.process.pid as number;
    const [main0, all0] = [cpuMs(pid, pid), cpuMs(pid)];
    const rate = await postAll(new URL(`${ex.baseUrl}/api/v1/events`), bodies, BATCH, {
      headers: { Authorization: `Bearer ${ex.ingestToken}` },
      warmUp,
    });
    const lastAck = performance.now();
    const cpu = {
      mainCpuMs: (cpuMs(pid, pid) - main0) / BATCHES,
      allCpuMs: (cpuMs(pid) - all0) / BATCHES,
    };
    if (!history) return { rate, lagMs: null, ...cpu };
    const expected = events.flat().filter((e) => e.type === 'fill').length;
    const db = new Database(path.join(ex.dataDir, 'history.sqlite'), { readonly: true });
    try {
      const count = db.prepare("SELECT count(*) AS n FROM fills WHERE engine = 'bench'");
      await waitFor(
        'every fill in the store',
        async () => (count.get() as { n: number }).n >= expected,
        120_000,
        5,
      );
    } finally {
      db.close();
    }
    const lagMs = performance.now() - lastAck;
    // The writer's CPU for the burst, to its last row (the worker's included).
    return { rate, lagMs, ...cpu, allCpuMs: (cpuMs(pid) - all0) / BATCHES };
  } finally {
    await ex.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const loadBefore = loadavg()[0].toFixed(2);
  const runs = new Map<string, Run[]>(variants.map((v) => [v.name, []]));
  const ratios = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const got = new Map<string, Run>();
    // Alternate the order too, so that neither build always runs first after the baseline.
    const order = round % 2 ? [variants[0], ...variants.slice(1).reverse()] : variants;
    for (const v of order) got.set(v.name, runApart(v, round));
    const off = got.get('off')?.rate ?? NaN;
    for (const [name, r] of got) {
      runs.get(name)?.push(r);
      ratios.get(name)?.push(r.rate / off);
    }
    console.error(
      `round ${round + 1}: ${[...got]
        .map(
          ([n, r]) =>
            `${n} ${r.rate.toFixed(0)}/s main ${r.mainCpuMs.toFixed(2)} ms/batch${r.lagMs === null ? '' : ` lag ${r.lagMs.toFixed(0)} ms`}`,
        )
        .join(', ')}; load ${loadavg()[0].toFixed(2)}`,
    );
  }
  const off = runs.get('off') ?? [];
  const offMain = median(off.map((r) => r.mainCpuMs));
  const offAll = median(off.map((r) => r.allCpuMs));
  const rows = variants.map((v) => {
    const r = runs.get(v.name) ?? [];
    const main = median(r.map((x) => x.mainCpuMs));
    const all = median(r.map((x) => x.allCpuMs));
    return {
      variant: v.name,
      events_per_s: Math.round(median(r.map((x) => x.rate))),
      rate_vs_off: v.history ? +median(ratios.get(v.name) ?? []).toFixed(3) : null,
      main_cpu_ms_batch: +main.toFixed(2),
      main_vs_off: +(main / offMain).toFixed(3),
      all_cpu_ms_batch: +all.toFixed(2),
      all_vs_off: +(all / offAll).toFixed(3),
      lag_ms: v.history ? Math.round(median(r.map((x) => x.lagMs ?? NaN))) : null,
    };
  });
  console.log(`${ROUNDS} rounds of ${BATCHES} x ${BATCH} events; medians`);
  console.table(rows);
  console.log(`load average (1 min): before ${loadBefore}, after ${loadavg()[0].toFixed(2)}`);
}

const one = process.env.BENCH_ONE;
if (one) {
  const { history, round } = JSON.parse(one) as { history: boolean; round: number };
  void run(history, round).then((r) => console.log(JSON.stringify(r)));
} else void main();
