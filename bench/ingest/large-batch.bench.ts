/**
 * bench/ingest/large-batch: issue 23's figure (c) alone, repeated: the longest /healthz answer,
 * polled every 20 ms, while a 10 MB batch (43 k events) is ingested, against the longest answer
 * of the same poll while the exporter is idle (the baseline, same run). Each repetition is a
 * fresh exporter as shipped (journal with fsync, history on); the median is printed with the
 * load average.
 * Run: npx tsx bench/ingest/large-batch.bench.ts   (after `npm run build`)
 *   BENCH_REPS (default 5); BENCH_NODE_ARGS (e.g. "--trace-gc", node flags for the exporter);
 *   BENCH_EXPORTER_ENV ("NAME=value NAME=value", more settings for the exporter);
 *   BENCH_SHOW_OUTPUT=1 prints the exporter's output (the GC trace) of each repetition;
 *   BENCH_TAIL_MS keeps polling that long after the answer (what the batch leaves to do after
 *   it, the history's writes, counts too).
 */
import os from 'node:os';
import { postEvents, startExporter } from '../../tests/support/exporter';
import { longestAnswer } from './poll';
import { orderFillBatch } from './workload';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0);
const EXPORTER_ENV = Object.fromEntries(
  (process.env.BENCH_EXPORTER_ENV ?? '')
    .split(' ')
    .filter((a) => a.includes('='))
    .map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
);
const LARGE_EVENTS = 43_000;
const TAIL_MS = Number(process.env.BENCH_TAIL_MS ?? 0);

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const held: number[] = [];
  const idle: number[] = [];
  const body = JSON.stringify(orderFillBatch(0, LARGE_EVENTS, { engine: 'bulk' }));
  for (let rep = 0; rep < REPS; rep++) {
    const ex = await startExporter({
      env: {
        TRADEWATCH_SOURCE: 'none',
        TRADEWATCH_LOG_LEVEL: 'warn',
        TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
        ...EXPORTER_ENV,
      },
      nodeArgs: NODE_ARGS,
    });
    try {
      const quiet = await longestAnswer(
        ex.baseUrl,
        '/healthz',
        () => new Promise((r) => setTimeout(r, 1000)),
      );
      const before = load();
      const t = performance.now();
      const during = await longestAnswer(ex.baseUrl, '/healthz', async () => {
        const answer = await postEvents(ex, body);
        if (TAIL_MS > 0) await new Promise((r) => setTimeout(r, TAIL_MS));
        return answer;
      });
      const tookMs = performance.now() - t;
      if (during.result.status !== 200) throw new Error(`the batch answered ${during.result.status}`);
      held.push(during.longestMs);
      idle.push(quiet.longestMs);
      console.log(
        `rep ${rep}: longest /healthz ${during.longestMs.toFixed(0)} ms (${during.polls} polls, batch ${tookMs.toFixed(0)} ms); idle ${quiet.longestMs.toFixed(0)} ms; load ${before}`,
      );
    } finally {
      await ex.stop();
      // After the stop: a diagnostic preload may print its record at exit.
      if (process.env.BENCH_SHOW_OUTPUT) console.log(ex.output());
    }
  }
  console.log(
    `(c) ${(body.length / 1e6).toFixed(1)} MB batch${TAIL_MS > 0 ? ` and ${TAIL_MS} ms after` : ''}, ${REPS} reps, node ${NODE_ARGS.join(' ') || '(no flags)'} ${process.env.BENCH_EXPORTER_ENV ?? ''}: ` +
      `median longest /healthz ${median(held).toFixed(0)} ms (all: ${held.map((x) => x.toFixed(0)).join(', ')}); ` +
      `idle median ${median(idle).toFixed(0)} ms; load after ${load()}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
