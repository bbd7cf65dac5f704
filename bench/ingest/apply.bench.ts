/**
 * bench/ingest/apply: the state's share of ingest, without HTTP or the journal. 80 batches of
 * 1,000 bench events (orders and fills, bench/ingest/workload.ts), validated once; each round
 * applies them to a fresh Store whose listener does what the history writer does with the
 * changes (its rows, then each row's cells), and measures JSON.parse of the same bodies in the
 * same round: the raw baseline the ratio is given against.
 * Run: npm run bench:apply   (BENCH_ROUNDS, BENCH_BATCHES; BENCH_SRC=<dir> measures another
 * copy of exporter/src, to compare two versions round by round in one process each)
 */
import os from 'node:os';
import path from 'node:path';
import { orderFillBatch } from './workload';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 80);
/** BENCH_HISTORY=0: apply alone, no listener (the feed and the history both off). */
const HISTORY = process.env.BENCH_HISTORY !== '0';
const SRC = path.resolve(process.env.BENCH_SRC ?? path.join(__dirname, '..', '..', 'exporter', 'src'));

interface Modules {
  validateBatch: typeof import('../../exporter/src/events/validate').validateBatch;
  Store: typeof import('../../exporter/src/state/store').Store;
  addRows: typeof import('../../exporter/src/history/rows').addRows;
  emptyBatch: typeof import('../../exporter/src/history/store').emptyBatch;
  TABLES: typeof import('../../exporter/src/history/tables').TABLES;
  HISTORY_TABLES: typeof import('../../exporter/src/history/tables').HISTORY_TABLES;
}

async function load(): Promise<Modules> {
  const v = (await import(
    path.join(SRC, 'events/validate')
  )) as typeof import('../../exporter/src/events/validate');
  const s = (await import(path.join(SRC, 'state/store'))) as typeof import('../../exporter/src/state/store');
  const r = (await import(
    path.join(SRC, 'history/rows')
  )) as typeof import('../../exporter/src/history/rows');
  const h = (await import(
    path.join(SRC, 'history/store')
  )) as typeof import('../../exporter/src/history/store');
  const t = (await import(
    path.join(SRC, 'history/tables')
  )) as typeof import('../../exporter/src/history/tables');
  return {
    validateBatch: v.validateBatch,
    Store: s.Store,
    addRows: r.addRows,
    emptyBatch: h.emptyBatch,
    TABLES: t.TABLES,
    HISTORY_TABLES: t.HISTORY_TABLES,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const m = await load();
  const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify(orderFillBatch(b, 1000)));
  const batches = bodies.map((body) => {
    const r = m.validateBatch(JSON.parse(body) as unknown[]);
    if (!r.ok) throw new Error('the workload does not validate');
    return r.events;
  });
  const applyMs: number[] = [];
  const parseMs: number[] = [];
  let cells = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const store = new m.Store({
      valuationCurrency: 'USD',
      equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
    });
    if (HISTORY)
      store.onChanges((changes) => {
        const rows = m.emptyBatch();
        // Every order state at one journal place (the places' cost is the writer's, not the state's).
        m.addRows(rows, changes, (r) => ({ ...r, journal_seq: 1, journal_pos: 0 }));
        for (const table of m.HISTORY_TABLES)
          for (const row of rows[table] as object[])
            cells += (m.TABLES[table].toCells as (r: object) => unknown[])(row).length;
      });
    let t = performance.now();
    for (const events of batches) store.apply(events, Date.parse('2026-03-02T00:00:00Z'));
    applyMs.push(performance.now() - t);
    t = performance.now();
    for (const body of bodies) JSON.parse(body);
    parseMs.push(performance.now() - t);
  }
  const a = median(applyMs);
  const p = median(parseMs);
  console.log(
    `src ${path.relative(process.cwd(), SRC)}: apply${HISTORY ? '+history cells' : ''} of ${BATCHES * 1000} events, median of ${ROUNDS}: ` +
      `${a.toFixed(0)} ms (${((a * 1e6) / (BATCHES * 1000)).toFixed(0)} ns/event); JSON.parse of the same bodies ${p.toFixed(0)} ms; ` +
      `ratio ${(a / p).toFixed(2)}x; cells ${cells}; load ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
}

void main();
