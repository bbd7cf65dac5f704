import React from 'react';

import { TEST_IDS } from '../constants';
import { FillProgress } from '../components/Blotter/components/FillProgress';
import type { GridColumn, GridTable } from '../components/Grid';
import type { BlotterRow, ColumnId } from '../types';
import { STATUS_LABELS, TYPE_LABELS, formatAge, formatNumber } from '../utils/format';
import { rowCreatedMs } from '../utils/orderTime';
import { amountCell, optionalCell, sideCell, strongCell, timeCell } from './cells';

export interface OrderColumn extends GridColumn<BlotterRow> {
  /** A value that orders rows by this column (numbers or strings). */
  sortValue: (row: BlotterRow, now: number) => number | string;
}

const num = (v: number | undefined): number => (v === undefined || Number.isNaN(v) ? -Infinity : v);

/** The blotter's columns: what each shows, how it sorts, and what is hidden first when narrow. */
export const ORDER_COLUMN_DEFS: Record<ColumnId, OrderColumn> = {
  created: {
    label: 'Created',
    minWidth: 72,
    grow: 1.2,
    priority: 5,
    align: 'left',
    sortValue: rowCreatedMs,
    render: (r, ctx) => timeCell(rowCreatedMs(r), ctx),
  },
  engine: {
    label: 'Engine',
    minWidth: 64,
    grow: 1,
    priority: 7,
    align: 'left',
    sortValue: (r) => r.order.engine,
    render: (r) => r.order.engine,
  },
  strategy: {
    label: 'Strategy',
    minWidth: 72,
    grow: 1.2,
    priority: 6,
    align: 'left',
    sortValue: (r) => r.order.strategy ?? '',
    render: (r, { text }) => optionalCell(r.order.strategy, text),
  },
  symbol: {
    label: 'Symbol',
    minWidth: 76,
    grow: 1,
    priority: 1,
    align: 'left',
    sortValue: (r) => r.order.symbol,
    render: (r, { text }) => strongCell(r.order.symbol, text),
  },
  side: {
    label: 'Side',
    minWidth: 44,
    grow: 0.6,
    priority: 1,
    align: 'left',
    sortValue: (r) => r.order.side,
    render: (r, { text }) => sideCell(r.order.side, text),
  },
  type: {
    label: 'Type',
    minWidth: 64,
    grow: 0.8,
    priority: 8,
    align: 'left',
    sortValue: (r) => r.order.order_type,
    render: (r) => TYPE_LABELS[r.order.order_type] ?? r.order.order_type,
  },
  quantity: {
    label: 'Quantity',
    minWidth: 72,
    grow: 1,
    priority: 2,
    align: 'right',
    sortValue: (r) => num(r.order.quantity),
    render: (r) => formatNumber(r.order.quantity),
  },
  filled: {
    label: 'Filled',
    minWidth: 88,
    grow: 1.3,
    priority: 3,
    align: 'left',
    sortValue: (r) => (r.order.quantity > 0 ? r.order.filled_quantity / r.order.quantity : 0),
    render: (r) => <FillProgress filled={r.order.filled_quantity} quantity={r.order.quantity} />,
  },
  limitPrice: {
    label: 'Limit price',
    minWidth: 80,
    grow: 1,
    priority: 2,
    align: 'right',
    sortValue: (r) => num(r.order.limit_price),
    render: (r) => formatNumber(r.order.limit_price),
  },
  avgFillPrice: {
    label: 'Avg fill price',
    minWidth: 88,
    grow: 1,
    priority: 6,
    align: 'right',
    sortValue: (r) => num(r.order.avg_fill_price),
    render: (r) => formatNumber(r.order.avg_fill_price),
  },
  status: {
    label: 'Status',
    minWidth: 84,
    grow: 1,
    priority: 1,
    align: 'left',
    sortValue: (r) => r.order.status,
    render: (r, { text }) => (
      <span className={text.statuses[r.order.status] ?? text.statuses.new}>
        {STATUS_LABELS[r.order.status] ?? r.order.status}
      </span>
    ),
  },
  age: {
    label: 'Age',
    minWidth: 56,
    grow: 0.7,
    priority: 4,
    align: 'right',
    // older first when ascending by age
    sortValue: (r, now) => now - rowCreatedMs(r),
    // a closed order's age stops at its close
    render: (r, { now }) => (
      <span data-testid={TEST_IDS.blotter.age}>{formatAge((r.closedAt ?? now) - rowCreatedMs(r))}</span>
    ),
  },
  fees: {
    label: 'Fees',
    minWidth: 84,
    grow: 1,
    priority: 7,
    align: 'right',
    sortValue: (r) => num(r.order.fees),
    render: (r, { text }) => amountCell(r.order.fees, r.order.fee_currency, text),
  },
};

/** The blotter's grid: active orders, closed ones faded for a while. */
export const ORDERS_TABLE: GridTable<BlotterRow, ColumnId> = {
  label: 'Active orders',
  columns: ORDER_COLUMN_DEFS,
  testIds: {
    grid: TEST_IDS.blotter.grid,
    row: TEST_IDS.blotter.row,
    cell: TEST_IDS.blotter.cell,
    flash: TEST_IDS.blotter.flash,
  },
  key: (r) => r.key,
  changedAt: (r) => r.changedAt,
  faded: (r) => r.closedAt !== undefined,
  dataset: (r) => ({
    'data-order-id': r.order.order_id,
    'data-status': r.order.status,
    'data-closed': r.closedAt !== undefined ? 'true' : 'false',
  }),
};
