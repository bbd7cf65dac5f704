/**
 * bench/history/place: what numbering an order state costs the event loop (history/rows.ts,
 * `orderState`): the closed orders of 100 batches of the (a) workload, copied with their
 * journal place as the writer did (`{ ...record, journal_seq, journal_pos }`) and as it does
 * (Object.assign), against a plain copy of the record (the raw baseline), taking turns.
 * Medians of 25 runs after 5 to warm up, in µs an order.
 * Run: npx tsx bench/history/place.bench.ts
 */
import { loadavg } from 'node:os';
import { validateBatch } from '../../exporter/src/events/validate';
import { orderState } from '../../exporter/src/history/rows';
import type { OrderRecord } from '../../exporter/src/state/changes';
import { Store } from '../../exporter/src/state/store';
import { orderFillBatch } from '../ingest/workload';

const store = new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 86_400_000 } });
const closed: OrderRecord[] = [];
store.onChanges((changes) => {
  for (const c of changes) if (c.channel === 'orders' && c.row === null && c.final) closed.push(c.final);
});
for (let b = 0; b < 100; b++) {
  const r = validateBatch(orderFillBatch(b, 1000));
  if (!r.ok) throw new Error('the workload does not validate');
  store.apply(r.events, Date.parse('2026-03-02T00:00:00Z'));
}

let kept: unknown;
const ways: Record<string, () => void> = {
  raw_copy: () => {
    for (let i = 0; i < closed.length; i++) kept = { ...closed[i] };
  },
  spread_before: () => {
    for (let i = 0; i < closed.length; i++) kept = { ...closed[i], journal_seq: 1, journal_pos: i };
  },
  order_state_now: () => {
    for (let i = 0; i < closed.length; i++) kept = orderState(closed[i], 1, i);
  },
};
const times: Record<string, number[]> = {};
for (let run = 0; run < 30; run++)
  for (const [name, fn] of Object.entries(ways)) {
    const t = performance.now();
    fn();
    if (run >= 5) (times[name] ??= []).push(((performance.now() - t) * 1000) / closed.length);
  }
void kept;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const us = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, +median(v).toFixed(3)]));
console.log(
  JSON.stringify({
    orders: closed.length,
    us_per_order: us,
    before_vs_raw: +(us.spread_before / us.raw_copy).toFixed(1),
    now_vs_raw: +(us.order_state_now / us.raw_copy).toFixed(1),
    load1: loadavg()[0].toFixed(2),
  }),
);
