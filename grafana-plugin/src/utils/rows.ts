import type { OrderRow } from '@tradewatch/feed-client';

import type { BlotterRow, ResolvedFilter, RowFilters, SortState } from '../types';
import { ORDER_COLUMN_DEFS } from '../columns/orders';
import { rowCreatedMs } from './orderTime';

const SEARCH_FIELDS: Array<keyof OrderRow> = [
  'order_id',
  'client_order_id',
  'symbol',
  'strategy',
  'engine',
  'side',
  'status',
  'order_type',
  'venue',
];

/** True when the order passes the subscription filter (used for multi-value variables). */
export function matchesResolved(
  order: Pick<OrderRow, 'engine' | 'strategy' | 'symbol'>,
  filter: ResolvedFilter
): boolean {
  if (filter.engine && !filter.engine.includes(order.engine)) {
    return false;
  }
  if (filter.strategy && !filter.strategy.includes(order.strategy ?? '')) {
    return false;
  }
  if (filter.symbol && !filter.symbol.includes(order.symbol)) {
    return false;
  }
  return true;
}

export function hasActiveFilters(f: RowFilters): boolean {
  return (
    f.engine.length + f.strategy.length + f.symbol.length + f.side.length + f.status.length > 0 ||
    f.search.trim() !== ''
  );
}

/** The toolbar filters and the quick search (case-insensitive substring of ids and names). */
export function filterRows(rows: readonly BlotterRow[], f: RowFilters): BlotterRow[] {
  if (!hasActiveFilters(f)) {
    return rows.slice();
  }
  const needle = f.search.trim().toLowerCase();
  const inList = (list: string[], v: string | undefined) => list.length === 0 || list.includes(v ?? '');
  return rows.filter(({ order }) => {
    if (
      !inList(f.engine, order.engine) ||
      !inList(f.strategy, order.strategy) ||
      !inList(f.symbol, order.symbol) ||
      !inList(f.side, order.side) ||
      !inList(f.status, order.status)
    ) {
      return false;
    }
    if (needle) {
      return SEARCH_FIELDS.some((k) => {
        const v = order[k];
        return typeof v === 'string' && v.toLowerCase().includes(needle);
      });
    }
    return true;
  });
}

/**
 * A stable sort by one column; ties keep the newest order first.
 * `previous` (the last result) makes a re-sort after a few changes nearly linear: the rows
 * are laid out in their previous order first, so the engine's merge sort finds long runs.
 */
export function sortRows(
  rows: readonly BlotterRow[],
  sort: SortState,
  now: number,
  previous?: readonly BlotterRow[]
): BlotterRow[] {
  const col = ORDER_COLUMN_DEFS[sort.column];
  const dir = sort.direction === 'asc' ? 1 : -1;
  const input =
    previous && previous.length > 0 && previous[0].sortRank === 0 ? inPreviousOrder(rows, previous.length) : rows;
  // decorate once: sort keys are computed n times, not n·log n times
  const keyed = input.map((row, i) => ({ row, i, v: col.sortValue(row, now), t: rowCreatedMs(row) }));
  keyed.sort((a, b) => {
    if (a.v < b.v) {
      return -dir;
    }
    if (a.v > b.v) {
      return dir;
    }
    if (a.t !== b.t) {
      return b.t - a.t;
    }
    return a.i - b.i;
  });
  const out = new Array<BlotterRow>(keyed.length);
  for (let i = 0; i < keyed.length; i++) {
    out[i] = keyed[i].row;
    out[i].sortRank = i;
  }
  return out;
}

/**
 * `rows` in the order of the previous sort (each row object remembers its place there in
 * `sortRank`), then the rows that were not in it (new or changed objects). Only a hint: a
 * stale or clashing rank just sends the row to the end, the sort that follows is complete.
 */
function inPreviousOrder(rows: readonly BlotterRow[], previousLength: number): BlotterRow[] {
  const slots: Array<BlotterRow | undefined> = new Array(previousLength);
  const fresh: BlotterRow[] = [];
  for (const row of rows) {
    const at = row.sortRank;
    if (at === undefined || at >= previousLength || slots[at] !== undefined) {
      fresh.push(row);
    } else {
      slots[at] = row;
    }
  }
  const out: BlotterRow[] = [];
  for (const row of slots) {
    if (row !== undefined) {
      out.push(row);
    }
  }
  for (const row of fresh) {
    out.push(row);
  }
  return out;
}

/** Notional of an order's remaining quantity at its limit (or average fill) price. */
export function remainingNotional(order: OrderRow): number {
  const price = order.limit_price ?? order.avg_fill_price ?? order.stop_price ?? 0;
  const remaining = Math.max(0, order.quantity - (order.filled_quantity || 0));
  return remaining * price;
}

export interface RowSummary {
  /** Active (not closed) orders among the rows. */
  orders: number;
  buyNotional: number;
  sellNotional: number;
}

export function summarize(rows: readonly BlotterRow[]): RowSummary {
  let orders = 0;
  let buyNotional = 0;
  let sellNotional = 0;
  for (const { order, closedAt } of rows) {
    if (closedAt !== undefined) {
      continue;
    }
    orders++;
    const n = remainingNotional(order);
    if (order.side === 'buy') {
      buyNotional += n;
    } else {
      sellNotional += n;
    }
  }
  return { orders, buyNotional, sellNotional };
}

export interface DistinctValues {
  engine: string[];
  strategy: string[];
  symbol: string[];
}

export function distinctValues(rows: readonly BlotterRow[]): DistinctValues {
  const engine = new Set<string>();
  const strategy = new Set<string>();
  const symbol = new Set<string>();
  for (const { order } of rows) {
    engine.add(order.engine);
    if (order.strategy) {
      strategy.add(order.strategy);
    }
    symbol.add(order.symbol);
  }
  const sorted = (s: Set<string>) => Array.from(s).sort();
  return { engine: sorted(engine), strategy: sorted(strategy), symbol: sorted(symbol) };
}

/**
 * Sorts successive versions of the rows, handing each sort the previous result as a hint
 * (see sortRows): after a few changes a re-sort of thousands of rows is nearly linear.
 */
export class IncrementalSorter {
  private last: { sort: SortState; rows: BlotterRow[] } | null = null;

  sort(rows: readonly BlotterRow[], sort: SortState): BlotterRow[] {
    const previous = this.last?.sort === sort ? this.last.rows : undefined;
    // `now` only offsets the age column, whose order is that of the creation times
    const sorted = sortRows(rows, sort, 0, previous);
    this.last = { sort, rows: sorted };
    return sorted;
  }
}
