/**
 * bench/history/loop-cost: the CPU one PostgreSQL history write of 5,000 fills costs before
 * the statement leaves: (1) as it was, column arrays encoded by the driver (pg's
 * prepareValue, as `query` does); (2) as it is, `insertParams` (one array literal per
 * column, history/postgres.ts); (3) what posting the batch to a write worker would cost the
 * event loop instead (postMessage's structured clone, measured as `structuredClone`). The
 * raw baseline is JSON.stringify of the same rows. Medians of 41 runs each, taking turns,
 * after 5 to warm up.
 * Run: npx tsx bench/history/loop-cost.bench.ts
 */
import { loadavg } from 'node:os';
import { prepareValue } from 'pg/lib/utils';
import { insertParams } from '../../exporter/src/history/postgres';
import { emptyBatch, type HistoryBatch } from '../../exporter/src/history/store';
import { TABLES, type Cell } from '../../exporter/src/history/tables';

const ROWS = 5000;
const T0 = Date.parse('2026-01-05T00:00:00Z');

function batchOfFills(): HistoryBatch {
  const batch = emptyBatch();
  for (let i = 0; i < ROWS; i++)
    batch.fills.push({
      engine: 'bench',
      fill_id: `fill-${i}-${T0}`,
      order_id: `order-${i}`,
      symbol: 'BTC/USD',
      side: i % 2 ? 'buy' : 'sell',
      price: 63_990.5 + i,
      quantity: 0.0125,
      fee: 0.032,
      strategy: 'momentum',
      tsMs: T0 + i,
      realized_pnl: i % 3 ? -0.032 : 12.5,
    });
  return batch;
}

/** What postgres.ts did for one table before: cells, column arrays, the driver's text. */
function encodeByDriver(batch: HistoryBatch): number {
  const spec = TABLES.fills;
  const times = spec.columns.map((col) => col.type === 'time');
  const columns: Cell[][] = spec.columns.map(() => []);
  for (const row of batch.fills) {
    const cells = spec.toCells(row);
    for (let i = 0; i < cells.length; i++)
      columns[i].push(times[i] && cells[i] !== null ? new Date(Number(cells[i])).toISOString() : cells[i]);
  }
  let bytes = 0;
  for (const c of columns) bytes += String(prepareValue(c)).length;
  return bytes;
}

/** Medians (ms) of each function's time; the functions take turns, so load falls on all alike. */
function medians(fns: Record<string, () => unknown>, runs = 41): Record<string, number> {
  const times: Record<string, number[]> = {};
  for (let i = 0; i < 5 + runs; i++)
    for (const [name, fn] of Object.entries(fns)) {
      const t = performance.now();
      fn();
      if (i >= 5) (times[name] ??= []).push(performance.now() - t);
    }
  const out: Record<string, number> = {};
  for (const [name, ts] of Object.entries(times))
    out[name] = +ts.sort((a, b) => a - b)[ts.length >> 1].toFixed(2);
  return out;
}

const batch = batchOfFills();
const load = loadavg()[0].toFixed(2);
const m = medians({
  raw: () => JSON.stringify(batch),
  driver: () => encodeByDriver(batch),
  literals: () =>
    insertParams(
      'fills',
      batch.fills.map((r) => TABLES.fills.toCells(r)),
    ),
  post: () => structuredClone(batch),
});
console.log(
  JSON.stringify({
    rows: ROWS,
    load1: load,
    json_stringify_ms: m.raw,
    driver_encoding_ms: m.driver,
    array_literals_ms: m.literals,
    post_to_worker_ms: m.post,
    driver_vs_raw: +(m.driver / m.raw).toFixed(2),
    literals_vs_raw: +(m.literals / m.raw).toFixed(2),
    post_vs_raw: +(m.post / m.raw).toFixed(2),
  }),
);
