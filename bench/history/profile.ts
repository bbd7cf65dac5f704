/**
 * bench/history/profile: where the trade history's cost falls on the exporter's main thread
 * under issue 23's (a) workload (1,000-event batches posted one after the other). Runs the
 * built exporter with the history on and off under `--cpu-prof`, posts the same batches to
 * each, and prints for each the events/s, the samples of the history's own code (inclusive
 * time of frames in exporter/dist/history/), of posting to the write worker (postMessage:
 * the structured clone) and of GC, per 1,000-event batch. A profile, not a measurement of
 * speed: the profiler slows everything alike; ratios come from history.bench.ts/issue23.
 * Run: npm run build && npx tsx bench/history/profile.ts   (BENCH_BATCHES, default 300)
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { startExporter } from '../../tests/support/exporter';
import { postAll } from '../ingest/transport';
import { orderFillBatch } from '../ingest/workload';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 300);
const BATCH = 1000;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Sampled ms whose stack holds a frame `matches` picks (inclusive), and the top such frames by self ms. */
function inclusive(profile: CpuProfile, matches: (n: ProfileNode) => boolean): number {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hit = new Map<number, boolean>();
  const inside = (id: number): boolean => {
    const known = hit.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const p = parent.get(id);
    const v = (node !== undefined && matches(node)) || (p !== undefined && inside(p));
    hit.set(id, v);
    return v;
  };
  let us = 0;
  profile.samples.forEach((id, i) => {
    if (inside(id)) us += profile.timeDeltas[i] ?? 0;
  });
  return us / 1000;
}

async function run(history: boolean): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-prof-'));
  const ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
      TRADEWATCH_HISTORY: String(history),
    },
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'],
  });
  const bodies = Array.from({ length: BATCHES }, (_, b) =>
    Buffer.from(JSON.stringify(orderFillBatch(b, BATCH))),
  );
  const warmUp = Buffer.from(JSON.stringify(orderFillBatch(0, BATCH, { engine: 'warm-up' })));
  const rate = await postAll(new URL(`${ex.baseUrl}/api/v1/events`), bodies, BATCH, {
    headers: { Authorization: `Bearer ${ex.ingestToken}` },
    warmUp,
  });
  await ex.stop();
  // The main thread's profile is the largest (the workers write their own).
  const files = readdirSync(dir).map((f) => path.join(dir, f));
  const main = files.map((f) => ({ f, size: readFileSync(f).length })).sort((a, b) => b.size - a.size)[0].f;
  const profile = JSON.parse(readFileSync(main, 'utf8')) as CpuProfile;
  const per = (ms: number) => +(ms / (BATCHES + 1)).toFixed(3);
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
  const idle = inclusive(profile, (n) => n.callFrame.functionName === '(idle)');
  return {
    history: String(history),
    events_per_s: Math.round(rate),
    busy_ms_per_batch: per(total - idle),
    history_code_ms_per_batch: per(inclusive(profile, (n) => n.callFrame.url.includes('/dist/history/'))),
    post_message_ms_per_batch: per(inclusive(profile, (n) => n.callFrame.functionName === 'postMessage')),
    gc_ms_per_batch: per(inclusive(profile, (n) => n.callFrame.functionName === '(garbage collector)')),
    profile: main,
  };
}

async function main(): Promise<void> {
  const load = () => loadavg()[0].toFixed(2);
  const loadBefore = load();
  const rows = [];
  for (const history of [true, false, true, false]) rows.push(await run(history));
  console.table(rows);
  console.log(`load average (1 min): before ${loadBefore}, after ${load()}`);
}

void main();
