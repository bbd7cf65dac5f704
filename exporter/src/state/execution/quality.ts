/**
 * Execution quality of one engine (docs/metrics.md, "Market data and execution quality"):
 * how each fill compares with the arrival price of its order (event time). The marks it
 * looks arrival prices up in, and when they arrived, are the market slice's (its ring of
 * recent marks per symbol, market/mark-ring.ts), read through the `MarketView` each hook is given.
 *
 * Pure domain: no transport, no metrics library. Memory is bounded: per order its arrival
 * price (a bounded map), and the tallies, whose labels are engine-bounded values (symbol,
 * side, order type).
 *
 * The arrival price is the latest mark at or before the order's reference time (its
 * `created_at`, or the time of its first event). It is looked up when the order is first
 * seen, in the ring; an order whose reference time is older than every mark the ring still
 * holds, or that has no mark at or before it yet, is looked up again at each of its fills
 * until one is found. Only events and their order of application decide it, so a replay
 * of the same events gives the same histograms as the live run.
 */
import type { FillEvent, ORDER_TYPES, Side } from '../../events/schema';
import { BoundedMap } from '../common/bounded';
import { LabeledCounter, LabeledDistribution } from '../common/counters';
import type { MarketView } from '../market/slice';

/** Basis points, signed (positive = worse for the trader). */
export const SLIPPAGE_BPS_BUCKETS = [-50, -20, -10, -5, -2, 0, 2, 5, 10, 20, 50, 100];
/** Basis points better than the limit price (0 = at the limit; negative = through it, a data problem). */
export const LIMIT_IMPROVEMENT_BPS_BUCKETS = [0, 1, 2, 5, 10, 25, 50, 100];
/** Filled quantity over ordered quantity of a closed order. */
export const FILL_RATIO_BUCKETS = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];

/** Orders whose arrival price is remembered (active ones, and closed ones whose fills may still come). */
export const ARRIVALS_REMEMBERED = 20_000;

/** An order's arrival price (null: none found yet). */
interface Arrival {
  symbol: string;
  /** The reference time: `created_at`, or the order's first event time. */
  at: number;
  price: number | null;
  /** The reference time came from an order event (not from a fill of an order not seen yet). */
  fromOrder: boolean;
}

interface LastFill {
  price: number;
  ts: number;
}

/** What the execution-quality hooks read of an order (its current record). */
export interface OrderFacts {
  order_id: string;
  symbol: string;
  order_type: (typeof ORDER_TYPES)[number];
  quantity: number;
  filled_quantity: number;
  limit_price?: number;
  /** Epoch ms: the order's `created_at`, or its first event's ts. */
  createdMs: number;
}

export class ExecutionQuality {
  /** Arrival price per order id. */
  readonly arrivals = new BoundedMap<Arrival>(ARRIVALS_REMEMBERED);
  readonly slippage = new LabeledDistribution(SLIPPAGE_BPS_BUCKETS); // symbol, side
  readonly unpriced = new LabeledCounter(); // symbol, side
  readonly limitImprovement = new LabeledDistribution(LIMIT_IMPROVEMENT_BPS_BUCKETS); // symbol
  readonly fillRatio = new LabeledDistribution(FILL_RATIO_BUCKETS); // order_type
  /** Price of the latest fill (by event time) per symbol and side, for the price charts. */
  readonly lastFill = new Map<string, { buy?: LastFill; sell?: LastFill }>();

  /**
   * An order event applied: the arrival price on first sight (at the order's `createdMs`),
   * the fill ratio when it closes.
   */
  onOrder(o: OrderFacts, isNew: boolean, closedNow: boolean, market: MarketView): void {
    // The order event names the creation time: it decides over a fill that came first.
    if (isNew || !this.arrivals.has(o.order_id))
      this.arrivalOf(o.order_id, o.symbol, o.createdMs, true, market);
    if (closedNow && o.quantity > 0) {
      const ratio = Math.min(1, Math.max(0, o.filled_quantity / o.quantity));
      this.fillRatio.observe({ order_type: o.order_type }, ratio);
    }
  }

  /** A fill applied (once per fill id); `order` is the order's current record when known. */
  onFill(e: FillEvent, order: OrderFacts | undefined, market: MarketView): void {
    const labels = { symbol: e.symbol, side: e.side };
    let last = this.lastFill.get(e.symbol);
    if (!last) this.lastFill.set(e.symbol, (last = {}));
    const before = last[e.side];
    if (!before || e.ts >= before.ts) last[e.side] = { price: e.price, ts: e.ts };
    const created = order ? order.createdMs : e.ts;
    const arrival = this.arrivalOf(e.order_id, e.symbol, created, false, market);
    if (arrival === null) this.unpriced.inc(labels);
    else this.slippage.observe(labels, slippageBps(e.side, e.price, arrival));
    if (
      order &&
      (order.order_type === 'limit' || order.order_type === 'stop_limit') &&
      order.limit_price !== undefined &&
      order.limit_price > 0
    ) {
      this.limitImprovement.observe(
        { symbol: e.symbol },
        limitImprovementBps(e.side, e.price, order.limit_price),
      );
    }
  }

  /**
   * The order's arrival price: remembered, or looked up now (and remembered once found).
   * `fromOrder`: `at` is the order's own creation time, which replaces the reference time a
   * fill of an order not seen yet had to take (its own ts).
   */
  private arrivalOf(
    orderId: string,
    symbol: string,
    at: number,
    fromOrder: boolean,
    market: MarketView,
  ): number | null {
    const known = this.arrivals.get(orderId);
    const keep = known !== undefined && (known.fromOrder || !fromOrder);
    if (keep && known.price !== null) return known.price;
    const ref = keep ? known.at : at;
    const price = market.markAt(symbol, ref);
    if (!keep || price !== null)
      this.arrivals.set(orderId, {
        symbol,
        at: ref,
        price,
        fromOrder: fromOrder || (known?.fromOrder ?? false),
      });
    return price;
  }
}

/** Signed slippage in basis points, positive when the fill is worse for the trader than `arrival`. */
export function slippageBps(side: Side, fill: number, arrival: number): number {
  return ((side === 'buy' ? fill - arrival : arrival - fill) / arrival) * 1e4;
}

/** Basis points by which a fill beat its limit price (buy below, sell above). */
export function limitImprovementBps(side: Side, fill: number, limit: number): number {
  return ((side === 'buy' ? limit - fill : fill - limit) / limit) * 1e4;
}
