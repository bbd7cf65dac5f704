import React from 'react';

import { TEST_IDS } from '../constants';
import type { GridColumn, GridTable } from '../components/Grid';
import type { FillColumnId, TapeRow } from '../types';
import { formatPnl, pnlTone } from '../utils/fillTape';
import { formatNumber } from '../utils/format';
import { amountCell, optionalCell, sideCell, strongCell, timeCell } from './cells';

/** The fills tape's columns: what each shows and what is hidden first when narrow. */
export const FILL_COLUMN_DEFS: Record<FillColumnId, GridColumn<TapeRow>> = {
  time: {
    label: 'Time',
    minWidth: 72,
    grow: 1.1,
    priority: 2,
    align: 'left',
    render: (r, ctx) => timeCell(r.tsMs, ctx),
  },
  engine: { label: 'Engine', minWidth: 64, grow: 1, priority: 6, align: 'left', render: (r) => r.fill.engine },
  symbol: {
    label: 'Symbol',
    minWidth: 76,
    grow: 1,
    priority: 1,
    align: 'left',
    render: (r, { text }) => strongCell(r.fill.symbol, text),
  },
  side: {
    label: 'Side',
    minWidth: 44,
    grow: 0.6,
    priority: 1,
    align: 'left',
    render: (r, { text }) => sideCell(r.fill.side, text),
  },
  price: {
    label: 'Price',
    minWidth: 72,
    grow: 1,
    priority: 3,
    align: 'right',
    render: (r) => formatNumber(r.fill.price),
  },
  quantity: {
    label: 'Quantity',
    minWidth: 72,
    grow: 1,
    priority: 3,
    align: 'right',
    render: (r) => formatNumber(r.fill.quantity),
  },
  fee: {
    label: 'Fee',
    minWidth: 64,
    grow: 0.9,
    priority: 5,
    align: 'right',
    render: (r, { text }) => amountCell(r.fill.fee, r.fill.fee_currency, text),
  },
  realizedPnl: {
    label: 'Realized PnL',
    minWidth: 92,
    grow: 1.1,
    priority: 1,
    align: 'right',
    render: (r, { text }) => (
      <span className={text.pnl[pnlTone(r.fill.realized_pnl)]}>{formatPnl(r.fill.realized_pnl)}</span>
    ),
  },
  strategy: {
    label: 'Strategy',
    minWidth: 72,
    grow: 1.1,
    priority: 4,
    align: 'left',
    render: (r, { text }) => optionalCell(r.fill.strategy, text),
  },
};

/** The fills tape's grid: newest first, a fill highlighted when it arrives live. */
export const FILLS_TABLE: GridTable<TapeRow, FillColumnId> = {
  label: 'Fills, newest first',
  columns: FILL_COLUMN_DEFS,
  testIds: {
    grid: TEST_IDS.fills.grid,
    row: TEST_IDS.fills.row,
    cell: TEST_IDS.fills.cell,
    flash: TEST_IDS.fills.flash,
  },
  key: (r) => r.key,
  changedAt: (r) => r.arrivedAt,
  faded: () => false,
  dataset: (r) => ({
    'data-engine': r.fill.engine,
    'data-fill-id': r.fill.fill_id,
    'data-pnl': pnlTone(r.fill.realized_pnl),
  }),
};
