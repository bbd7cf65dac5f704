/**
 * The panel's side of the data source: a data frame (one per query, replaced as the feed
 * moves) back into the feed's rows, and the difference between two frames as the ChannelView
 * the blotter's stores already apply (utils/orderStore.ts, utils/fillTape.ts). Pure.
 */
import { FieldType, type DataFrame } from '@grafana/data';
import { rowKey, type ChannelView } from '@tradewatch/feed-client';

import type { BlotterMode } from '../types';

export interface FrameRows {
  channel: BlotterMode;
  /** By the feed's key (engine + order_id, engine + fill_id), in frame order. */
  rows: Map<string, Record<string, unknown>>;
  /** Final states of rows that left since the previous frame (frame meta custom.closed). */
  closed: Array<Record<string, unknown>>;
  seq: number;
}

/** The first frame of `series` that holds orders or fills, by its meta or its fields. */
export function feedFrame(series: readonly DataFrame[]): { frame: DataFrame; channel: BlotterMode } | null {
  for (const frame of series) {
    const custom = frame.meta?.custom as { channel?: unknown } | undefined;
    const names = new Set(frame.fields.map((f) => f.name));
    if (
      custom?.channel === 'orders' ||
      (custom?.channel === undefined && names.has('order_id') && !names.has('fill_id'))
    ) {
      return { frame, channel: 'orders' };
    }
    if (custom?.channel === 'fills' || (custom?.channel === undefined && names.has('fill_id'))) {
      return { frame, channel: 'fills' };
    }
  }
  return null;
}

/** Rows back from the columns: times as RFC 3339 strings (as the feed sends them), nulls left out. */
export function frameRows(frame: DataFrame, channel: BlotterMode): FrameRows {
  const rows = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < frame.length; i++) {
    const row: Record<string, unknown> = {};
    for (const field of frame.fields) {
      const value: unknown = field.values[i];
      if (value === null || value === undefined) {
        continue;
      }
      row[field.name] =
        field.type === FieldType.time && typeof value === 'number' ? new Date(value).toISOString() : value;
    }
    rows.set(rowKey(channel, row), row);
  }
  const custom = frame.meta?.custom as { closed?: unknown; seq?: unknown } | undefined;
  const closed = Array.isArray(custom?.closed) ? (custom.closed as Array<Record<string, unknown>>) : [];
  return { channel, rows, closed, seq: typeof custom?.seq === 'number' ? custom.seq : 0 };
}

/**
 * What changed from `prev` to `next`, as the feed client would have said it: the first
 * frame (or one of another channel) is a snapshot; after that, new or changed rows are
 * upserts and rows no longer there are removed, with their final state when the frame
 * carries it.
 */
export function diffFrames<Row>(prev: FrameRows | null, next: FrameRows): ChannelView<Row> {
  const view = { channel: next.channel, rows: next.rows as unknown as ReadonlyMap<string, Row>, seq: next.seq };
  if (!prev || prev.channel !== next.channel) {
    return { ...view, upserts: [...next.rows.values()] as Row[], removed: [], fromSnapshot: true };
  }
  const upserts: Row[] = [];
  for (const [key, row] of next.rows) {
    const before = prev.rows.get(key);
    if (!before || !sameRow(before, row)) {
      upserts.push(row as Row);
    }
  }
  const finals = new Map(next.closed.map((r) => [rowKey(next.channel, r), r]));
  const removed: Array<ChannelView<Row>['removed'][number]> = [];
  for (const [key, row] of prev.rows) {
    if (!next.rows.has(key)) {
      const finalRow = finals.get(key);
      const identity = {
        engine: String(row.engine),
        ...(next.channel === 'orders' ? { order_id: String(row.order_id) } : { fill_id: String(row.fill_id) }),
      };
      removed.push(finalRow ? { key, identity, finalRow: finalRow as Row } : { key, identity });
    }
  }
  return { ...view, upserts, removed, fromSnapshot: false };
}

function sameRow(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) {
    return false;
  }
  return keys.every((k) => a[k] === b[k]);
}

/** Where a follower applies what changed (the blotter's OrderStore, the fills tape). */
export interface ViewSink<Row> {
  readonly version: number;
  apply(view: ChannelView<Row>, now: number): void;
}

/**
 * Follows one channel's frames: each new frame object is diffed against the last one taken
 * and applied to the sink; the same frame again (a re-render) changes nothing.
 */
export class SeriesFollower<Row> {
  private lastFrame: DataFrame | null = null;
  private previous: FrameRows | null = null;

  constructor(
    private readonly channel: BlotterMode,
    private readonly sink: ViewSink<Row>
  ) {}

  get loaded(): boolean {
    return this.previous !== null;
  }

  take(frame: DataFrame | null, now = Date.now()): void {
    if (!frame || frame === this.lastFrame) {
      return;
    }
    this.lastFrame = frame;
    const next = frameRows(frame, this.channel);
    this.sink.apply(diffFrames<Row>(this.previous, next), now);
    this.previous = next;
  }
}
