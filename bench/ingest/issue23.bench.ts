/**
 * bench/ingest/issue23: every figure of issue 23 ("Ingest like a database") in one table, each
 * against a baseline measured in the same run, with the machine's load average printed
 * (figures from a shared machine are ratios, not absolutes). The exporter runs as shipped:
 * durable journal (fsync per write), trade history on.
 *   (a) 1,000-event batches posted one after another: events/s against the bare node:http
 *       server that only reads and JSON.parses the same bodies (goal >= 0.3).
 *   (b) one-event requests from 32 concurrent connections: requests/s against the bare
 *       server (goal >= 0.3).
 *   (c) a 10 MB batch (43 k events): the longest /healthz answer polled every 20 ms while it
 *       is ingested (goal <= 50 ms), against the longest answer while idle.
 *   (d) the trade history: its lag after the last 2xx of a burst of (a) (the newest fill
 *       readable through /api/v1/fills), and (a)'s rate with the history on against off.
 *   (e) POST -> feed p50 for a quiet engine at 200 events/s, against the POST's own answer.
 * Exporter and baseline alternate round by round, so a change of load falls on both alike.
 * Run: npm run bench:issue23   (run `npm run build` first; BENCH_BATCHES, BENCH_ROUNDS)
 */
import os from 'node:os';
import { postEvents, startExporter, type RunningExporter } from '../../tests/support/exporter';
import { measureFeedLatency } from '../feed/quiet-latency.bench';
import { postConcurrently } from './concurrent.bench';
import { cpuMs } from './cpu';
import { longestAnswer } from './poll';
import { postAll, startTransport, transportUrl } from './transport';
import { orderFillBatch } from './workload';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BATCH = 1000;
const CONCURRENT_REQUESTS = 3000;
const LARGE_EVENTS = 43_000;
// Each part posts as an engine of its own, from batch 0: no event is a duplicate of another
// part's, and event times stay within the bounds (24 h ahead of the clock at most).

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function exporter(history: boolean): Promise<RunningExporter> {
  return startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
      TRADEWATCH_HISTORY: String(history),
    },
  });
}

const pid = (ex: RunningExporter) => ex.process.pid as number;
const ingestUrl = (ex: RunningExporter) => new URL(`${ex.baseUrl}/api/v1/events`);
const auth = (ex: RunningExporter) => ({ Authorization: `Bearer ${ex.ingestToken}` });

/** Milliseconds from now until `fillId` is the newest fill the history API gives for `engine`. */
async function historyLag(ex: RunningExporter, engine: string, fillId: string): Promise<number> {
  const start = performance.now();
  const url = `${ex.baseUrl}/api/v1/fills?engine=${engine}&order=desc&limit=1`;
  for (;;) {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${ex.viewerToken}` } });
    const body = (await res.json()) as { fills?: { fill_id: string }[] };
    if (body.fills?.[0]?.fill_id === fillId) return performance.now() - start;
    if (performance.now() - start > 60_000) throw new Error(`fill ${fillId} not in the history after 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Row {
  figure: string;
  tradewatch: string;
  baseline: string;
  ratio: number | null;
  goal: string;
}

async function main(): Promise<void> {
  const loadBefore = load();
  const transport = await startTransport();
  const bare = transportUrl(transport.ports.bare);
  const withHistory = await exporter(true);
  const noHistory = await exporter(false);
  const rows: Row[] = [];
  try {
    // ---- (a) and (d): 1,000-event batches; history lag; history on against off ----------
    const rates = { on: [] as number[], off: [] as number[], bare: [] as number[] };
    // CPU per event (from /proc; it moves far less with the machine's load than the rates do):
    // the exporter's main thread and all its threads, history on and off, and the bare server.
    const cpu = { onMain: 0, onAll: 0, offMain: 0, offAll: 0, bare: 0 };
    const cpuOf = async <T>(of: number, run: () => Promise<T>, into: (main: number, all: number) => void) => {
      const [main, all] = [cpuMs(of, { mainThread: true }), cpuMs(of)];
      const result = await run();
      into(cpuMs(of, { mainThread: true }) - main, cpuMs(of) - all);
      return result;
    };
    const lags: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const events = Array.from({ length: BATCHES }, (_, b) => orderFillBatch(round * BATCHES + b, BATCH));
      const bodies = events.map((e) => Buffer.from(JSON.stringify(e)));
      const warmUp = Buffer.from(JSON.stringify(orderFillBatch(round, BATCH, { engine: 'warm-up' })));
      rates.on.push(
        await cpuOf(
          pid(withHistory),
          () => postAll(ingestUrl(withHistory), bodies, BATCH, { headers: auth(withHistory), warmUp }),
          (main, all) => ((cpu.onMain += main), (cpu.onAll += all)),
        ),
      );
      const lastFill = events[events.length - 1].filter((e) => e.type === 'fill').pop()?.fill_id as string;
      lags.push(await historyLag(withHistory, 'bench', lastFill));
      rates.off.push(
        await cpuOf(
          pid(noHistory),
          () => postAll(ingestUrl(noHistory), bodies, BATCH, { headers: auth(noHistory), warmUp }),
          (main, all) => ((cpu.offMain += main), (cpu.offAll += all)),
        ),
      );
      rates.bare.push(
        await cpuOf(
          transport.pid,
          () => postAll(bare, bodies, BATCH),
          (_, all) => (cpu.bare += all),
        ),
      );
    }
    const best = (xs: number[]) => Math.max(...xs);
    rows.push({
      figure: '(a) 1,000-event batches, events/s (journal + history on)',
      tradewatch: best(rates.on).toFixed(0),
      baseline: `${best(rates.bare).toFixed(0)} (bare node:http)`,
      ratio: +(best(rates.on) / best(rates.bare)).toFixed(3),
      goal: '>= 0.3',
    });
    // Each measured span posts a warm-up body too: BATCHES + 1 bodies a round.
    const perEvent = (ms: number) => (ms * 1000) / (ROUNDS * (BATCHES + 1) * BATCH);
    // The ratio of all threads to all threads (V8's GC helpers run beside the main thread in both).
    rows.push({
      figure: '(a) CPU per event, µs (exporter all threads; main thread)',
      tradewatch: `${perEvent(cpu.onAll).toFixed(2)}; ${perEvent(cpu.onMain).toFixed(2)}`,
      baseline: `${perEvent(cpu.bare).toFixed(2)} (bare node:http)`,
      ratio: +(cpu.bare / cpu.onAll).toFixed(3),
      goal: 'what (a) would be, CPU bound',
    });
    rows.push({
      figure: '(d) history lag after the last 2xx of a burst, ms',
      tradewatch: Math.max(...lags).toFixed(0),
      baseline: `${(((BATCHES * BATCH) / best(rates.on)) * 1000).toFixed(0)} (the burst's own time)`,
      ratio: +(Math.max(...lags) / (((BATCHES * BATCH) / best(rates.on)) * 1000)).toFixed(3),
      goal: 'small',
    });
    rows.push({
      figure: '(d) 1,000-event batches, events/s, history on against off',
      tradewatch: best(rates.on).toFixed(0),
      baseline: `${best(rates.off).toFixed(0)} (history off)`,
      ratio: +(best(rates.on) / best(rates.off)).toFixed(3),
      goal: 'near 1',
    });
    rows.push({
      figure: '(d) main-thread CPU per event, µs, history off against on (all threads)',
      tradewatch: `${perEvent(cpu.offMain).toFixed(2)} (${perEvent(cpu.offAll).toFixed(2)})`,
      baseline: `${perEvent(cpu.onMain).toFixed(2)} (${perEvent(cpu.onAll).toFixed(2)}), history on`,
      ratio: +(cpu.offMain / cpu.onMain).toFixed(3),
      goal: '>= 0.9',
    });

    // ---- (b) one-event requests from 32 connections --------------------------------------
    const single = orderFillBatch(0, CONCURRENT_REQUESTS * ROUNDS + 32, { engine: 'single' }).map((e) =>
      Buffer.from(JSON.stringify([e])),
    );
    await postConcurrently(ingestUrl(withHistory), single.slice(0, 32), auth(withHistory)); // warm-up
    const concurrent = { ex: [] as number[], bare: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const slice = single.slice(32 + round * CONCURRENT_REQUESTS, 32 + (round + 1) * CONCURRENT_REQUESTS);
      concurrent.ex.push(await postConcurrently(ingestUrl(withHistory), slice, auth(withHistory), 32));
      concurrent.bare.push(await postConcurrently(bare, slice, {}, 32));
    }
    rows.push({
      figure: '(b) one-event requests, 32 connections, requests/s',
      tradewatch: best(concurrent.ex).toFixed(0),
      baseline: `${best(concurrent.bare).toFixed(0)} (bare node:http)`,
      ratio: +(best(concurrent.ex) / best(concurrent.bare)).toFixed(3),
      goal: '>= 0.3',
    });

    // ---- (c) a 10 MB batch: the longest /healthz answer --------------------------------
    const idle = await longestAnswer(
      withHistory.baseUrl,
      '/healthz',
      () => new Promise((r) => setTimeout(r, 2000)),
    );
    const large = JSON.stringify(orderFillBatch(0, LARGE_EVENTS, { engine: 'bulk' }));
    const held = await longestAnswer(withHistory.baseUrl, '/healthz', () => postEvents(withHistory, large));
    if (held.result.status !== 200) throw new Error(`the 10 MB batch answered ${held.result.status}`);
    rows.push({
      figure: `(c) 10 MB batch (${(large.length / 1e6).toFixed(1)} MB): longest /healthz answer, ms`,
      tradewatch: `${held.longestMs.toFixed(0)} (${held.polls} polls)`,
      baseline: `${idle.longestMs.toFixed(0)} (idle, ${idle.polls} polls)`,
      ratio: +(held.longestMs / idle.longestMs).toFixed(2),
      goal: '<= 50 ms',
    });

    // ---- (e) POST -> feed at 200 events/s ------------------------------------------------
    const feed = await measureFeedLatency(withHistory, 200, 1000);
    rows.push({
      figure: `(e) POST -> feed p50 at 200 ev/s, ms (${feed.rows_seen}/${feed.events} rows seen)`,
      tradewatch: feed.post_to_feed_p50_ms.toFixed(1),
      baseline: `${feed.post_answer_p50_ms.toFixed(1)} (the POST's own answer)`,
      ratio: +(feed.post_to_feed_p50_ms / feed.post_answer_p50_ms).toFixed(2),
      goal: 'near the answer',
    });
  } finally {
    transport.stop();
    await Promise.all([withHistory.stop(), noHistory.stop()]);
  }
  console.log(
    `issue 23 figures (${ROUNDS} rounds, ${BATCHES} x ${BATCH} events a round), ${os.cpus().length} cores`,
  );
  console.table(rows);
  console.log(`load average (1, 5, 15 min): before ${loadBefore}; after ${load()}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
