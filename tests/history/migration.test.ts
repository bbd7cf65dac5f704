/**
 * A history made by an older version (schema version 1: tests/history/fixtures) opens with
 * this one, in the real SQLite and the real PostgreSQL: migration 2 runs, the rows already
 * there read back as they were, and new rows are written beside them, an order's later state
 * replacing an old row of the same time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { PostgresHistory } from '../../exporter/src/history/postgres';
import { SqliteHistory } from '../../exporter/src/history/sqlite';
import { emptyBatch, type HistoryStore } from '../../exporter/src/history/store';
import type { OrderRecord } from '../../exporter/src/state/changes';
import { orderRow } from '../../exporter/src/state/wire-rows';
import { orderState } from './order-states';

jest.setTimeout(30_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const T = Date.parse('2026-01-05T00:00:07Z');
const fixture = (db: string) => readFileSync(path.join(__dirname, 'fixtures', `schema-v1.${db}.sql`), 'utf8');

const order = (status: OrderRecord['status'], filled: number): OrderRecord =>
  orderState(status, T, { filled_quantity: filled });

/** The old row, as version 1 wrote it: canceled, at time T (times as each store keeps them). */
const OLD_ROW =
  "('e1', 'o1', {T}, {C}, 'BTC/USD', 'buy', 'limit', 'canceled', 1, 0.4, NULL, NULL, NULL, 0.1, NULL, NULL, NULL, NULL, NULL, NULL)";

async function checkOpensAndWorks(store: HistoryStore, versions: () => Promise<number[]>): Promise<void> {
  // The old row reads back as it was.
  expect((await store.read('orders', { limit: 10 })).rows).toEqual([orderRow(order('canceled', 0.4))]);
  expect(await versions()).toEqual([1, 2]);
  // A later state of the same time replaces it; an earlier state (older journal record) written after does not.
  const later = emptyBatch();
  later.orders.push({ ...order('filled', 1), journal_seq: 9, journal_pos: 0 });
  later.fills.push({
    engine: 'e1',
    fill_id: 'f1',
    order_id: 'o1',
    symbol: 'BTC/USD',
    side: 'buy',
    price: 100,
    quantity: 1,
    fee: 0.1,
    tsMs: T,
    realized_pnl: -0.1,
  });
  await store.write(later);
  const earlier = emptyBatch();
  earlier.orders.push({ ...order('canceled', 0.4), journal_seq: 8, journal_pos: 3 });
  await store.write(earlier);
  expect((await store.read('orders', { limit: 10 })).rows).toEqual([orderRow(order('filled', 1))]);
  expect((await store.read('fills', { limit: 10 })).rows.map((f) => f.fill_id)).toEqual(['f1']);
}

test('SQLite: a version 1 history.sqlite opens, migrates and keeps working', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-migrate-'));
  const file = path.join(dir, 'history.sqlite');
  const old = new Database(file);
  old.exec(fixture('sqlite'));
  old.exec(`INSERT INTO orders VALUES ${OLD_ROW.replace('{T}', String(T)).replace('{C}', String(T - 7000))}`);
  old.close();
  const store = new SqliteHistory(file);
  try {
    await checkOpensAndWorks(store, () => {
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
        version: number;
      }[];
      db.close();
      return Promise.resolve(rows.map((r) => r.version));
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL: a version 1 schema opens, migrates and keeps working', async () => {
  const schema = `tw_migrate_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  const store = new PostgresHistory({ url: PG_URL, schema });
  try {
    await c.query(fixture('postgres').replace(/"SCHEMA"/g, `"${schema}"`));
    const time = (ms: number) => `'${new Date(ms).toISOString()}'`;
    await c.query(
      `INSERT INTO "${schema}".orders VALUES ${OLD_ROW.replace('{T}', time(T)).replace('{C}', time(T - 7000))}`,
    );
    await checkOpensAndWorks(store, async () =>
      (
        await c.query<{ version: number }>(
          `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
        )
      ).rows.map((r) => r.version),
    );
  } finally {
    await store.close();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
});
