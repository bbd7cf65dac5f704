import type { OrderRow } from '@tradewatch/feed-client';

import type { BlotterRow, ColumnId } from '../types';

export interface ColumnDef {
  id: ColumnId;
  label: string;
  /** Narrowest useful width in px; used to decide what fits. */
  minWidth: number;
  /** Grid track weight once every visible column has its minimum. */
  grow: number;
  /** 1 is kept longest; higher numbers are hidden first on a narrow panel. */
  priority: number;
  align: 'left' | 'right' | 'center';
  /** A value that orders rows by this column (numbers or strings). */
  sortValue: (row: BlotterRow, now: number) => number | string;
}

export const createdMs = (order: OrderRow): number => {
  const ms = Date.parse(order.created_at);
  return Number.isNaN(ms) ? 0 : ms;
};

/** The row's creation time, parsed once by the store (or now, for rows made elsewhere). */
export const rowCreatedMs = (row: BlotterRow): number => row.createdMs ?? createdMs(row.order);

const num = (v: number | undefined): number => (v === undefined || Number.isNaN(v) ? -Infinity : v);

export const COLUMNS: Record<ColumnId, ColumnDef> = {
  created: {
    id: 'created',
    label: 'Created',
    minWidth: 72,
    grow: 1.2,
    priority: 5,
    align: 'left',
    sortValue: rowCreatedMs,
  },
  engine: {
    id: 'engine',
    label: 'Engine',
    minWidth: 64,
    grow: 1,
    priority: 7,
    align: 'left',
    sortValue: (r) => r.order.engine,
  },
  strategy: {
    id: 'strategy',
    label: 'Strategy',
    minWidth: 72,
    grow: 1.2,
    priority: 6,
    align: 'left',
    sortValue: (r) => r.order.strategy ?? '',
  },
  symbol: {
    id: 'symbol',
    label: 'Symbol',
    minWidth: 76,
    grow: 1,
    priority: 1,
    align: 'left',
    sortValue: (r) => r.order.symbol,
  },
  side: {
    id: 'side',
    label: 'Side',
    minWidth: 44,
    grow: 0.6,
    priority: 1,
    align: 'left',
    sortValue: (r) => r.order.side,
  },
  type: {
    id: 'type',
    label: 'Type',
    minWidth: 64,
    grow: 0.8,
    priority: 8,
    align: 'left',
    sortValue: (r) => r.order.order_type,
  },
  quantity: {
    id: 'quantity',
    label: 'Quantity',
    minWidth: 72,
    grow: 1,
    priority: 2,
    align: 'right',
    sortValue: (r) => num(r.order.quantity),
  },
  filled: {
    id: 'filled',
    label: 'Filled',
    minWidth: 88,
    grow: 1.3,
    priority: 3,
    align: 'left',
    sortValue: (r) => (r.order.quantity > 0 ? r.order.filled_quantity / r.order.quantity : 0),
  },
  limitPrice: {
    id: 'limitPrice',
    label: 'Limit price',
    minWidth: 80,
    grow: 1,
    priority: 2,
    align: 'right',
    sortValue: (r) => num(r.order.limit_price),
  },
  avgFillPrice: {
    id: 'avgFillPrice',
    label: 'Avg fill price',
    minWidth: 88,
    grow: 1,
    priority: 6,
    align: 'right',
    sortValue: (r) => num(r.order.avg_fill_price),
  },
  status: {
    id: 'status',
    label: 'Status',
    minWidth: 84,
    grow: 1,
    priority: 1,
    align: 'left',
    sortValue: (r) => r.order.status,
  },
  age: {
    id: 'age',
    label: 'Age',
    minWidth: 56,
    grow: 0.7,
    priority: 4,
    align: 'right',
    // older first when ascending by age
    sortValue: (r, now) => now - rowCreatedMs(r),
  },
  fees: {
    id: 'fees',
    label: 'Fees',
    minWidth: 84,
    grow: 1,
    priority: 7,
    align: 'right',
    sortValue: (r) => num(r.order.fees),
  },
};

/**
 * The columns that fit in `width`: the chosen ones, in their order, dropping the least
 * important (highest priority number, then the rightmost) until their minimum widths fit.
 * At least the priority-1 columns are always kept.
 */
export function fitColumns(chosen: readonly ColumnId[], width: number, padding = 0): ColumnId[] {
  const kept = chosen.filter((id) => COLUMNS[id] !== undefined);
  const total = () => kept.reduce((sum, id) => sum + COLUMNS[id].minWidth + padding, 0);
  while (total() > width) {
    let drop = -1;
    for (let i = kept.length - 1; i >= 0; i--) {
      const p = COLUMNS[kept[i]].priority;
      if (p > 1 && (drop < 0 || p > COLUMNS[kept[drop]].priority)) {
        drop = i;
      }
    }
    if (drop < 0) {
      break;
    }
    kept.splice(drop, 1);
  }
  return kept;
}

/** CSS grid-template-columns for the given columns. */
export function gridTemplate(columns: readonly ColumnId[]): string {
  return columns.map((id) => `minmax(${COLUMNS[id].minWidth}px, ${COLUMNS[id].grow}fr)`).join(' ');
}
