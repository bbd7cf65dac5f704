import { Client } from 'pg';
import { PostgresHistory, columnLiteral } from './postgres';
import { emptyBatch } from './store';

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const T0 = Date.parse('2026-01-05T00:00:00Z');

test('array literals: quotes, backslashes, braces, commas, "NULL" and empty text, and every shape of number', () => {
  expect(columnLiteral(['a"b', 'c\\d', null, '', 'NULL'])).toBe('{"a\\"b","c\\\\d",NULL,"","NULL"}');
  expect(columnLiteral([1.5, -0.032, 1e-7, 63990.123456789, null])).toBe(
    '{1.5,-0.032,1e-7,63990.123456789,NULL}',
  );
});

test('PostgreSQL stores exactly the text and numbers it was given through the array literals', async () => {
  const schema = `tw_literal_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const store = new PostgresHistory({ url: PG_URL, schema });
  const texts = [
    'plain',
    'a "quoted" word',
    'back\\slash\\',
    '{braces},commas',
    'NULL',
    '',
    'é ✓ 𝄞',
    'tab\tnew\nline',
  ];
  const numbers = [0, -0.032, 1e-7, 63_990.123456789, 123_456_789.5, 5e-324, Number.MAX_VALUE];
  const batch = emptyBatch();
  texts.forEach((strategy, i) =>
    batch.fills.push({
      engine: 'e1',
      fill_id: `f${i}`,
      order_id: `o${i}`,
      symbol: 'BTC/USD',
      side: 'buy',
      price: numbers[i % numbers.length],
      quantity: numbers[(i + 3) % numbers.length],
      fee: 0.01,
      strategy,
      tsMs: T0 + i,
      realized_pnl: numbers[(i + 5) % numbers.length],
    }),
  );
  try {
    await store.write(batch);
    const page = await store.read('fills', { limit: 100 });
    expect(page.rows.map((r) => [r.strategy, r.price, r.quantity, r.realized_pnl, r.ts])).toEqual(
      batch.fills.map((f) => [
        f.strategy,
        f.price,
        f.quantity,
        f.realized_pnl,
        new Date(f.tsMs).toISOString(),
      ]),
    );
  } finally {
    await store.close();
    const c = new Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
}, 30_000);
