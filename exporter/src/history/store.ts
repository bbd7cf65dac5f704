/**
 * The one small interface both history stores implement (SQLite, PostgreSQL), and the
 * query and cursor types the viewer API uses.
 */
import type { HistoryTable, RowOfTable, WrittenRecordOfTable } from './tables';

/** Records to keep, by table; a row whose identity is stored already is not written twice. */
export interface HistoryBatch {
  fills: WrittenRecordOfTable['fills'][];
  orders: WrittenRecordOfTable['orders'][];
  round_trips: WrittenRecordOfTable['round_trips'][];
  alerts: WrittenRecordOfTable['alerts'][];
}

export function emptyBatch(): HistoryBatch {
  return { fills: [], orders: [], round_trips: [], alerts: [] };
}

export function batchSize(b: HistoryBatch): number {
  return b.fills.length + b.orders.length + b.round_trips.length + b.alerts.length;
}

/** Where a page ended: the time, engine and id of its last row (keyset pagination). */
export interface Cursor {
  ts: number;
  engine: string;
  id: string;
}

export interface HistoryQuery {
  engine?: string;
  strategy?: string;
  symbol?: string;
  /** Epoch ms, both inclusive. */
  from?: number;
  to?: number;
  /** Rows at most in the page. */
  limit: number;
  /** Oldest first (asc, the default) or newest first. */
  order?: 'asc' | 'desc';
  /** Continue after this row (from the previous page's `next`). */
  after?: Cursor;
}

export interface Page<R> {
  rows: R[];
  /** Where the next page starts; null when this page was the last. */
  next: Cursor | null;
}

export interface HistoryStore {
  readonly kind: 'sqlite' | 'postgres';
  /** How many `write`s the writer may have in flight at once (default 1); each still commits on its own. */
  readonly writesInFlight?: number;
  /** Writes a batch in one transaction, idempotent on each row's identity. */
  write(batch: HistoryBatch): Promise<void>;
  read<T extends HistoryTable>(table: T, query: HistoryQuery): Promise<Page<RowOfTable[T]>>;
  /** A page already encoded for the viewer API (history/encode.ts), where a store can do it off the event loop. */
  readEncoded?(
    table: HistoryTable,
    query: HistoryQuery,
    csv: boolean,
  ): Promise<{ body: string; next: string | null }>;
  /**
   * True when `err` (from `write`) is the store refusing a row's content (PostgreSQL's data
   * or integrity errors, SQLite's constraint errors), not the store being unreachable: the
   * writer then finds the row and sets it aside instead of retrying for ever.
   */
  refuses?(err: unknown): boolean;
  /** Deletes rows older than `before` (epoch ms) from every table; returns how many. */
  prune(before: number): Promise<number>;
  /**
   * Makes every write committed so far survive a power loss, where a commit alone does not
   * (SQLite in WAL mode with synchronous = NORMAL); none: a commit is durable (PostgreSQL).
   */
  sync?(): Promise<void>;
  close(): Promise<void>;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.ts, c.engine, c.id])).toString('base64url');
}

/** The cursor in `text`, or null when it is not one this exporter wrote. */
export function decodeCursor(text: string): Cursor | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      Number.isSafeInteger(v[0]) &&
      typeof v[1] === 'string' &&
      typeof v[2] === 'string'
    )
      return { ts: v[0] as number, engine: v[1], id: v[2] };
  } catch {
    // not base64url JSON
  }
  return null;
}
