/**
 * The panel's side of the data source: the difference between two data frames of one query
 * (replaced as the feed moves) as the ChannelView the blotter's stores already apply
 * (utils/orderStore.ts, utils/fillTape.ts). The frames are compared column by column, by the
 * rows' identity; a row object (times back as RFC 3339 strings, as the feed sends them) is
 * built only for a row that is new or changed, so a 10,000-row frame with a hundred changes
 * costs about its key lookups. Pure.
 */
import { FieldType, type DataFrame } from '@grafana/data';
import { rowKey, type ChannelView } from '@tradewatch/feed-client';

import type { BlotterMode } from '../types';

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

/** A frame indexed by row identity: which row holds which key. */
export interface IndexedFrame {
  channel: BlotterMode;
  frame: DataFrame;
  keys: string[];
  index: Map<string, number>;
}

const IDENTITY: Record<BlotterMode, readonly [string, string]> = {
  orders: ['engine', 'order_id'],
  fills: ['engine', 'fill_id'],
};

export function indexFrame(frame: DataFrame, channel: BlotterMode): IndexedFrame {
  // the data source hands each row's key along (meta.custom.keys): no need to rebuild them
  const given = (frame.meta?.custom as { keys?: unknown } | undefined)?.keys;
  if (Array.isArray(given) && given.length === frame.length) {
    const keys = given as string[];
    const index = new Map<string, number>();
    for (let i = 0; i < keys.length; i++) {
      index.set(keys[i], i);
    }
    return { channel, frame, keys, index };
  }
  const [a, b] = IDENTITY[channel];
  const first = frame.fields.find((f) => f.name === a)?.values ?? [];
  const second = frame.fields.find((f) => f.name === b)?.values ?? [];
  const keys = new Array<string>(frame.length);
  const index = new Map<string, number>();
  for (let i = 0; i < frame.length; i++) {
    const key = rowKey(channel, { [a]: first[i], [b]: second[i] });
    keys[i] = key;
    index.set(key, i);
  }
  return { channel, frame, keys, index };
}

/** Row i of a frame as the feed's row: times as RFC 3339 strings, nulls left out. */
export function rowAt(frame: DataFrame, i: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of frame.fields) {
    const value: unknown = field.values[i];
    if (value === null || value === undefined) {
      continue;
    }
    row[field.name] =
      field.type === FieldType.time && typeof value === 'number' ? new Date(value).toISOString() : value;
  }
  return row;
}

/**
 * What changed from `prev` to `next`, as the feed client would have said it: the first frame
 * (or one of another channel) is a snapshot; after that, new or changed rows are upserts and
 * rows no longer there are removed, with their final state when the frame carries it
 * (meta.custom.closed, from the data source).
 */
export function diffFrames<Row>(prev: IndexedFrame | null, next: IndexedFrame): ChannelView<Row> {
  const { channel, frame } = next;
  const rows = new Map<string, Row>();
  if (!prev || prev.channel !== channel) {
    const all: Row[] = [];
    for (let i = 0; i < frame.length; i++) {
      const row = rowAt(frame, i) as Row;
      rows.set(next.keys[i], row);
      all.push(row);
    }
    return { channel, rows, upserts: all, removed: [], fromSnapshot: true, seq: seqOf(frame) };
  }
  // the previous frame's column for each of this frame's fields (by name)
  const before = frame.fields.map((f) => prev.frame.fields.find((p) => p.name === f.name)?.values);
  const upserts: Row[] = [];
  for (let i = 0; i < frame.length; i++) {
    const j = prev.index.get(next.keys[i]);
    let changed = j === undefined;
    for (let f = 0; !changed && f < frame.fields.length; f++) {
      changed = before[f] === undefined || before[f]![j!] !== frame.fields[f].values[i];
    }
    if (changed) {
      const row = rowAt(frame, i) as Row;
      rows.set(next.keys[i], row);
      upserts.push(row);
    }
  }
  const custom = frame.meta?.custom as { closed?: unknown } | undefined;
  const closed = Array.isArray(custom?.closed) ? (custom.closed as Array<Record<string, unknown>>) : [];
  const finals = new Map(closed.map((r) => [rowKey(channel, r), r]));
  const [a, b] = IDENTITY[channel];
  const removed: Array<ChannelView<Row>['removed'][number]> = [];
  prev.index.forEach((j, key) => {
    if (next.index.has(key)) {
      return;
    }
    const identity = {
      [a]: String(prev.frame.fields.find((f) => f.name === a)?.values[j]),
      [b]: String(prev.frame.fields.find((f) => f.name === b)?.values[j]),
    } as unknown as ChannelView<Row>['removed'][number]['identity'];
    const finalRow = finals.get(key);
    removed.push(finalRow ? { key, identity, finalRow: finalRow as Row } : { key, identity });
  });
  // `rows` holds the changed rows only: the stores read upserts and removed after a snapshot
  return { channel, rows, upserts, removed, fromSnapshot: false, seq: seqOf(frame) };
}

function seqOf(frame: DataFrame): number {
  const seq = (frame.meta?.custom as { seq?: unknown } | undefined)?.seq;
  return typeof seq === 'number' ? seq : 0;
}

/** Where a follower applies what changed (the blotter's OrderStore, the fills tape). */
export interface ViewSink<Row> {
  readonly version: number;
  apply(view: ChannelView<Row>, now: number): void;
}

/**
 * Follows one channel's frames: each new frame object is compared with the last one taken and
 * the difference applied to the sink; the same frame again (a re-render) changes nothing, and
 * a frame skipped on the way (Grafana may hand a busy panel only the newest) costs nothing
 * more, since each frame is whole.
 */
export class SeriesFollower<Row> {
  private previous: IndexedFrame | null = null;

  constructor(
    private readonly channel: BlotterMode,
    private readonly sink: ViewSink<Row>
  ) {}

  get loaded(): boolean {
    return this.previous !== null;
  }

  take(frame: DataFrame | null, now = Date.now()): void {
    if (!frame || frame === this.previous?.frame) {
      return;
    }
    const next = indexFrame(frame, this.channel);
    this.sink.apply(diffFrames<Row>(this.previous, next), now);
    this.previous = next;
  }
}
