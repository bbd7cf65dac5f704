/**
 * bench/history/post: what handing a batch's rows to the SQLite write worker costs the event
 * loop: postMessage of the records as the writer posted them before (one object a row,
 * property names and all), and of their cells as it does now (sqlite-write.ts, `toCellBatch`,
 * making them included), against JSON.stringify of the records (the raw baseline). The
 * batches are the history rows of 200 batches of the (a) workload (400 fills and 200 closed
 * orders each), posted to a worker thread that only receives them; one post per turn of the
 * event loop, the three ways taking turns. Medians and means in ms per batch.
 * Run: npx tsx bench/history/post.bench.ts
 */
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { validateBatch } from '../../exporter/src/events/validate';
import { addRows, JournalPlaces } from '../../exporter/src/history/rows';
import { emptyBatch, type HistoryBatch } from '../../exporter/src/history/store';
import { toCellBatch } from '../../exporter/src/history/sqlite-write';
import { Store } from '../../exporter/src/state/store';
import { orderFillBatch } from '../ingest/workload';

const BATCHES = 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);

const store = new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 86_400_000 } });
const batches: HistoryBatch[] = [];
const places = new JournalPlaces();
let seq = 0;
store.onChanges((changes) => {
  const batch = emptyBatch();
  addRows(batch, changes, (r) => places.place(r, seq));
  batches.push(batch);
});
for (; seq < BATCHES; seq++) {
  const r = validateBatch(orderFillBatch(seq, 1000));
  if (!r.ok) throw new Error('the workload does not validate');
  store.apply(r.events, Date.parse('2026-03-02T00:00:00Z'));
}

const worker = new Worker('require("node:worker_threads").parentPort.on("message", () => {});', {
  eval: true,
});
const ways: Record<string, (b: HistoryBatch) => unknown> = {
  raw_json: (b) => JSON.stringify(b),
  records_before: (b) => worker.postMessage({ id: 1, job: { kind: 'write', batch: b } }),
  cells_now: (b) => worker.postMessage({ id: 1, job: { kind: 'write', cells: toCellBatch(b) } }),
};

async function main(): Promise<void> {
  const load = [loadavg()[0].toFixed(2)];
  const times: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, way] of Object.entries(ways)) {
      const batch = batches[round % batches.length];
      await new Promise((resolve) => setImmediate(resolve));
      const t = performance.now();
      way(batch);
      if (round >= 20) (times[name] ??= []).push(performance.now() - t);
    }
  await worker.terminate();
  load.push(loadavg()[0].toFixed(2));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ms = (f: (xs: number[]) => number) =>
    Object.fromEntries(Object.entries(times).map(([k, v]) => [k, +f(v).toFixed(3)]));
  const med = ms(median);
  console.log(
    JSON.stringify({
      rows_per_batch: batches[1].fills.length + batches[1].orders.length + batches[1].round_trips.length,
      median_ms: med,
      mean_ms: ms(mean),
      records_vs_raw: +(med.records_before / med.raw_json).toFixed(2),
      cells_vs_raw: +(med.cells_now / med.raw_json).toFixed(2),
      load1: load,
    }),
  );
}

void main();
