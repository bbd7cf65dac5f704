import type { FillRow, OrderRow } from '@tradewatch/feed-client';

/** What the blotter shows: the active orders, or the tape of fills with their realized PnL. */
export type BlotterMode = 'orders' | 'fills';

/** Columns of the fills tape. */
export type FillColumnId =
  'time' | 'engine' | 'symbol' | 'side' | 'price' | 'quantity' | 'fee' | 'realizedPnl' | 'strategy';

/** One fill of the tape, with what the tape knows about its life here. */
export interface TapeRow {
  key: string;
  fill: FillRow;
  /** ts as epoch ms, parsed once. */
  tsMs: number;
  /** Wall-clock ms when it arrived live (not set by a snapshot). */
  arrivedAt?: number;
}

export type ColumnId =
  | 'created'
  | 'engine'
  | 'strategy'
  | 'symbol'
  | 'side'
  | 'type'
  | 'quantity'
  | 'filled'
  | 'limitPrice'
  | 'avgFillPrice'
  | 'status'
  | 'age'
  | 'fees';

export type Density = 'compact' | 'normal' | 'comfortable';

/**
 * The panel options, as saved in the dashboard JSON: display only. The rows come from the
 * panel's query on the tradewatch feed data source; the panel holds no URL and no token.
 */
export interface BlotterOptions {
  columns: ColumnId[];
  density: Density;
  flash: boolean;
  /** Seconds a closed order stays visible, faded, with its final status (0: hide at once). */
  closedRetentionSeconds: number;
  /** At most this many rows are rendered (after sorting). */
  maxRows: number;
}

/**
 * Options of dashboards saved before the data source (plugin 0.1.0): dropped by the
 * migration handler (module.ts) and never read; the token was visible to anyone who could
 * read the dashboard JSON, so it must go at the next save.
 */
export const LEGACY_OPTIONS = [
  'feedUrl',
  'viewerToken',
  'channel',
  'engineFilter',
  'strategyFilter',
  'symbolFilter',
] as const;

/** One row of the blotter: an order plus what the blotter knows about its life here. */
export interface BlotterRow {
  key: string;
  order: OrderRow;
  /** created_at as epoch ms, parsed once (sorting and ages read it often). */
  createdMs?: number;
  /** Wall-clock ms of the last change seen live (not set by a snapshot). */
  changedAt?: number;
  /** Wall-clock ms when the order left the active set; set means closed and fading. */
  closedAt?: number;
  /** Internal: this row's place in the last sort (a hint for the next one, see sortRows). */
  sortRank?: number;
}

export type SortDirection = 'asc' | 'desc';
export interface SortState {
  column: ColumnId;
  direction: SortDirection;
}

/** Client-side filters of the toolbar; an empty list matches everything. */
export interface RowFilters {
  engine: string[];
  strategy: string[];
  symbol: string[];
  side: string[];
  status: string[];
  search: string;
}

/** Subscription filters after variable interpolation. A list means "any of these". */
export interface ResolvedFilter {
  engine?: string[];
  strategy?: string[];
  symbol?: string[];
}
