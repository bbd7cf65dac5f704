/**
 * A batch applied in slices under the store's hold hands its listeners what one applied
 * whole would leave them: the feed's rows by key end the same, the history gets the same
 * rows in the same order, while each order, position and status upsert that a newer one
 * replaces is not kept through the batch (store.ts, NEWEST_UPSERT_ONLY).
 */
import { validateBatch } from '../events/validate';
import type { TradingEvent } from '../events/schema';
import { addRows } from '../history/rows';
import { emptyBatch } from '../history/store';
import type { Change } from './changes';
import { RELEASE_SLICE_CHANGES, Store, type StoreOptions } from './store';

const OPTIONS: StoreOptions = {
  valuationCurrency: 'USD',
  equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
};
const T = Date.parse('2026-03-02T10:00:00Z');

/** Orders placed, filled in two parts or canceled; positions opened, closed and reopened. */
function events(): TradingEvent[] {
  const raws: object[] = [];
  for (let n = 0; n < 600; n++) {
    // Buys and sells of the same size take turns per symbol: each position goes flat and opens again.
    const base = {
      engine: 'bulk',
      symbol: `S${n % 3}/USD`,
      side: Math.floor(n / 3) % 2 === 0 ? 'buy' : 'sell',
      order_id: `o${n}`,
    };
    const order = { type: 'order', ...base, order_type: 'limit', quantity: '2', limit_price: '100' };
    raws.push({ ...order, ts: T + n * 10, status: 'new' });
    if (n % 10 === 9) {
      raws.push({ ...order, ts: T + n * 10 + 1, status: 'canceled' });
      continue;
    }
    for (const part of ['a', 'b']) {
      const ts = T + n * 10 + (part === 'a' ? 1 : 3);
      raws.push({
        type: 'fill',
        ...base,
        ts,
        fill_id: `f${n}${part}`,
        price: part === 'a' ? '100' : '101.5',
        quantity: '1',
        fee: '0.05',
        fee_currency: 'USD',
      });
      raws.push({ ...order, ts: ts + 1, status: part === 'a' ? 'partially_filled' : 'filled' });
    }
  }
  const batch = validateBatch(raws);
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems[0]));
  return batch.events;
}

/** What listeners make of the changes: the feed's rows by key, the history's rows. */
function listen(store: Store) {
  const rows = new Map<string, unknown>();
  const history = emptyBatch();
  let heard = 0;
  store.onChanges((changes: readonly Change[]) => {
    heard += changes.length;
    for (const c of changes) {
      if (c.row === null) rows.delete(`${c.channel}:${c.key}`);
      else rows.set(`${c.channel}:${c.key}`, c.row);
    }
    addRows(history, changes, (order) => ({ ...order, journal_seq: 0, journal_pos: 0 }));
  });
  return { rows, history, heard: () => heard };
}

it('a held batch leaves the listeners the rows and history of the batch applied whole, with fewer upserts kept', () => {
  const whole = new Store(OPTIONS);
  const wholeHeard = listen(whole);
  whole.apply(events(), T);

  const held = new Store(OPTIONS);
  const heldHeard = listen(held);
  const all = events();
  held.hold();
  for (let i = 0; i < all.length; i += 128) held.apply(all.slice(i, i + 128), T);
  expect(heldHeard.heard()).toBe(0);
  held.release();

  expect([...heldHeard.rows]).toEqual([...wholeHeard.rows]);
  expect(heldHeard.history).toEqual(wholeHeard.history);
  expect(heldHeard.history.fills).toHaveLength(1080);
  expect(heldHeard.history.orders).toHaveLength(600);
  expect(heldHeard.history.round_trips.length).toBeGreaterThan(0);
  // Every fill and removal is kept; an upsert replaced by a newer one of the same row is not.
  expect(heldHeard.heard()).toBeLessThan(wholeHeard.heard() / 2);
});

it('the history takes a large release in slices over several turns, in order, with what is applied meanwhile behind it', async () => {
  const store = new Store(OPTIONS);
  const whole: Change[] = [];
  const sliced: Change[][] = [];
  store.onChanges((changes) => whole.push(...changes));
  store.onChanges((changes) => sliced.push([...changes]), { inSlices: true });
  const all = events();
  const late = all.pop() as TradingEvent;
  store.hold();
  for (let i = 0; i < all.length; i += 128) store.apply(all.slice(i, i + 128), T);
  let turns = 0;
  const released = store.releaseInSlices(async () => {
    turns += 1;
    await new Promise((resolve) => setImmediate(resolve));
  });
  // At once: the state is whole for readers and the feed has the whole batch; the history one slice.
  expect(store.isHeld).toBe(false);
  await expect(store.settled()).resolves.toBeUndefined();
  const held = whole.length;
  expect(held).toBeGreaterThan(RELEASE_SLICE_CHANGES);
  expect(sliced.flat().length).toBeLessThan(held);
  store.apply([late], T); // applied while the history is still taking the batch
  await released;
  expect(turns).toBeGreaterThan(1);
  expect(Math.max(...sliced.map((s) => s.length))).toBeLessThanOrEqual(RELEASE_SLICE_CHANGES);
  expect(whole.length).toBeGreaterThan(held);
  expect(sliced.flat()).toEqual(whole);
});
