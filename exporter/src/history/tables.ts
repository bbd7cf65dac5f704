/**
 * The four history tables (docs/history.md), described once: their columns,
 * identity, time column, how a record of the state maps to them (its times are epoch ms
 * already) and how they map back to the wire rows the history API serves. Both stores
 * (SQLite, PostgreSQL) build their SQL from these descriptions.
 */
import type {
  AlertRecord,
  AlertRow,
  FillRecord,
  FillRow,
  OrderRecord,
  OrderRow,
  RoundTripRecord,
  RoundTripRow,
} from '../state/changes';

export type { AlertRow, FillRow, OrderRow, RoundTripRow };

export type ColumnType = 'text' | 'real' | 'time' | 'integer';

export interface Column {
  name: string;
  type: ColumnType;
  nullable?: boolean;
  /** The migration that added it (sql.ts); none: the tables' first version. */
  since?: number;
  /** Kept for the store's own use (the order of states), never read back nor shown. */
  internal?: boolean;
}

export type HistoryTable = 'fills' | 'orders' | 'round_trips' | 'alerts';
export const HISTORY_TABLES: readonly HistoryTable[] = ['fills', 'orders', 'round_trips', 'alerts'];

/** What a table gives back: the rows the history API serves. */
export interface RowOfTable {
  fills: FillRow;
  orders: OrderRow;
  round_trips: RoundTripRow;
  alerts: AlertRow;
}

/** What a table is written from: the state's records. */
export interface RecordOfTable {
  fills: FillRecord;
  orders: OrderRecord;
  round_trips: RoundTripRecord;
  alerts: AlertRecord;
}

/**
 * An order's final state as the writer stores it: the record, and where it came in the
 * journal: the record it came from and its place among that record's order states. Two
 * states with equal `updated_at` are told apart by these (sql.ts, `onConflict`).
 */
export interface OrderState extends OrderRecord {
  journal_seq: number;
  journal_pos: number;
}

/** A record as written (an order with its place in the journal); reads give `RowOfTable`. */
export interface WrittenRecordOfTable extends Omit<RecordOfTable, 'orders'> {
  orders: OrderState;
}

/** A column's value as stored: times in epoch ms (each store converts to its own type). */
export type Cell = string | number | null;

export interface TableSpec<T extends HistoryTable = HistoryTable> {
  name: T;
  /** Columns, in the order `toCells` gives them: engine, then the id, then the rest. */
  columns: readonly Column[];
  /** The row's identity with the engine ((engine, fill_id), (engine, order_id)…). */
  id: string;
  /** The column a time range selects on (and retention deletes by). */
  time: string;
  /** Columns a reader may filter on, besides engine and the time range. */
  filters: readonly ('strategy' | 'symbol')[];
  /**
   * Orders: a row with the same identity replaces the stored one when these columns, compared
   * in order, are not lower (a later state); none: the first row stays.
   */
  replaceBy?: readonly string[];
  toCells(record: WrittenRecordOfTable[T]): Cell[];
  fromCells(cells: Record<string, Cell>): RowOfTable[T];
}

const iso = (v: Cell): string => new Date(Number(v)).toISOString();
const str = (v: Cell): string => String(v);
const num = (v: Cell): number => Number(v);
const opt = <T>(v: Cell, f: (c: Cell) => T): T | undefined => (v === null ? undefined : f(v));
/** Adds optional fields only when present (rows from the state omit absent fields). */
function withOptional<R extends object>(row: R, optional: Record<string, unknown>): R {
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (row as Record<string, unknown>)[k] = v;
  return row;
}

const fills: TableSpec<'fills'> = {
  name: 'fills',
  id: 'fill_id',
  time: 'ts',
  filters: ['strategy', 'symbol'],
  columns: [
    { name: 'engine', type: 'text' },
    { name: 'fill_id', type: 'text' },
    { name: 'ts', type: 'time' },
    { name: 'order_id', type: 'text' },
    { name: 'symbol', type: 'text' },
    { name: 'side', type: 'text' },
    { name: 'price', type: 'real' },
    { name: 'quantity', type: 'real' },
    { name: 'fee', type: 'real' },
    { name: 'fee_currency', type: 'text', nullable: true },
    { name: 'liquidity', type: 'text', nullable: true },
    { name: 'strategy', type: 'text', nullable: true },
    { name: 'realized_pnl', type: 'real' },
  ],
  toCells: (r) => [
    r.engine,
    r.fill_id,
    r.tsMs,
    r.order_id,
    r.symbol,
    r.side,
    r.price,
    r.quantity,
    r.fee,
    r.fee_currency ?? null,
    r.liquidity ?? null,
    r.strategy ?? null,
    r.realized_pnl,
  ],
  fromCells: (c) =>
    withOptional(
      {
        engine: str(c.engine),
        fill_id: str(c.fill_id),
        order_id: str(c.order_id),
        symbol: str(c.symbol),
        side: str(c.side) as FillRow['side'],
        price: num(c.price),
        quantity: num(c.quantity),
        fee: num(c.fee),
        ts: iso(c.ts),
        realized_pnl: num(c.realized_pnl),
      },
      {
        fee_currency: opt(c.fee_currency, str),
        liquidity: opt(c.liquidity, str),
        strategy: opt(c.strategy, str),
      },
    ),
};

const orders: TableSpec<'orders'> = {
  name: 'orders',
  id: 'order_id',
  time: 'updated_at',
  filters: ['strategy', 'symbol'],
  // Equal times (an adapter stamping every state of a poll with the poll's time): the later in the journal.
  replaceBy: ['updated_at', 'journal_seq', 'journal_pos'],
  columns: [
    { name: 'engine', type: 'text' },
    { name: 'order_id', type: 'text' },
    { name: 'updated_at', type: 'time' },
    { name: 'created_at', type: 'time' },
    { name: 'symbol', type: 'text' },
    { name: 'side', type: 'text' },
    { name: 'order_type', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'quantity', type: 'real' },
    { name: 'filled_quantity', type: 'real' },
    { name: 'avg_fill_price', type: 'real', nullable: true },
    { name: 'limit_price', type: 'real', nullable: true },
    { name: 'stop_price', type: 'real', nullable: true },
    { name: 'fees', type: 'real' },
    { name: 'fee_currency', type: 'text', nullable: true },
    { name: 'strategy', type: 'text', nullable: true },
    { name: 'client_order_id', type: 'text', nullable: true },
    { name: 'time_in_force', type: 'text', nullable: true },
    { name: 'reason', type: 'text', nullable: true },
    { name: 'venue', type: 'text', nullable: true },
    // Last: SQLite's ALTER TABLE adds a column after the others.
    { name: 'journal_seq', type: 'integer', since: 2, internal: true },
    { name: 'journal_pos', type: 'integer', since: 2, internal: true },
  ],
  toCells: (r) => [
    r.engine,
    r.order_id,
    r.updatedMs,
    r.createdMs,
    r.symbol,
    r.side,
    r.order_type,
    r.status,
    r.quantity,
    r.filled_quantity,
    r.avg_fill_price ?? null,
    r.limit_price ?? null,
    r.stop_price ?? null,
    r.fees,
    r.fee_currency ?? null,
    r.strategy ?? null,
    r.client_order_id ?? null,
    r.time_in_force ?? null,
    r.reason ?? null,
    r.venue ?? null,
    r.journal_seq,
    r.journal_pos,
  ],
  fromCells: (c) =>
    withOptional(
      {
        engine: str(c.engine),
        order_id: str(c.order_id),
        symbol: str(c.symbol),
        side: str(c.side) as OrderRow['side'],
        order_type: str(c.order_type) as OrderRow['order_type'],
        status: str(c.status) as OrderRow['status'],
        quantity: num(c.quantity),
        filled_quantity: num(c.filled_quantity),
        fees: num(c.fees),
        created_at: iso(c.created_at),
        updated_at: iso(c.updated_at),
      },
      {
        avg_fill_price: opt(c.avg_fill_price, num),
        limit_price: opt(c.limit_price, num),
        stop_price: opt(c.stop_price, num),
        fee_currency: opt(c.fee_currency, str),
        strategy: opt(c.strategy, str),
        client_order_id: opt(c.client_order_id, str),
        time_in_force: opt(c.time_in_force, str),
        reason: opt(c.reason, str),
        venue: opt(c.venue, str),
      },
    ),
};

const roundTrips: TableSpec<'round_trips'> = {
  name: 'round_trips',
  id: 'close_fill_id',
  time: 'closed_at',
  filters: ['strategy', 'symbol'],
  columns: [
    { name: 'engine', type: 'text' },
    { name: 'close_fill_id', type: 'text' },
    { name: 'closed_at', type: 'time' },
    { name: 'opened_at', type: 'time' },
    { name: 'symbol', type: 'text' },
    { name: 'strategy', type: 'text' },
    { name: 'direction', type: 'text' },
    { name: 'quantity', type: 'real' },
    { name: 'entry_price', type: 'real' },
    { name: 'exit_price', type: 'real' },
    { name: 'pnl', type: 'real', nullable: true },
    { name: 'fees', type: 'real', nullable: true },
    { name: 'pnl_quote', type: 'real' },
    { name: 'fees_quote', type: 'real' },
    { name: 'outcome', type: 'text' },
  ],
  toCells: (r) => [
    r.engine,
    r.close_fill_id,
    r.closedMs,
    r.openedMs,
    r.symbol,
    r.strategy,
    r.direction,
    r.quantity,
    r.entry_price,
    r.exit_price,
    r.pnl,
    r.fees,
    r.pnl_quote,
    r.fees_quote,
    r.outcome,
  ],
  fromCells: (c) => ({
    engine: str(c.engine),
    symbol: str(c.symbol),
    strategy: str(c.strategy),
    direction: str(c.direction) as RoundTripRow['direction'],
    opened_at: iso(c.opened_at),
    closed_at: iso(c.closed_at),
    quantity: num(c.quantity),
    entry_price: num(c.entry_price),
    exit_price: num(c.exit_price),
    pnl: c.pnl === null ? null : num(c.pnl),
    fees: c.fees === null ? null : num(c.fees),
    pnl_quote: num(c.pnl_quote),
    fees_quote: num(c.fees_quote),
    outcome: str(c.outcome) as RoundTripRow['outcome'],
    close_fill_id: str(c.close_fill_id),
  }),
};

const alerts: TableSpec<'alerts'> = {
  name: 'alerts',
  id: 'alert_key',
  time: 'ts',
  filters: [],
  columns: [
    { name: 'engine', type: 'text' },
    { name: 'alert_key', type: 'text' },
    { name: 'ts', type: 'time' },
    { name: 'name', type: 'text' },
    { name: 'severity', type: 'text' },
    { name: 'message', type: 'text' },
    { name: 'labels', type: 'text', nullable: true },
  ],
  toCells: (r) => [
    r.engine,
    r.key,
    r.tsMs,
    r.name,
    r.severity,
    r.message,
    r.labels ? JSON.stringify(r.labels) : null,
  ],
  fromCells: (c) =>
    withOptional(
      {
        engine: str(c.engine),
        key: str(c.alert_key),
        name: str(c.name),
        severity: str(c.severity) as AlertRow['severity'],
        message: str(c.message),
        ts: iso(c.ts),
      },
      { labels: opt(c.labels, (v) => JSON.parse(str(v)) as Record<string, string>) },
    ),
};

export const TABLES: { [T in HistoryTable]: TableSpec<T> } = {
  fills,
  orders,
  round_trips: roundTrips,
  alerts,
};
