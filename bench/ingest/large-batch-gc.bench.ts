/**
 * bench/ingest/large-batch-gc: the garbage collector's pauses while the ingest service alone
 * (no HTTP, journal with fsync never) takes issue 23's 10 MB batch (43 k events), the build
 * under test against a baseline build, alternating run by run, each run a fresh process. The
 * pauses are measured in-process (perf_hooks 'gc' entries), which the machine's load moves
 * less than wall times (docs/events.md, "Large batches").
 * Run: npm run build && npx tsx bench/ingest/large-batch-gc.bench.ts [baseline-dist]
 *   baseline-dist: another build's exporter/dist (e.g. a copy of main's); without it the
 *   build is measured against itself. BENCH_REPS (default 6 each); BENCH_NODE_ARGS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { orderFillBatch } from './workload';

interface Run {
  applied: number;
  tookMs: number;
  scavenges: number;
  scavengeMs: number;
  longestScavengeMs: number;
  otherGcMs: number;
  longestGcMs: number;
  longestDelayMs: number;
  heapMB: number;
  /** Bytes the scavenges copied (survived in the young generation, or promoted), in MB. */
  copiedMB: number;
}

const REPS = Number(process.env.BENCH_REPS ?? 6);
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0);
const TESTED = path.resolve(__dirname, '../../exporter/dist');
const BASELINE = path.resolve(process.argv[2] ?? TESTED);
const CHILD = path.join(__dirname, 'large-batch-gc.child.mjs');

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A scavenge's work is the bytes it copies, which the machine's load does not move: V8's
 * `--trace-gc-nvp` prints them per GC (the child's start, reading the body, counts alike for both).
 */
function copiedMB(trace: string): number {
  let bytes = 0;
  for (const line of trace.split('\n')) {
    if (!line.includes('gc=s ')) continue;
    for (const field of ['promoted', 'new_space_survived'])
      bytes += Number(new RegExp(`\\b${field}=(\\d+)`).exec(line)?.[1] ?? 0);
  }
  return bytes / 1e6;
}

function measure(dist: string, bodyFile: string): Run {
  const out = execFileSync(process.execPath, ['--trace-gc-nvp', ...NODE_ARGS, CHILD, dist, bodyFile], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const run = JSON.parse(out.trim().split('\n').pop() ?? '') as Omit<Run, 'copiedMB'>;
  return { ...run, copiedMB: copiedMB(out) };
}

function summary(name: string, runs: Run[]): string {
  const m = (k: keyof Run) => median(runs.map((r) => r[k])).toFixed(0);
  return (
    `${name}: scavenges ${m('scavenges')} copying ${m('copiedMB')} MB, in all ${m('scavengeMs')} ms, longest ${m('longestScavengeMs')} ms ` +
    `(all: ${runs.map((r) => r.longestScavengeMs.toFixed(0)).join(', ')}); other GC ${m('otherGcMs')} ms; ` +
    `longest loop delay ${m('longestDelayMs')} ms; batch ${m('tookMs')} ms; heap after ${m('heapMB')} MB`
  );
}

function main(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-bench-gc-body-'));
  const bodyFile = path.join(dir, 'body.json');
  writeFileSync(bodyFile, JSON.stringify(orderFillBatch(0, 43_000, { engine: 'bulk' })));
  const tested: Run[] = [];
  const baseline: Run[] = [];
  console.log(`tested ${TESTED}\nbaseline ${BASELINE}\nload before ${load()}`);
  try {
    for (let rep = 0; rep < REPS; rep++) {
      // Alternating, the order swapped every repetition, so the load falls on both alike.
      const pair = rep % 2 === 0 ? ([true, false] as const) : ([false, true] as const);
      for (const isTested of pair) {
        const run = measure(isTested ? TESTED : BASELINE, bodyFile);
        (isTested ? tested : baseline).push(run);
        console.log(`rep ${rep} ${isTested ? 'tested  ' : 'baseline'} ${JSON.stringify(run)} load ${load()}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(summary('tested  ', tested));
  console.log(summary('baseline', baseline));
  const ratio = (k: keyof Run) =>
    (median(tested.map((r) => r[k])) / median(baseline.map((r) => r[k]))).toFixed(2);
  console.log(
    `ratio tested/baseline: bytes copied by scavenges ${ratio('copiedMB')}, scavenge time ${ratio('scavengeMs')}, longest scavenge ${ratio('longestScavengeMs')}, ` +
      `longest loop delay ${ratio('longestDelayMs')}; load after ${load()}`,
  );
}

main();
