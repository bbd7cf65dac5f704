import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteHistory } from './sqlite';
import { emptyBatch, type HistoryBatch } from './store';
import type { OrderRecord } from '../state/changes';
import type { OrderState } from './tables';

const T0 = Date.parse('2026-01-05T00:00:00Z');

function fills(from: number, count: number): HistoryBatch {
  const batch = emptyBatch();
  for (let i = from; i < from + count; i++)
    batch.fills.push({
      engine: 'e1',
      fill_id: `f${i}`,
      order_id: `o${i}`,
      symbol: 'BTC/USD',
      side: 'buy',
      price: 100,
      quantity: 1,
      fee: 0.01,
      strategy: 'mr',
      tsMs: T0 + i,
      realized_pnl: -0.01,
    });
  return batch;
}

const order = (status: OrderRecord['status'], updated: number, seq: number): OrderState => ({
  engine: 'e1',
  order_id: 'o1',
  symbol: 'BTC/USD',
  side: 'buy',
  order_type: 'limit',
  status,
  quantity: 1,
  filled_quantity: status === 'filled' ? 1 : 0,
  limit_price: 100,
  fees: 0.1,
  strategy: 'mr',
  createdMs: T0,
  updatedMs: updated,
  journal_seq: seq,
  journal_pos: 0,
});

describe('the SQLite history write worker', () => {
  let dir: string;
  let store: SqliteHistory;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tw-write-worker-'));
    store = new SqliteHistory(path.join(dir, 'history.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = () => {
    const db = new Database(store.file, { readonly: true });
    try {
      return {
        fills: (db.prepare('SELECT count(*) AS n FROM fills').get() as { n: number }).n,
        status: (db.prepare('SELECT status FROM orders').get() as { status: string } | undefined)?.status,
      };
    } finally {
      db.close();
    }
  };

  test('a sync answers after every write posted before it (their WAL synced by then)', async () => {
    const settled: string[] = [];
    const write = store.write(fills(0, 5000)).then(() => settled.push('write'));
    const sync = store.sync().then(() => settled.push('sync'));
    await Promise.all([write, sync]);
    expect(settled).toEqual(['write', 'sync']);
    expect(stored().fills).toBe(5000);
  });

  test('a worker killed with writes unanswered is started again and every one of them is written, in order', async () => {
    const first = store.write(fills(0, 5000));
    const rest = [1, 2, 3, 4, 5].map((b) => store.write(fills(b * 5000, 5000)));
    // An order's later state posted after its earlier one: it must end up stored.
    const open = emptyBatch();
    open.orders.push(order('open', T0 + 1, 1));
    const done = emptyBatch();
    done.orders.push(order('filled', T0 + 2, 2));
    const orders = [store.write(open), store.write(done)];
    await first;
    const worker = store.writer.current;
    const unanswered = store.writer.unanswered;
    expect(worker).not.toBeNull();
    await worker?.terminate();
    await Promise.all([...rest, ...orders]);
    expect(unanswered).toBeGreaterThan(0); // it died with writes in hand
    expect(store.writer.starts).toBe(2);
    expect(stored()).toEqual({ fills: 30_000, status: 'filled' });
  }, 30_000);

  test('a worker killed before it answered anything: the writes are written by the next one', async () => {
    const writes = [0, 1, 2].map((b) => store.write(fills(b * 1000, 1000)));
    await store.writer.current?.terminate();
    await Promise.all(writes);
    expect(store.writer.starts).toBe(2);
    expect(stored().fills).toBe(3000);
  }, 30_000);
});
