import { rowKey, type ChannelView, type OrderRow } from '@tradewatch/feed-client';

import type { BlotterRow } from '../types';
import { createdMs } from './orderTime';

/** Reuse the parsed creation time when it did not change. */
const created = (order: OrderRow, prev?: BlotterRow): number =>
  prev && prev.order.created_at === order.created_at && prev.createdMs !== undefined
    ? prev.createdMs
    : createdMs(order);

/**
 * The blotter's rows: the active orders of the feed plus recently closed ones, which stay
 * (faded, with their final status) for the retention time. Pure and synchronous; the hook
 * feeds it the views it batched over one animation frame.
 */
export class OrderStore {
  private active = new Map<string, BlotterRow>();
  private closed = new Map<string, BlotterRow>();
  private cache: BlotterRow[] | null = null;
  /** Grows by one on every change; a cheap dependency for memoized derivations. */
  version = 0;

  constructor(private retentionMs: number) {}

  /** Takes effect for orders closing from now on and at the next prune. */
  setRetention(ms: number): void {
    this.retentionMs = ms;
  }

  /** Apply one view of the `orders` channel. `now` is the wall clock of this frame. */
  apply(view: ChannelView<OrderRow>, now: number): void {
    if (view.fromSnapshot) {
      // replace, do not merge; a row that was fading keeps fading unless it is active again
      const next = new Map<string, BlotterRow>();
      view.rows.forEach((order, key) => {
        const prev = this.active.get(key);
        const changed = prev !== undefined && !sameOrder(prev.order, order);
        next.set(key, { key, order, createdMs: created(order, prev), changedAt: changed ? now : prev?.changedAt });
        this.closed.delete(key);
      });
      this.active = next;
    } else {
      for (const order of view.upserts) {
        // the same key the feed client uses: (engine, order_id), never the order id alone
        const key = rowKey('orders', order);
        const prev = this.active.get(key) ?? this.closed.get(key);
        this.active.set(key, { key, order, createdMs: created(order, prev), changedAt: now });
        this.closed.delete(key);
      }
      for (const { key, finalRow } of view.removed) {
        const prev = this.active.get(key);
        this.active.delete(key);
        const order = finalRow ?? prev?.order;
        if (order && this.retentionMs > 0) {
          this.closed.set(key, { key, order, createdMs: created(order, prev), changedAt: now, closedAt: now });
        }
      }
    }
    this.touch();
  }

  /** Drop closed rows older than the retention. Returns true when something changed. */
  prune(now: number): boolean {
    let changed = false;
    this.closed.forEach((row, key) => {
      if (row.closedAt === undefined || now - row.closedAt >= this.retentionMs) {
        this.closed.delete(key);
        changed = true;
      }
    });
    if (changed) {
      this.touch();
    }
    return changed;
  }

  clear(): void {
    this.active.clear();
    this.closed.clear();
    this.touch();
  }

  get activeCount(): number {
    return this.active.size;
  }

  get closedCount(): number {
    return this.closed.size;
  }

  /** Active rows then closed rows; the same array until the next change. */
  rows(): BlotterRow[] {
    if (!this.cache) {
      const out = new Array<BlotterRow>(this.active.size + this.closed.size);
      let i = 0;
      this.active.forEach((r) => (out[i++] = r));
      this.closed.forEach((r) => (out[i++] = r));
      this.cache = out;
    }
    return this.cache;
  }

  private touch(): void {
    this.cache = null;
    this.version++;
  }
}

function sameOrder(a: OrderRow, b: OrderRow): boolean {
  return (
    a === b ||
    (a.updated_at === b.updated_at &&
      a.status === b.status &&
      a.filled_quantity === b.filled_quantity &&
      a.quantity === b.quantity &&
      a.limit_price === b.limit_price)
  );
}
