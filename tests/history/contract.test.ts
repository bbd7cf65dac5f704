/**
 * One contract, two stores: the same tests run against SQLite (a file in a temp dir) and
 * the real PostgreSQL at 127.0.0.1:5432 (a throwaway schema, dropped after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PostgresHistory } from '../../exporter/src/history/postgres';
import { SqliteHistory } from '../../exporter/src/history/sqlite';
import {
  emptyBatch,
  type Cursor,
  type HistoryBatch,
  type HistoryStore,
} from '../../exporter/src/history/store';
import type { OrderState } from '../../exporter/src/history/tables';
import type { AlertRecord, FillRecord, OrderRecord, RoundTripRecord } from '../../exporter/src/state/changes';
import { alertRow, fillRow, orderRow, roundTripRow } from '../../exporter/src/state/wire-rows';
import { orderState } from './order-states';

export const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const T0 = Date.parse('2026-01-05T00:00:00Z');

/** A fill record as the state hands it to the history (times in epoch ms). */
function fill(i: number, extra: Partial<FillRecord> = {}): FillRecord {
  return {
    engine: 'e1',
    fill_id: `f${String(i).padStart(6, '0')}`,
    order_id: `o${i}`,
    symbol: i % 2 === 0 ? 'BTC/USD' : 'ETH/USD',
    side: i % 3 === 0 ? 'sell' : 'buy',
    price: 100 + i,
    quantity: 0.5,
    fee: 0.01,
    strategy: i % 2 === 0 ? 'mr' : 'trend',
    tsMs: T0 + i * 1000,
    realized_pnl: i % 3 === 0 ? 1.25 : -0.01,
    ...extra,
  };
}

const order = (status: OrderRecord['status'], updated: number): OrderRecord =>
  orderState(status, updated, { limit_price: 100, strategy: 'mr' });

/** An order state as the writer stores it: from journal record `seq`, its `pos`-th order state. */
const at = (record: OrderRecord, seq: number, pos = 0): OrderState => ({
  ...record,
  journal_seq: seq,
  journal_pos: pos,
});

const trip: RoundTripRecord = {
  engine: 'e1',
  symbol: 'BTC/USD',
  strategy: 'mr',
  direction: 'short',
  openedMs: T0,
  closedMs: T0 + 5000,
  quantity: 2,
  entry_price: 110,
  exit_price: 100,
  pnl: 19.5,
  fees: 0.5,
  pnl_quote: 19.5,
  fees_quote: 0.5,
  outcome: 'win',
  close_fill_id: 'f000005',
};

const alert: AlertRecord = {
  engine: 'e1',
  key: 'a1',
  name: 'DrawdownHigh',
  severity: 'critical',
  message: 'drawdown, 9 % = "too much"',
  labels: { limit: 'drawdown' },
  tsMs: T0 + 2000,
};

const batch = (parts: Partial<HistoryBatch>): HistoryBatch => ({ ...emptyBatch(), ...parts });

interface Fixture {
  name: string;
  open(): Promise<HistoryStore>;
  cleanup(): Promise<void>;
}

function sqliteFixture(): Fixture {
  let dir = '';
  return {
    name: 'SQLite',
    open: () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tw-history-'));
      return Promise.resolve(new SqliteHistory(path.join(dir, 'history.sqlite')));
    },
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

export function postgresFixture(): Fixture & { schema: string } {
  const schema = `tw_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  return {
    name: 'PostgreSQL',
    schema,
    open: () => Promise.resolve(new PostgresHistory({ url: PG_URL, schema })),
    cleanup: async () => {
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

describe.each([sqliteFixture(), postgresFixture()])('history store contract: $name', (fixture) => {
  let store: HistoryStore;
  beforeEach(async () => {
    store = await fixture.open();
  });
  afterEach(async () => {
    await store.close();
    await fixture.cleanup();
  });

  test('records come back as the wire rows the feed makes of them, in time order; writing the same identities again changes nothing', async () => {
    const fills = [3, 1, 2].map((i) => fill(i));
    await store.write(batch({ fills, round_trips: [trip], alerts: [alert] }));
    await store.write(batch({ fills: [fill(1, { price: 999 })], round_trips: [trip], alerts: [alert] }));
    const page = await store.read('fills', { limit: 10 });
    expect(page.rows).toEqual([fill(1), fill(2), fill(3)].map(fillRow));
    expect(page.next).toBeNull();
    expect((await store.read('round_trips', { limit: 10 })).rows).toEqual([roundTripRow(trip)]);
    expect((await store.read('alerts', { limit: 10 })).rows).toEqual([alertRow(alert)]);
  });

  test('the same fill id in two engines is two fills (identity is engine and id)', async () => {
    await store.write(batch({ fills: [fill(1), fill(1, { engine: 'e2' })] }));
    const rows = (await store.read('fills', { limit: 10 })).rows;
    expect(rows.map((r) => r.engine)).toEqual(['e1', 'e2']);
    expect((await store.read('fills', { limit: 10, engine: 'e2' })).rows).toHaveLength(1);
  });

  test('a closed order is kept in its latest state; an older state written later does not replace it', async () => {
    await store.write(batch({ orders: [at(order('canceled', T0 + 1000), 1)] }));
    await store.write(
      batch({ orders: [at(order('filled', T0 + 3000), 2), at(order('filled', T0 + 3000), 2, 1)] }),
    );
    // Later in the journal but older: the time decides first.
    await store.write(batch({ orders: [at(order('canceled', T0 + 2000), 3)] }));
    const rows = (await store.read('orders', { limit: 10 })).rows;
    expect(rows).toEqual([orderRow(order('filled', T0 + 3000))]);
  });

  test('states of one order with equal times: the later in the journal is kept, in whatever order they come', async () => {
    const canceled = order('canceled', T0 + 1000);
    const filled = order('filled', T0 + 1000);
    // In one batch, the later first; then the earlier alone, after it.
    await store.write(batch({ orders: [at(filled, 5, 1), at(canceled, 5, 0)] }));
    await store.write(batch({ orders: [at(canceled, 4)] }));
    expect((await store.read('orders', { limit: 10 })).rows).toEqual([orderRow(filled)]);
  });

  test('time range is inclusive at both ends; engine, strategy and symbol filter', async () => {
    await store.write(batch({ fills: Array.from({ length: 10 }, (_, i) => fill(i)) }));
    const ids = async (q: Parameters<HistoryStore['read']>[1]) =>
      (await store.read('fills', q)).rows.map((r) => r.fill_id);
    expect(await ids({ limit: 100, from: T0 + 2000, to: T0 + 4000 })).toEqual([
      'f000002',
      'f000003',
      'f000004',
    ]);
    expect(await ids({ limit: 100, strategy: 'mr', symbol: 'BTC/USD', to: T0 + 4000 })).toEqual([
      'f000000',
      'f000002',
      'f000004',
    ]);
    expect(await ids({ limit: 100, engine: 'nope' })).toEqual([]);
    // a fill without a strategy is found as strategy none, as the metrics label it
    await store.write(batch({ fills: [fill(42, { strategy: undefined })] }));
    expect(await ids({ limit: 100, strategy: 'none' })).toEqual(['f000042']);
  });

  test('pages continue exactly where the last ended (rows with equal times included), both orders', async () => {
    // 25 fills, five at each of five times, across two engines
    const fills = Array.from({ length: 25 }, (_, i) =>
      fill(i, { tsMs: T0 + Math.floor(i / 5) * 1000, engine: i % 2 ? 'e2' : 'e1' }),
    );
    await store.write(batch({ fills }));
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let after: Cursor | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await store.read('fills', { limit: 7, order, after });
        seen.push(...page.rows.map((r) => `${r.engine}/${r.fill_id}`));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
      const times = seen.map((k) => fills.find((f) => `${f.engine}/${f.fill_id}` === k)!.tsMs);
      const sorted = [...times].sort((a, b) => a - b);
      expect(times).toEqual(order === 'asc' ? sorted : sorted.reverse());
    }
  });

  test('retention deletes rows older than the cut from every table, and nothing newer', async () => {
    await store.write(
      batch({
        fills: [fill(0), fill(9)],
        orders: [at(order('filled', T0), 1)],
        round_trips: [trip],
        alerts: [alert],
      }),
    );
    // cut at T0 + 3000: fill 0, the order (T0) and the alert (T0 + 2000) go; fill 9 and the trip (T0 + 5000) stay
    expect(await store.prune(T0 + 3000)).toBe(3);
    expect((await store.read('fills', { limit: 10 })).rows.map((r) => r.fill_id)).toEqual(['f000009']);
    expect((await store.read('round_trips', { limit: 10 })).rows).toHaveLength(1);
    expect((await store.read('orders', { limit: 10 })).rows).toHaveLength(0);
  });
});

test('PostgreSQL: tables live in the configured schema, with the migration version recorded', async () => {
  const fixture = postgresFixture();
  const store = await fixture.open();
  try {
    await store.write(batch({ fills: [fill(1)] }));
    const c = new Client({ connectionString: PG_URL });
    await c.connect();
    const tables = await c.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [fixture.schema],
    );
    const version = await c.query<{ version: number }>(
      `SELECT version FROM "${fixture.schema}".schema_migrations ORDER BY version`,
    );
    const ts = await c.query<{ type: string }>(
      `SELECT pg_typeof(ts)::text AS type FROM "${fixture.schema}".fills`,
    );
    await c.end();
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'alerts',
      'fills',
      'orders',
      'round_trips',
      'schema_migrations',
    ]);
    expect(version.rows).toEqual([{ version: 1 }, { version: 2 }]);
    // Grafana's time filter needs a real timestamp column
    expect(ts.rows[0].type).toBe('timestamp with time zone');
  } finally {
    await store.close();
    await fixture.cleanup();
  }
});
