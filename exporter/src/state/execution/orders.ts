/**
 * The live order book of one engine: active orders, and recently closed ones, as records
 * with numeric times (the feed and the history write them as RFC 3339: state/wire-rows.ts).
 */
import { ACTIVE_STATUSES, type OrderPayload } from '../../events/schema';
import type { OrderRecord } from '../changes';
import { BoundedMap } from '../common/bounded';

export type { OrderRecord };

/** How many closed orders are remembered (for late events and final states). */
const RECENT_CLOSED = 10_000;

export interface OrderTransition {
  record: OrderRecord;
  /** First time this order id is seen. */
  isNew: boolean;
  /** It was active (or new) and is now terminal. */
  closedNow: boolean;
}

export class OrderBook {
  readonly active = new Map<string, OrderRecord>();
  readonly recentlyClosed = new BoundedMap<OrderRecord>(RECENT_CLOSED);

  /** Applies the full current state of one order; later states replace earlier ones. */
  apply(engine: string, o: OrderPayload, ts: number): OrderTransition | null {
    const prevActive = this.active.get(o.order_id);
    const prevClosed = prevActive ? undefined : this.recentlyClosed.get(o.order_id);
    const prev = prevActive ?? prevClosed;
    // A closed order stays closed: a late or replayed earlier state must not reopen it.
    if (prevClosed && ACTIVE_STATUSES.has(o.status)) return null;
    if (prev && prev.updatedMs > ts) return null;

    const record: OrderRecord = {
      engine,
      order_id: o.order_id,
      symbol: o.symbol,
      side: o.side,
      order_type: o.order_type,
      status: o.status,
      quantity: o.quantity,
      filled_quantity: o.filled_quantity,
      fees: o.fees,
      createdMs: o.created_at ?? (prev ? prev.createdMs : ts),
      updatedMs: ts,
    };
    if (o.avg_fill_price !== undefined) record.avg_fill_price = o.avg_fill_price;
    if (o.limit_price !== undefined) record.limit_price = o.limit_price;
    if (o.stop_price !== undefined) record.stop_price = o.stop_price;
    if (o.fee_currency !== undefined) record.fee_currency = o.fee_currency;
    const strategy = o.strategy ?? prev?.strategy;
    if (strategy !== undefined) record.strategy = strategy;
    if (o.client_order_id !== undefined) record.client_order_id = o.client_order_id;
    if (o.time_in_force !== undefined) record.time_in_force = o.time_in_force;
    if (o.reason !== undefined) record.reason = o.reason;
    if (o.venue !== undefined) record.venue = o.venue;

    const isActive = ACTIVE_STATUSES.has(o.status);
    if (isActive) {
      this.active.set(o.order_id, record);
    } else {
      this.active.delete(o.order_id);
      this.recentlyClosed.set(o.order_id, record);
    }
    return { record, isNew: !prev, closedNow: !isActive && !prevClosed };
  }

  find(orderId: string): OrderRecord | undefined {
    return this.active.get(orderId) ?? this.recentlyClosed.get(orderId);
  }
}
