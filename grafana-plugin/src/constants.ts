import type { BlotterMode, BlotterOptions, ColumnId, Density, FillColumnId, RowFilters } from './types';

/**
 * Test ids, keyed by component. Jest tests and the browser tests (tests/blotter) select
 * through these same strings, so keep them stable.
 */
export const TEST_IDS = {
  blotter: {
    root: 'blotter',
    grid: 'blotter-grid',
    row: 'blotter-row',
    cell: 'blotter-cell',
    flash: 'blotter-row-flash',
    progress: 'blotter-fill-progress',
    age: 'blotter-age',
  },
  header: {
    root: 'blotter-header',
    orders: 'blotter-header-orders',
    buyNotional: 'blotter-header-buy-notional',
    sellNotional: 'blotter-header-sell-notional',
    shown: 'blotter-header-shown',
  },
  columnHeader: {
    root: 'blotter-column-header',
    sortButton: 'blotter-sort',
  },
  toolbar: {
    root: 'blotter-toolbar',
    search: 'blotter-search',
    filter: 'blotter-filter',
    clear: 'blotter-clear-filters',
  },
  connection: {
    root: 'blotter-connection',
  },
  state: {
    empty: 'blotter-empty',
    error: 'blotter-error',
    banner: 'blotter-problem-banner',
    unconfigured: 'blotter-unconfigured',
  },
  fills: {
    root: 'fills-tape',
    grid: 'fills-grid',
    row: 'fills-row',
    cell: 'fills-cell',
    count: 'fills-count',
    pnlTotal: 'fills-pnl-total',
    flash: 'fills-row-flash',
  },
  standalone: {
    mode: 'standalone-mode',
    form: 'standalone-token-form',
    token: 'standalone-token',
    connect: 'standalone-connect',
    changeToken: 'standalone-change-token',
  },
  editors: {
    columns: 'editor-columns',
  },
} as const;

export const ALL_COLUMNS: ColumnId[] = [
  'created',
  'engine',
  'strategy',
  'symbol',
  'side',
  'type',
  'quantity',
  'filled',
  'limitPrice',
  'avgFillPrice',
  'status',
  'age',
  'fees',
];

export const FILL_COLUMNS: FillColumnId[] = [
  'time',
  'engine',
  'symbol',
  'side',
  'price',
  'quantity',
  'fee',
  'realizedPnl',
  'strategy',
];

/** Fills the tape keeps (newest first); older ones drop off the end. */
export const TAPE_ROWS = 2000;

export const MODES: Array<{ value: BlotterMode; label: string }> = [
  { value: 'orders', label: 'Orders' },
  { value: 'fills', label: 'Fills' },
];

export const ROW_HEIGHTS: Record<Density, number> = {
  compact: 24,
  normal: 32,
  comfortable: 40,
};

/** How long a changed row stays highlighted. */
export const FLASH_MS = 1200;

export const EMPTY_FILTERS: RowFilters = {
  engine: [],
  strategy: [],
  symbol: [],
  side: [],
  status: [],
  search: '',
};

export const DEFAULT_OPTIONS: BlotterOptions = {
  columns: ALL_COLUMNS,
  density: 'normal',
  flash: true,
  closedRetentionSeconds: 10,
  maxRows: 10000,
};
