import { validateBatch } from '../events/validate';
import { Store } from '../state/store';
import { batchSize, type HistoryBatch, type HistoryStore, type Page } from './store';
import { HistoryWriter } from './writer';

/** A store that keeps batches in memory and can be made to fail (the server is down). */
class FakeStore implements HistoryStore {
  readonly kind = 'sqlite';
  down = false;
  hangs = false;
  batches: HistoryBatch[] = [];
  write(batch: HistoryBatch): Promise<void> {
    if (this.hangs) return new Promise(() => undefined);
    if (this.down) return Promise.reject(new Error('connection refused'));
    this.batches.push(batch);
    return Promise.resolve();
  }
  read<T>(): Promise<Page<T>> {
    return Promise.resolve({ rows: [], next: null });
  }
  prune(): Promise<number> {
    return Promise.resolve(0);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  get fills(): string[] {
    return this.batches.flatMap((b) => b.fills.map((f) => f.fill_id));
  }
}

const T0 = Date.parse('2026-01-05T00:00:00Z');
function applyFills(store: Store, from: number, count: number): void {
  const events = [];
  for (let i = from; i < from + count; i++)
    events.push({
      type: 'fill',
      engine: 'e1',
      ts: T0 + i,
      fill_id: `f${i}`,
      order_id: `o${i}`,
      symbol: 'BTC/USD',
      side: i % 2 ? 'sell' : 'buy',
      quantity: '1',
      price: '100',
    });
  const batch = validateBatch(events);
  if (!batch.ok) throw new Error('invalid');
  store.apply(batch.events);
}

/** Waits (polling every 10 ms) until `ok()` holds; fails after `timeoutMs`. */
async function until(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const newStore = () => new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 0 } });

describe('HistoryWriter', () => {
  test('rows of applied batches reach the store in batches, fills with their round trips', async () => {
    const state = newStore();
    const fake = new FakeStore();
    const writer = new HistoryWriter(fake, { batchRows: 4, flushMs: 10_000 }).attach(state);
    applyFills(state, 0, 10);
    // 10 fills close 5 round trips: 15 rows; a full batch is written without waiting for the timer
    expect(await writer.drain()).toBe(true);
    expect(fake.fills).toEqual(Array.from({ length: 10 }, (_, i) => `f${i}`));
    expect(fake.batches.reduce((n, b) => n + b.round_trips.length, 0)).toBe(5);
    expect(Math.max(...fake.batches.map(batchSize))).toBeLessThanOrEqual(4);
    await writer.close();
  });

  test('a store with no write in flight takes rows at once, not after flushMs', async () => {
    const state = newStore();
    const fake = new FakeStore();
    const writer = new HistoryWriter(fake, { batchRows: 5000, flushMs: 60_000 }).attach(state);
    applyFills(state, 0, 2);
    await until(() => fake.fills.length === 2, 2000);
    expect(writer.stats).toMatchObject({ queued: 0, written: 3 });
    await writer.close();
  });

  test("a snapshot's answer waits for the store's sync, after the rows' write; a failed sync answers from the first record not known durable", async () => {
    const state = newStore();
    const calls: string[] = [];
    let syncFails = false;
    const fake = Object.assign(new FakeStore(), {
      sync: () => {
        calls.push('sync');
        return syncFails ? Promise.reject(new Error('disk gone')) : Promise.resolve();
      },
    });
    const write = fake.write.bind(fake);
    fake.write = (batch) => {
      calls.push('write');
      return write(batch);
    };
    const writer = new HistoryWriter(fake, { batchRows: 5000, flushMs: 60_000 }).attach(state);
    writer.applying(1);
    applyFills(state, 0, 2);
    expect(await writer.durableNeedsFrom()).toBe(1); // queued, not yet committed
    await until(() => writer.needsFrom() === null);
    expect(await writer.durableNeedsFrom()).toBeNull();
    expect(calls).toEqual(['sync', 'write', 'sync']);
    // Records 1 and 2 synced: a failed sync later answers from record 3 on, not "nothing lacking".
    writer.applying(2);
    applyFills(state, 2, 1);
    await until(() => writer.needsFrom() === null);
    expect(await writer.durableNeedsFrom()).toBeNull();
    writer.applying(3);
    applyFills(state, 3, 1);
    await until(() => writer.needsFrom() === null);
    syncFails = true;
    expect(writer.needsFrom()).toBeNull();
    expect(await writer.durableNeedsFrom()).toBe(3);
    // A sync that never answers holds the snapshot no longer than the timeout.
    fake.sync = () => new Promise<void>(() => undefined);
    expect(await writer.durableNeedsFrom(50)).toBe(3);
    return writer.close();
  });

  test('while the store is down rows stay queued and drain says so; when it is back they are written once', async () => {
    const state = newStore();
    const fake = new FakeStore();
    const writer = new HistoryWriter(fake, { flushMs: 1 }).attach(state);
    fake.down = true;
    applyFills(state, 0, 3);
    expect(await writer.drain()).toBe(false);
    expect(writer.stats).toMatchObject({ down: true, queued: 4 });
    fake.down = false;
    applyFills(state, 3, 1);
    // Known down: a snapshot does not wait for a retry (ingest would wait with it)…
    expect(await writer.drain()).toBe(false);
    // …the retry (after its backoff) finds the store back, and then everything is written.
    await until(() => !writer.stats.down);
    expect(await writer.drain()).toBe(true);
    expect(fake.fills).toEqual(['f0', 'f1', 'f2', 'f3']);
    expect(writer.stats).toMatchObject({ down: false, queued: 0, written: 6 });
    await writer.close();
  });

  test('while the store is down, retries keep their backoff however long the queue grows', async () => {
    const state = newStore();
    const fake = new FakeStore();
    let attempts = 0;
    const write = fake.write.bind(fake);
    fake.write = (b) => {
      attempts += 1;
      return write(b);
    };
    const writer = new HistoryWriter(fake, { batchRows: 10, flushMs: 1 }).attach(state);
    fake.down = true;
    const t0 = Date.now();
    // 200 batches, each past batchRows in the queue: each once asked for an immediate write.
    for (let i = 0; i < 200; i++) {
      applyFills(state, i * 4, 4);
      // Long enough for a timer to fire between batches (an ingest batch takes about this long).
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await until(() => Date.now() - t0 >= 1000);
    // 250 ms doubling: tries at about 0, 0.25, 0.75 s (a loaded machine may add one).
    expect(attempts).toBeLessThanOrEqual(4);
    expect(writer.stats.queued).toBe(1200);
    fake.down = false;
    await until(() => writer.stats.queued === 0, 10_000);
    expect(new Set(fake.fills).size).toBe(800);
    await writer.close();
  });

  test('a store that is down is tried again after 0.25 s, then 0.5 s, then 1 s', async () => {
    const state = newStore();
    const fake = new FakeStore();
    const tries: number[] = [];
    fake.write = () => (tries.push(performance.now()), Promise.reject(new Error('connection refused')));
    const writer = new HistoryWriter(fake, { flushMs: 1 }).attach(state);
    applyFills(state, 0, 1);
    await until(() => tries.length === 4, 5000);
    const gaps = tries.slice(1).map((t, i) => t - tries[i]);
    // Never sooner (a loaded machine may only make them later).
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual([250, 500, 1000][i] - 5));
    expect(gaps[2]).toBeLessThan(2000);
    await writer.close(100);
  });

  test("up to the store's writesInFlight batches are written at once; one failing beside the others is kept and written again", async () => {
    const state = newStore();
    const fake = new FakeStore();
    const held: { rows: string[]; resolve(): void; reject(e: Error): void }[] = [];
    let answer = false;
    Object.assign(fake, { writesInFlight: 3 });
    const write = fake.write.bind(fake);
    fake.write = (b) =>
      answer
        ? write(b)
        : new Promise<void>((resolve, reject) => {
            held.push({
              rows: b.fills.map((f) => f.fill_id),
              resolve: () => void write(b).then(resolve),
              reject,
            });
          });
    const writer = new HistoryWriter(fake, { batchRows: 3, flushMs: 10_000 }).attach(state);
    // Four journal records of 3 rows each (2 fills, the round trip they make): one batch each.
    for (let seq = 1; seq <= 4; seq++) {
      writer.applying(seq);
      applyFills(state, (seq - 1) * 2, 2);
    }
    await until(() => held.length === 3);
    expect(writer.stats.queued).toBe(3); // the fourth waits for a free slot
    held[1].resolve();
    held[2].resolve();
    await until(() => held.length === 4); // the freed slots take the fourth
    held[0].reject(new Error('connection refused'));
    // The journal keeps the failed record: the store lacks its rows.
    await until(() => writer.stats.down);
    expect(writer.needsFrom()).toBe(1);
    answer = true;
    held[3].resolve();
    await until(() => writer.stats.queued === 0 && !writer.stats.down);
    expect(await writer.drain()).toBe(true);
    expect([...fake.fills].sort()).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
    expect(writer.needsFrom()).toBeNull();
    await writer.close();
  });

  test('a store that hangs never holds a snapshot (and so ingest) past the deadline', async () => {
    const state = newStore();
    const fake = new FakeStore();
    const writer = new HistoryWriter(fake, { flushMs: 1 }).attach(state);
    fake.hangs = true;
    applyFills(state, 0, 2);
    const t = Date.now();
    expect(await writer.drain(200)).toBe(false);
    expect(Date.now() - t).toBeLessThan(2000);
    await writer.close(100);
  });

  test('without a journal, rows beyond maxPending are lost, counted, and drain says so', async () => {
    const state = newStore();
    const fake = new FakeStore();
    const writer = new HistoryWriter(fake, { maxPending: 5 }).attach(state);
    fake.down = true;
    applyFills(state, 0, 10);
    fake.down = false;
    expect(writer.stats.lost).toBeGreaterThan(0);
    expect(await writer.drain()).toBe(false);
    await writer.close();
  });
});
