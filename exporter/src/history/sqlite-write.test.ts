import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './sql';
import { SqliteHistory } from './sqlite';
import { dialect } from './sqlite-read';
import { openWriter, ROWS_PER_INSERT, toCellBatch, type CellBatch, type SqliteWriter } from './sqlite-write';
import { emptyBatch, type HistoryBatch } from './store';
import type { Cell, OrderState } from './tables';

const T0 = Date.parse('2026-01-05T00:00:00Z');

const fill = (i: number): HistoryBatch['fills'][number] => ({
  engine: 'e1',
  fill_id: `f${i}`,
  order_id: `o${i}`,
  symbol: 'BTC/USD',
  side: 'buy',
  price: 100 + i,
  quantity: 1,
  fee: 0.01,
  strategy: 'mr',
  tsMs: T0 + i,
  realized_pnl: 0,
});

const order = (id: string, status: OrderState['status'], updated: number): OrderState => ({
  engine: 'e1',
  order_id: id,
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
  journal_seq: 1,
  journal_pos: 0,
});

/** Cells of `count` fills from `from`. */
function fillCells(from: number, count: number): CellBatch {
  const batch = emptyBatch();
  for (let i = from; i < from + count; i++) batch.fills.push(fill(i));
  return toCellBatch(batch);
}

/** `cells` with the fill at `at` refused by the table (no engine: NOT NULL). */
function refusedAt(cells: CellBatch, at: number): CellBatch {
  const fills = cells.fills.map((row, i): Cell[] => (i === at ? [null, ...row.slice(1)] : row));
  return { ...cells, fills };
}

describe('the SQLite history writer (multi-row INSERTs and the rest one by one)', () => {
  let dir: string;
  let file: string;
  let writer: SqliteWriter;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tw-sqlite-write-'));
    file = path.join(dir, 'history.sqlite');
    const db = new Database(file);
    for (const m of migrations(dialect)) for (const s of m.statements) db.exec(s);
    db.close();
    writer = openWriter(file);
  });
  afterEach(() => {
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = <T>(sql: string): T[] => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const fillIds = () =>
    query<{ fill_id: string }>('SELECT fill_id FROM fills ORDER BY ts').map((r) => r.fill_id);

  test('every row lands, cell for cell, in whole statements and the remainder', () => {
    const count = 2 * ROWS_PER_INSERT + 7;
    writer.write(fillCells(0, count));
    expect(fillIds()).toEqual(Array.from({ length: count }, (_, i) => `f${i}`));
    const prices = query<{ price: number }>('SELECT price FROM fills ORDER BY ts').map((r) => r.price);
    expect(prices).toEqual(Array.from({ length: count }, (_, i) => 100 + i));
  });

  test('a row written again is kept once, its first state stays (fills), in one statement or across two', () => {
    writer.write(fillCells(0, ROWS_PER_INSERT));
    const again = fillCells(0, ROWS_PER_INSERT);
    again.fills[5][6] = 999; // its price: the stored row stays
    writer.write(again);
    const twiceInOne = fillCells(ROWS_PER_INSERT, ROWS_PER_INSERT);
    twiceInOne.fills[1] = [...twiceInOne.fills[0]];
    twiceInOne.fills[1][6] = 999;
    writer.write(twiceInOne);
    expect(fillIds()).toHaveLength(2 * ROWS_PER_INSERT - 1);
    expect(query<{ n: number }>('SELECT count(*) AS n FROM fills WHERE price = 999')[0].n).toBe(0);
  });

  test("an order's later state replaces the earlier one, whichever comes first in a multi-row statement", () => {
    const batch = emptyBatch();
    for (let i = 0; i < ROWS_PER_INSERT - 2; i++) batch.orders.push(order(`o${i}`, 'filled', T0 + 1));
    batch.orders.push(order('a', 'partially_filled', T0 + 1), order('a', 'filled', T0 + 2));
    batch.orders.push(order('b', 'filled', T0 + 2), order('b', 'partially_filled', T0 + 1));
    writer.write(toCellBatch(batch));
    const states = query<{ order_id: string; status: string }>(
      "SELECT order_id, status FROM orders WHERE order_id IN ('a', 'b') ORDER BY order_id",
    );
    expect(states).toEqual([
      { order_id: 'a', status: 'filled' },
      { order_id: 'b', status: 'filled' },
    ]);
    expect(query<{ n: number }>('SELECT count(*) AS n FROM orders')[0].n).toBe(ROWS_PER_INSERT);
  });

  test("a refused order undoes the batch's fills written before it, and the next batch is written", () => {
    const batch = emptyBatch();
    for (let i = 0; i < ROWS_PER_INSERT; i++) batch.orders.push(order(`o${i}`, 'filled', T0 + 1));
    const cells = { ...toCellBatch(batch), fills: fillCells(0, ROWS_PER_INSERT + 1).fills };
    cells.orders[7] = [...cells.orders[7]];
    cells.orders[7][1] = null; // no order_id
    expect(() => writer.write(cells)).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_NOTNULL' }));
    expect(fillIds()).toEqual([]);
    writer.write(fillCells(0, 3));
    expect(fillIds()).toEqual(['f0', 'f1', 'f2']);
    expect(writer.prune(T0 + 1)).toBe(1);
  });

  test.each([
    ['in a multi-row statement', 3],
    ['in the remainder', 2 * ROWS_PER_INSERT + 1],
  ])('a refused row %s fails the whole batch with SQLite code; halving sets it alone', (_, at) => {
    const cells = refusedAt(fillCells(0, 2 * ROWS_PER_INSERT + 3), at);
    let err: unknown;
    try {
      writer.write(cells);
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect(SqliteHistory.prototype.refuses(err)).toBe(true);
    expect(fillIds()).toEqual([]); // one transaction: nothing of it is written

    // As the history writer sorts a refused batch (writer.ts, writeSorting): halves until the row stands alone.
    const setAside: Cell[][] = [];
    const sort = (rows: Cell[][]): void => {
      try {
        writer.write({ ...cells, fills: rows });
      } catch (e) {
        if (!SqliteHistory.prototype.refuses(e)) throw e;
        if (rows.length === 1) return void setAside.push(rows[0]);
        const half = rows.length >> 1;
        sort(rows.slice(0, half));
        sort(rows.slice(half));
      }
    };
    sort(cells.fills);
    expect(setAside).toEqual([cells.fills[at]]);
    expect(fillIds()).toHaveLength(cells.fills.length - 1);
  });
});
