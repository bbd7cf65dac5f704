import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FeedFilter } from '@tradewatch/feed-protocol';
import { validateBatch } from '../events/validate';
import { Client } from 'pg';
import { PostgresHistory } from '../history/postgres';
import { SqliteHistory } from '../history/sqlite';
import type { HistoryStore } from '../history/store';
import { HistoryWriter } from '../history/writer';
import type { FillRecord, FillRow } from '../state/changes';
import { fillRow } from '../state/wire-rows';
import { Store } from '../state/store';
import { FILL_SNAPSHOT_ROWS, fillHistoryReader, type FillHistoryReader } from './fill-snapshot';
import { FeedHub, type Peer } from './hub';

interface Frame {
  type: string;
  seq: number;
  rows?: FillRow[];
  upserts?: FillRow[];
}

class FakePeer implements Peer {
  frames: Frame[] = [];
  bufferedAmount = 0;
  send(frame: Buffer): void {
    this.frames.push(JSON.parse(frame.toString()) as Frame);
  }
  close(): void {}
  /** Every fill id this client holds, in the order its frames gave them. */
  ids(): string[] {
    return this.frames.flatMap((f) => (f.rows ?? f.upserts ?? []).map((r) => r.fill_id));
  }
}

const T0 = Date.parse('2026-01-05T00:00:00Z');
const fill = (i: number, extra: Record<string, unknown> = {}) => ({
  type: 'fill',
  engine: 'e1',
  ts: T0 + i * 1000,
  fill_id: `f${i}`,
  order_id: `o${i}`,
  symbol: 'BTC/USD',
  side: i % 2 ? 'sell' : 'buy',
  quantity: '1',
  price: String(100 + i),
  fee: '0.1',
  ...extra,
});

const newStore = () => new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 0 } });

function apply(store: Store, events: unknown[]): void {
  const batch = validateBatch(events);
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  store.apply(batch.events);
}

/** A history whose reads answer when the test says so. */
function controlledHistory(rows: FillRow[]) {
  const calls: { filter: FeedFilter; limit: number; answer: () => void; fail: () => void }[] = [];
  const read: FillHistoryReader = (filter, limit) =>
    new Promise((resolve, reject) =>
      calls.push({
        filter,
        limit,
        answer: () => resolve(rows.filter((r) => filter.symbol === undefined || r.symbol === filter.symbol)),
        fail: () => reject(new Error('connection refused')),
      }),
    );
  return { read, calls };
}

const historyRow = (i: number, extra: Partial<FillRow> = {}): FillRow => ({
  engine: 'e1',
  fill_id: `h${i}`,
  order_id: `ho${i}`,
  symbol: 'ETH/USD',
  side: 'sell',
  price: 2000,
  quantity: 1,
  fee: 0.5,
  ts: new Date(T0 - 100_000 + i).toISOString(),
  realized_pnl: 10 + i,
  ...extra,
});

const flushed = () => new Promise((r) => setImmediate(r));

test('with a history, the fills snapshot holds the fills that left memory long ago, with their realized PnL, filtered', async () => {
  const store = newStore();
  // Fills of ETH/USD long ago: only the history still has them (memory keeps the last 500 per engine).
  const { read, calls } = controlledHistory([historyRow(1), historyRow(2)]);
  const hub = new FeedHub(store, {
    batchMs: 100,
    lagBytes: 1000,
    maxBufferedBytes: 10_000,
    maxOwedKeys: 5000,
    fillHistory: read,
  });
  store.onChanges(hub.onChanges);
  apply(store, [fill(1), fill(2, { symbol: 'ETH/USD' })]);
  const eth = new FakePeer();
  hub.subscribe(eth, 'fills', { symbol: 'ETH/USD' }, undefined);
  expect(eth.frames).toHaveLength(0); // nothing before the history answered
  expect(calls[0]).toMatchObject({ filter: { symbol: 'ETH/USD' }, limit: FILL_SNAPSHOT_ROWS });
  calls[0]!.answer();
  await flushed();
  expect(eth.frames[0]).toMatchObject({ type: 'snapshot', seq: 0 });
  expect(eth.frames[0]!.rows!.map((r) => [r.fill_id, r.realized_pnl])).toEqual([
    ['h1', 11],
    ['h2', 12],
    ['f2', expect.any(Number)], // the one in memory the history has not been written yet
  ]);
});

test('fills that arrive while the history is read are in the snapshot or the next update, once, in sequence', async () => {
  const store = newStore();
  const { read, calls } = controlledHistory([historyRow(1, { symbol: 'BTC/USD' })]);
  const hub = new FeedHub(store, {
    batchMs: 100,
    lagBytes: 1000,
    maxBufferedBytes: 10_000,
    maxOwedKeys: 5000,
    fillHistory: read,
  });
  store.onChanges(hub.onChanges);
  const early = new FakePeer();
  hub.subscribe(early, 'fills', {}, undefined);
  calls[0]!.answer();
  await flushed();
  expect(early.ids()).toEqual(['h1']);

  const late = new FakePeer();
  hub.subscribe(late, 'fills', {}, undefined); // the topic changed nothing since: the same snapshot, at once
  expect(late.frames[0]).toMatchObject({ type: 'snapshot', seq: 0 });

  apply(store, [fill(1)]);
  const third = new FakePeer();
  hub.subscribe(third, 'fills', {}, undefined); // reads the history again (the state moved)
  expect(calls).toHaveLength(2);
  // While that read runs, fills arrive and updates go out to the others (seq 1, 2).
  hub.flush();
  apply(store, [fill(2)]);
  hub.flush();
  expect(early.frames.map((f) => f.seq)).toEqual([0, 1, 2]);
  expect(third.frames).toHaveLength(0);
  calls[1]!.answer();
  await flushed();
  apply(store, [fill(3)]);
  hub.flush();
  expect(third.frames.map((f) => [f.type, f.seq])).toEqual([
    ['snapshot', 2],
    ['update', 3],
  ]);
  expect(third.ids()).toEqual(['h1', 'f1', 'f2', 'f3']);
  expect(early.ids()).toEqual(['h1', 'f1', 'f2', 'f3']);
});

test('a fill of the filter that arrives during the read and leaves memory at once is still in the snapshot', async () => {
  const store = newStore();
  const { read, calls } = controlledHistory([historyRow(1)]);
  const hub = new FeedHub(store, {
    batchMs: 100,
    lagBytes: 1 << 20,
    maxBufferedBytes: 1 << 22,
    maxOwedKeys: 5000,
    fillHistory: read,
  });
  store.onChanges(hub.onChanges);
  const eth = new FakePeer();
  hub.subscribe(eth, 'fills', { symbol: 'ETH/USD' }, undefined);
  apply(store, [fill(0, { symbol: 'ETH/USD' })]);
  hub.flush();
  const busy = [];
  for (let i = 1; i <= 600; i++) busy.push(fill(i)); // BTC fills push it out of memory (500 per engine)
  apply(store, busy);
  hub.flush();
  calls[0]!.answer(); // the history was read before it was written
  await flushed();
  expect(eth.frames[0]).toMatchObject({ type: 'snapshot', seq: 1 }); // after the one update of ETH/USD
  expect(eth.ids()).toEqual(['h1', 'f0']);
});

test('a history that fails or hangs gives way to memory after the timeout', async () => {
  const store = newStore();
  const { read, calls } = controlledHistory([historyRow(1)]);
  const hub = new FeedHub(store, {
    batchMs: 100,
    lagBytes: 1000,
    maxBufferedBytes: 10_000,
    maxOwedKeys: 5000,
    fillHistory: read,
    fillSnapshotTimeoutMs: 50,
  });
  store.onChanges(hub.onChanges);
  apply(store, [fill(1)]);
  const refused = new FakePeer();
  hub.subscribe(refused, 'fills', {}, undefined);
  calls[0]!.fail();
  await flushed();
  expect(refused.ids()).toEqual(['f1']);

  apply(store, [fill(2)]);
  const hung = new FakePeer();
  hub.subscribe(hung, 'fills', {}, undefined); // never answered
  const started = Date.now();
  while (hung.frames.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
  expect(hung.ids()).toEqual(['f1', 'f2']);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(hub.totals.snapshotFallbacks).toBe(2);
});

test('a subscription that leaves before its snapshot is read gets nothing', async () => {
  const store = newStore();
  const { read, calls } = controlledHistory([historyRow(1)]);
  const hub = new FeedHub(store, {
    batchMs: 100,
    lagBytes: 1000,
    maxBufferedBytes: 10_000,
    maxOwedKeys: 5000,
    fillHistory: read,
  });
  const peer = new FakePeer();
  hub.unsubscribe(hub.subscribe(peer, 'fills', {}, undefined));
  calls[0]!.answer();
  await flushed();
  expect(peer.frames).toHaveLength(0);
});

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Waits for a condition (not a fixed time), up to 10 s. */
async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.each(['SQLite', 'PostgreSQL'])('over the real %s history', (kind) => {
  let dir: string;
  const schema = `tw_fills_snapshot_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'tw-fills-snapshot-'))));
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (kind === 'PostgreSQL') {
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });
  const open = (): HistoryStore =>
    kind === 'SQLite'
      ? new SqliteHistory(path.join(dir, 'history.sqlite'))
      : new PostgresHistory({ url: PG_URL, schema });

  test('the last 500 fills of a symbol come from the history, newest last, with the PnL each realized', async () => {
    const store = newStore();
    const history = open();
    const writer = new HistoryWriter(history, { flushMs: 10 }).attach(store);
    const emitted = new Map<string, FillRow>();
    store.onChanges((changes) => {
      for (const c of changes)
        if (c.channel === 'fills' && c.row)
          emitted.set((c.row as FillRecord).fill_id, fillRow(c.row as FillRecord));
    });
    // 700 ETH fills, then 600 BTC fills: memory keeps only the last 500 (all BTC).
    const events = [];
    for (let i = 0; i < 700; i++) events.push(fill(i, { symbol: 'ETH/USD', price: String(2000 + (i % 7)) }));
    for (let i = 700; i < 1300; i++) events.push(fill(i));
    apply(store, events);
    expect(await writer.drain()).toBe(true);
    const hub = new FeedHub(store, {
      batchMs: 100,
      lagBytes: 1 << 20,
      maxBufferedBytes: 1 << 22,
      maxOwedKeys: 5000,
      fillHistory: fillHistoryReader(history as SqliteHistory | PostgresHistory),
    });
    const peer = new FakePeer();
    hub.subscribe(peer, 'fills', { symbol: 'ETH/USD' }, undefined);
    await until(() => peer.frames.length > 0);
    const rows = peer.frames[0]!.rows!;
    expect(rows).toHaveLength(500);
    expect(rows[0]!.fill_id).toBe('f200');
    expect(rows[499]!.fill_id).toBe('f699');
    // Each row as the state emitted it, realized PnL included (some closing fills made money).
    expect(rows).toEqual(rows.map((r) => emitted.get(r.fill_id)));
    expect(rows.some((r) => r.realized_pnl > 0)).toBe(true);
    expect(hub.totals.snapshotFallbacks).toBe(0);
    await writer.close();
  });
});

describe('the SQLite walk', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'tw-fills-snapshot-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('SQLite walks the time index in slices: the same newest fills as one read, and it stops at its deadline', async () => {
    const sqlite = new SqliteHistory(path.join(dir, 'history.sqlite'));
    const fills: FillRecord[] = [];
    for (let i = 0; i < 1000; i++)
      fills.push({
        engine: i % 3 ? 'a' : 'b',
        fill_id: `f${i}`,
        order_id: `o${i}`,
        symbol: i % 50 === 0 ? 'RARE/USD' : 'BTC/USD',
        side: 'buy',
        price: 1,
        quantity: 1,
        fee: 0,
        strategy: i % 7 === 0 ? 'rare' : 'momentum',
        tsMs: T0 + Math.floor(i / 4) * 1000, // four fills share each time
        realized_pnl: i,
      });
    await sqlite.write({ fills, orders: [], round_trips: [], alerts: [] });
    for (const filter of [
      {},
      { engine: 'b' },
      { symbol: 'RARE/USD' },
      { engine: 'a', strategy: 'rare' },
      { symbol: 'NONE' },
    ]) {
      const sliced = await sqlite.readNewestFills(filter, 15, { slice: 40 });
      const whole = (await sqlite.read('fills', { ...filter, limit: 15, order: 'desc' })).rows;
      expect(sliced).toEqual(whole);
    }
    const late = await sqlite.readNewestFills({ symbol: 'RARE/USD' }, 15, { slice: 100, until: 0 });
    expect(late.length).toBeLessThan(15); // only the first slice was read
    await sqlite.close();
  });
});
