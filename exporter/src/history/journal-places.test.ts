/**
 * An order state's place in the journal (journal_seq, journal_pos) is what orders two states
 * of equal `updated_at` in the store (sql.ts, onConflict). It must come out the same whether
 * the live writer numbered the state or the catch-up derived it again from the journal, and
 * keep growing across a restart; with the real journal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { validateBatch } from '../events/validate';
import { Store } from '../state/store';
import { DurableJournal } from '../storage/journal';
import { catchUp } from './catch-up';
import { SqliteHistory } from './sqlite';
import { emptyBatch, type HistoryBatch, type HistoryStore, type Page } from './store';
import { HistoryWriter } from './writer';

class MemoryStore implements HistoryStore {
  readonly kind = 'sqlite';
  batches: HistoryBatch[] = [];
  write(batch: HistoryBatch): Promise<void> {
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
}

const newStore = () => new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 0 } });
const T0 = Date.parse('2026-01-05T00:00:00Z');

/** Order events, all at one time (as a poll would stamp them). */
function orders(...states: [string, string][]) {
  return valid(
    states.map(([id, status]) => ({
      type: 'order',
      engine: 'e1',
      ts: T0,
      order_id: id,
      symbol: 'BTC/USD',
      side: 'buy',
      order_type: 'limit',
      status,
      quantity: '1',
      filled_quantity: status === 'filled' ? '1' : '0',
      limit_price: '100',
    })),
  );
}

function valid(raw: Record<string, unknown>[]) {
  const batch = validateBatch(raw);
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  return batch.events;
}

/** Each order state as `order_id@journal_seq.journal_pos`. */
const places = (batches: HistoryBatch[]) =>
  batches.flatMap((b) => b.orders.map((o) => `${o.order_id}@${o.journal_seq}.${o.journal_pos}`));

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-places-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (state: Store, writer: HistoryWriter) =>
  DurableJournal.open(state, {
    dir,
    fsync: 'never',
    snapshotEvery: 1_000_000,
    log: pino({ level: 'silent' }),
    version: 'test',
    lastSeen: new Map(),
    follower: writer,
  });

test('the live writer and the catch-up number order states alike; numbers keep growing after a restart', async () => {
  const live = newStore();
  const memory = new MemoryStore();
  const writer = new HistoryWriter(memory, { flushMs: 1 }).attach(live);
  const journal = await open(live, writer);
  // As the ingestor does: journal a record, then apply it.
  for (const events of [
    orders(['o1', 'new'], ['o2', 'canceled']),
    orders(['o1', 'filled'], ['o3', 'rejected']),
    orders(['o4', 'expired']),
  ]) {
    await journal.append(events);
    live.apply(events);
  }
  expect(await writer.drain()).toBe(true);
  expect(places(memory.batches)).toEqual(['o2@1.0', 'o1@2.0', 'o3@2.1', 'o4@3.0']);

  // Derived again from the journal (what a catch-up after an outage or a restart writes).
  const derived: HistoryBatch[] = [];
  await catchUp({ journal, newState: newStore }, 1, {
    batchRows: 1,
    storeDown: () => false,
    write: (batch) => Promise.resolve(void derived.push(batch)),
    atEnd: (rest) => void derived.push(rest),
  });
  expect(places(derived)).toEqual(places(memory.batches));
  await journal.close();
  await writer.close();

  // A restart: the next record comes after every one before it.
  const again = newStore();
  const memoryAgain = new MemoryStore();
  const writerAgain = new HistoryWriter(memoryAgain, { flushMs: 1 }).attach(again);
  const reopened = await open(again, writerAgain);
  const events = orders(['o5', 'filled']);
  await reopened.append(events);
  again.apply(events);
  expect(await writerAgain.drain()).toBe(true);
  expect(places(memoryAgain.batches)).toEqual(['o5@4.0']);
  await reopened.close();
  await writerAgain.close();
});

test('records journaled as one group: numbered from the group live, by record in a catch-up; the catch-up still ends on the later state', async () => {
  const live = newStore();
  const memory = new MemoryStore();
  const writer = new HistoryWriter(memory, { flushMs: 1 }).attach(live);
  const journal = await open(live, writer);
  // One group (the ingestor's group commit): o1 opens; an engine snapshot without it closes it
  // as it was known (new); the engine then reports it filled, at the same time.
  const group = [
    orders(['o1', 'new']),
    valid([{ type: 'snapshot', engine: 'e1', ts: T0, orders: [] }]),
    orders(['o1', 'filled']),
  ];
  await journal.appendAll(group.map((events) => ({ events, receivedAt: T0 })));
  for (const events of group) live.apply(events);
  expect(await writer.drain()).toBe(true);
  expect(places(memory.batches)).toEqual(['o1@1.0', 'o1@1.1']);

  const derived: HistoryBatch[] = [];
  await catchUp({ journal, newState: newStore }, 1, {
    batchRows: 1,
    storeDown: () => false,
    write: (batch) => Promise.resolve(void derived.push(batch)),
    atEnd: (rest) => void derived.push(rest),
  });
  expect(places(derived)).toEqual(['o1@2.0', 'o1@3.0']);

  // Into the real SQLite, in two orders the writer allows: the live rows, then the catch-up's
  // (its first row passes over the later state, its second puts it back); or the catch-up's,
  // then live writes still in flight committing late, the earlier state last. Filled either way.
  const sqlite = new SqliteHistory(path.join(dir, 'history.sqlite'));
  const other = new SqliteHistory(path.join(dir, 'other.sqlite'));
  try {
    for (const batch of [...memory.batches, ...derived]) await sqlite.write(batch);
    const lateLive = memory.batches.flatMap((batch) =>
      batch.orders.map((o) => ({ ...emptyBatch(), orders: [o] })),
    );
    for (const batch of [...derived, ...lateLive.reverse()]) await other.write(batch);
    for (const store of [sqlite, other])
      expect((await store.read('orders', { limit: 10 })).rows.map((r) => r.status)).toEqual(['filled']);
  } finally {
    await sqlite.close();
    await other.close();
    await journal.close();
    await writer.close();
  }
});
