/**
 * Two final states of one order with EQUAL `updated_at` (an adapter that stamps every state
 * of a poll with the poll's time) in different write batches: the writer keeps several
 * writes in flight and retries a failed one after later ones have gone, so the earlier
 * state may reach the store last. The stored row must still be the later state, in the
 * real SQLite and the real PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PostgresHistory } from '../../exporter/src/history/postgres';
import { SqliteHistory } from '../../exporter/src/history/sqlite';
import type { HistoryBatch, HistoryStore } from '../../exporter/src/history/store';
import { HistoryWriter } from '../../exporter/src/history/writer';
import { validateBatch } from '../../exporter/src/events/validate';
import type { OrderRecord } from '../../exporter/src/state/changes';
import { Store } from '../../exporter/src/state/store';
import { orderRow } from '../../exporter/src/state/wire-rows';
import { orderState } from './order-states';

jest.setTimeout(30_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const T = '2026-01-05T00:00:07.000Z';

const state = (status: OrderRecord['status'], filled: number): OrderRecord =>
  orderState(status, Date.parse(T), { filled_quantity: filled });

/**
 * The real store, but its first write is held until `release` (then stored, or failed with
 * a connection error, as a store that dropped the connection): what a slow or lost first
 * transaction does while the next one commits.
 */
class FirstWriteHeld implements HistoryStore {
  readonly kind: HistoryStore['kind'];
  readonly writesInFlight?: number;
  stored = 0;
  private writes = 0;
  private release!: (fail: boolean) => void;
  private readonly released = new Promise<boolean>((resolve) => (this.release = resolve));
  constructor(private readonly inner: HistoryStore) {
    this.kind = inner.kind;
    this.writesInFlight = inner.writesInFlight;
  }
  async write(batch: HistoryBatch): Promise<void> {
    if (++this.writes === 1 && (await this.released)) throw new Error('connection terminated unexpectedly');
    await this.inner.write(batch);
    this.stored += 1;
  }
  releaseFirst(fail: boolean): void {
    this.release(fail);
  }
  read: HistoryStore['read'] = (table, query) => this.inner.read(table, query);
  prune = (before: number) => this.inner.prune(before);
  close = () => this.inner.close();
}

/** Waits (polling every 10 ms) until `ok()` holds; fails after `timeoutMs`. */
async function until(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Fixture {
  name: string;
  open(): HistoryStore;
  cleanup(): Promise<void>;
}

const sqlite = (): Fixture => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-ties-'));
  return {
    name: 'SQLite',
    open: () => new SqliteHistory(path.join(dir, 'history.sqlite')),
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
};

const postgres = (): Fixture => {
  const schema = `tw_ties_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  return {
    name: 'PostgreSQL',
    open: () => new PostgresHistory({ url: PG_URL, schema }),
    cleanup: async () => {
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
};

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('equal-time states of one order, %s', (_name, make) => {
  for (const [how, fail] of [
    ['held until the later one is stored', false],
    ['failed after the later one is stored, then retried', true],
  ] as const)
    test(`the later state is kept when the earlier one's write is ${how}`, async () => {
      const fixture = make();
      const store = new FirstWriteHeld(fixture.open());
      const writer = new HistoryWriter(store, { batchRows: 100, flushMs: 20 });
      try {
        // Journal record 7 canceled it partly filled; record 8, same poll time, says filled.
        writer.applying(7);
        writer.take([{ channel: 'orders', key: 'o1', row: null, final: state('canceled', 0.4) }]);
        await until(() => writer.stats.queued === 0); // its write has started (and is held)
        writer.applying(8);
        writer.take([{ channel: 'orders', key: 'o1', row: null, final: state('filled', 1) }]);
        await until(() => store.stored === 1); // the later state is stored; the earlier still in flight
        store.releaseFirst(fail);
        await until(() => store.stored === 2);
        expect(await writer.drain()).toBe(true);
        const rows = (await store.read('orders', { limit: 10 })).rows;
        expect(rows).toEqual([orderRow(state('filled', 1))]);
      } finally {
        await writer.close();
        await fixture.cleanup();
      }
    });
});

/** Events as ingest passes them on (validated). */
function events(raw: Record<string, unknown>[]) {
  const batch = validateBatch(raw);
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  return batch.events;
}

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('an order closed by an engine snapshot, %s', (_name, make) => {
  test('then reported filled at the same time: the history ends filled, as the live state', async () => {
    const fixture = make();
    const live = new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 0 } });
    const store = fixture.open();
    const writer = new HistoryWriter(store, { flushMs: 1 }).attach(live);
    const at = Date.parse(T);
    const order = (status: string) => ({
      type: 'order',
      engine: 'e1',
      ts: at,
      order_id: 'o1',
      symbol: 'BTC/USD',
      side: 'buy',
      order_type: 'limit',
      status,
      quantity: '1',
      filled_quantity: status === 'filled' ? '1' : '0',
      limit_price: '100',
    });
    try {
      writer.applying(1);
      live.apply(events([order('new')]));
      // The engine's snapshot no longer lists it (it filled meanwhile): closed as it was known, open.
      writer.applying(2);
      live.apply(events([{ type: 'snapshot', engine: 'e1', ts: at, orders: [] }]));
      expect(await writer.drain()).toBe(true);
      writer.applying(3);
      live.apply(events([order('filled')]));
      expect(await writer.drain()).toBe(true);
      const rows = (await store.read('orders', { limit: 10 })).rows;
      expect(rows.map((r) => [r.status, r.filled_quantity])).toEqual([['filled', 1]]);
    } finally {
      await writer.close();
      await fixture.cleanup();
    }
  });
});
