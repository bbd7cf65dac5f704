/**
 * Rows of a feed channel as a typed data frame: times as time fields (epoch ms), quantities
 * and prices as numbers, one row per identity (the feed's keys: engine + order_id, …), the
 * identity's fields first. Pure: the data source calls it with what the feed client holds.
 */
import { FieldType, createDataFrame, type DataFrame, type FieldConfig } from '@grafana/data';

import type { FeedChannel, Transport } from './types';

interface Column {
  name: string;
  type: FieldType;
  config?: FieldConfig;
}

const str = (name: string): Column => ({ name, type: FieldType.string });
const num = (name: string): Column => ({ name, type: FieldType.number });
const time = (name: string): Column => ({ name, type: FieldType.time });

/** The columns of each channel, in order (docs/feed-protocol.md, Keys; docs/events.md). */
export const COLUMNS: Record<FeedChannel, readonly Column[]> = {
  orders: [
    str('engine'),
    str('order_id'),
    time('created_at'),
    time('updated_at'),
    str('strategy'),
    str('symbol'),
    str('side'),
    str('order_type'),
    str('status'),
    num('quantity'),
    num('filled_quantity'),
    num('limit_price'),
    num('stop_price'),
    num('avg_fill_price'),
    num('fees'),
    str('fee_currency'),
    str('client_order_id'),
    str('time_in_force'),
    str('venue'),
    str('reason'),
  ],
  fills: [
    str('engine'),
    str('fill_id'),
    time('ts'),
    str('order_id'),
    str('strategy'),
    str('symbol'),
    str('side'),
    num('price'),
    num('quantity'),
    num('fee'),
    str('fee_currency'),
    str('liquidity'),
    num('realized_pnl'),
  ],
  positions: [
    str('engine'),
    str('symbol'),
    num('quantity'),
    num('avg_price'),
    num('mark_price'),
    num('notional'),
    num('unrealized_pnl'),
    num('realized_pnl'),
    num('fees'),
  ],
  alerts: [str('engine'), str('key'), time('ts'), str('name'), str('severity'), str('message')],
};

/** The identity fields of each channel's rows (the frame holds each identity once). */
export const IDENTITY: Record<FeedChannel, readonly string[]> = {
  orders: ['engine', 'order_id'],
  fills: ['engine', 'fill_id'],
  positions: ['engine', 'symbol'],
  alerts: ['engine', 'key'],
};

export interface FrameMeta {
  channel: FeedChannel;
  transport: Transport;
  /** The feed's seq of the newest message in this frame. */
  seq: number;
  /** Final states of the rows that left since the previous frame (orders: filled at …). */
  closed?: unknown[];
}

function cell(column: Column, value: unknown): unknown {
  if (value === undefined || value === null) {
    return null;
  }
  switch (column.type) {
    case FieldType.time: {
      const ms = typeof value === 'number' ? value : Date.parse(String(value));
      return Number.isFinite(ms) ? ms : null;
    }
    case FieldType.number: {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : null;
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** Builds the frame of one query from the rows the feed client holds for it. */
export function rowsToFrame(refId: string, rows: Iterable<unknown>, meta: FrameMeta): DataFrame {
  const columns = COLUMNS[meta.channel];
  const values: unknown[][] = columns.map(() => []);
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    for (let i = 0; i < columns.length; i++) {
      values[i].push(cell(columns[i], r[columns[i].name]));
    }
  }
  return frameOf(refId, meta, values);
}

/**
 * One query's columns kept up to date row by row (a changed order costs one row's cells, not
 * the whole frame's): a row's place by its key, a removed row's place taken by the last row.
 * Each frame gets copies of the columns, so a frame handed out never changes.
 */
export class FrameColumns {
  private readonly columns: readonly Column[];
  private values: unknown[][];
  private keys: string[] = [];
  private index = new Map<string, number>();

  constructor(channel: FeedChannel) {
    this.columns = COLUMNS[channel];
    this.values = this.columns.map(() => []);
  }

  get length(): number {
    return this.keys.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  reset(rows: Iterable<[string, unknown]>): void {
    this.values = this.columns.map(() => []);
    this.keys = [];
    this.index = new Map();
    for (const [key, row] of rows) {
      this.upsert(key, row);
    }
  }

  upsert(key: string, row: unknown): void {
    const r = row as Record<string, unknown>;
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.keys.length;
      this.keys.push(key);
      this.index.set(key, at);
    }
    for (let i = 0; i < this.columns.length; i++) {
      this.values[i][at] = cell(this.columns[i], r[this.columns[i].name]);
    }
  }

  remove(key: string): boolean {
    const at = this.index.get(key);
    if (at === undefined) {
      return false;
    }
    const last = this.keys.length - 1;
    if (at !== last) {
      const moved = this.keys[last];
      this.keys[at] = moved;
      this.index.set(moved, at);
      for (const column of this.values) {
        column[at] = column[last];
      }
    }
    this.keys.pop();
    this.index.delete(key);
    for (const column of this.values) {
      column.pop();
    }
    return true;
  }

  frame(refId: string, meta: FrameMeta): DataFrame {
    return frameOf(
      refId,
      meta,
      this.values.map((v) => v.slice()),
      this.keys.slice()
    );
  }
}

/**
 * `keys` (meta.custom.keys, when given): each row's identity key (feed-client's rowKey), so a
 * panel that follows the frames need not rebuild 10,000 keys from the identity columns.
 */
function frameOf(refId: string, meta: FrameMeta, values: unknown[][], keys?: string[]): DataFrame {
  const columns = COLUMNS[meta.channel];
  return createDataFrame({
    refId,
    name: meta.channel,
    meta: {
      preferredVisualisationType: 'table',
      custom: {
        channel: meta.channel,
        identity: IDENTITY[meta.channel],
        transport: meta.transport,
        seq: meta.seq,
        ...(meta.closed && meta.closed.length > 0 ? { closed: meta.closed } : {}),
        ...(keys ? { keys } : {}),
      },
    },
    fields: columns.map((c, i) => ({ name: c.name, type: c.type, values: values[i], config: c.config ?? {} })),
  });
}
