import { EMPTY_FILTERS } from '../constants';
import { order } from '../testUtils/fakeFeedClient';
import type { BlotterRow } from '../types';
import {
  IncrementalSorter,
  distinctValues,
  filterRows,
  matchesResolved,
  remainingNotional,
  sortRows,
  summarize,
} from './rows';

const row = (o = order(), extra: Partial<BlotterRow> = {}): BlotterRow => ({ key: o.order_id, order: o, ...extra });

describe('sortRows', () => {
  const a = row(order({ order_id: 'a', symbol: 'DOGE/USD', quantity: 5, created_at: '2024-01-01T10:00:00Z' }));
  const b = row(order({ order_id: 'b', symbol: 'XRP/USD', quantity: 50, created_at: '2024-01-01T11:00:00Z' }));
  const c = row(
    order({ order_id: 'c', symbol: 'BTC/USD', quantity: 1, limit_price: undefined, created_at: '2024-01-01T12:00:00Z' })
  );

  it('sorts strings and numbers both ways', () => {
    const ids = (rows: BlotterRow[]) => rows.map((r) => r.key);
    expect(ids(sortRows([a, b, c], { column: 'symbol', direction: 'asc' }, 0))).toEqual(['c', 'a', 'b']);
    expect(ids(sortRows([a, b, c], { column: 'symbol', direction: 'desc' }, 0))).toEqual(['b', 'a', 'c']);
    expect(ids(sortRows([a, b, c], { column: 'quantity', direction: 'desc' }, 0))).toEqual(['b', 'a', 'c']);
    expect(ids(sortRows([a, b, c], { column: 'created', direction: 'desc' }, 0))).toEqual(['c', 'b', 'a']);
    // age ascending = youngest first
    expect(ids(sortRows([a, b, c], { column: 'age', direction: 'asc' }, Date.parse('2024-01-02')))).toEqual([
      'c',
      'b',
      'a',
    ]);
    // a missing limit price sorts as the smallest
    expect(ids(sortRows([a, b, c], { column: 'limitPrice', direction: 'asc' }, 0))[0]).toBe('c');
  });

  it('sorts by fill ratio and keeps ties newest first', () => {
    const p = row(order({ order_id: 'p', quantity: 10, filled_quantity: 5, created_at: '2024-01-01T10:00:00Z' }));
    const q = row(order({ order_id: 'q', quantity: 100, filled_quantity: 50, created_at: '2024-01-01T11:00:00Z' }));
    const r = row(order({ order_id: 'r', quantity: 100, filled_quantity: 10 }));
    expect(sortRows([p, q, r], { column: 'filled', direction: 'desc' }, 0).map((x) => x.key)).toEqual(['q', 'p', 'r']);
  });

  it('does not mutate its input', () => {
    const input = [a, b, c];
    sortRows(input, { column: 'symbol', direction: 'asc' }, 0);
    expect(input).toEqual([a, b, c]);
  });
});

describe('IncrementalSorter', () => {
  it('gives the same order as a fresh sort after changes, additions and removals', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const make = (i: number) =>
      row(
        order({
          order_id: `r${i}`,
          quantity: Math.floor(rand() * 50),
          created_at: new Date(1e12 + Math.floor(rand() * 1e6)).toISOString(),
        })
      );
    let rows = Array.from({ length: 500 }, (_, i) => make(i));
    const sorter = new IncrementalSorter();
    const sort = { column: 'quantity', direction: 'desc' } as const;
    for (let round = 0; round < 20; round++) {
      const fresh = sortRows(
        rows.map((r) => ({ ...r, sortRank: undefined })),
        sort,
        0
      ).map((r) => r.key);
      expect(sorter.sort(rows, sort).map((r) => r.key)).toEqual(fresh);
      // change some, drop some, add some
      rows = rows
        .filter(() => rand() > 0.05)
        .map((r) => (rand() < 0.1 ? row({ ...r.order, quantity: Math.floor(rand() * 50) }) : r));
      rows.push(...Array.from({ length: 20 }, (_, i) => make(1000 * (round + 1) + i)));
    }
  });
});

describe('filterRows', () => {
  const rows = [
    row(order({ order_id: 'x1', engine: 'e1', symbol: 'XRP/USD', side: 'buy', status: 'new', strategy: 'mm' })),
    row(
      order({
        order_id: 'x2',
        engine: 'e2',
        symbol: 'DOGE/USD',
        side: 'sell',
        status: 'partially_filled',
        strategy: 'trend',
      })
    ),
    row(
      order({
        order_id: 'x3',
        engine: 'e1',
        symbol: 'DOGE/USD',
        side: 'buy',
        status: 'new',
        client_order_id: 'CLIENT-42',
      })
    ),
  ];
  const keys = (f: Partial<typeof EMPTY_FILTERS>) => filterRows(rows, { ...EMPTY_FILTERS, ...f }).map((r) => r.key);

  it('filters by each list, combined with AND', () => {
    expect(keys({})).toEqual(['x1', 'x2', 'x3']);
    expect(keys({ engine: ['e1'] })).toEqual(['x1', 'x3']);
    expect(keys({ symbol: ['DOGE/USD'], side: ['buy'] })).toEqual(['x3']);
    expect(keys({ status: ['partially_filled', 'new'], strategy: ['trend'] })).toEqual(['x2']);
  });

  it('quick-searches ids, symbols and strategies case-insensitively', () => {
    expect(keys({ search: 'doge' })).toEqual(['x2', 'x3']);
    expect(keys({ search: 'client-42' })).toEqual(['x3']);
    expect(keys({ search: '  TREND ' })).toEqual(['x2']);
    expect(keys({ search: 'nothing' })).toEqual([]);
  });

  it('applies multi-value subscription filters', () => {
    expect(matchesResolved(rows[0].order, { engine: ['e1', 'e3'] })).toBe(true);
    expect(matchesResolved(rows[1].order, { engine: ['e1', 'e3'] })).toBe(false);
    expect(matchesResolved(rows[2].order, { strategy: ['trend'] })).toBe(false);
  });
});

describe('summarize and distinctValues', () => {
  it('counts active orders and the notional of what remains to fill', () => {
    const rows = [
      row(order({ side: 'buy', quantity: 100, filled_quantity: 40, limit_price: 2 })),
      row(order({ side: 'sell', quantity: 10, limit_price: undefined, avg_fill_price: 3 })),
      row(order({ side: 'sell', quantity: 1000, limit_price: 1 }), { closedAt: 1 }),
    ];
    expect(summarize(rows)).toEqual({ orders: 2, buyNotional: 120, sellNotional: 30 });
    expect(remainingNotional(order({ order_type: 'market', limit_price: undefined }))).toBe(0);
  });

  it('lists distinct engines, strategies and symbols', () => {
    const rows = [
      row(order({ engine: 'b', symbol: 'S2' })),
      row(order({ engine: 'a', symbol: 'S2', strategy: undefined })),
    ];
    expect(distinctValues(rows)).toEqual({ engine: ['a', 'b'], strategy: ['mm'], symbol: ['S2'] });
  });
});
