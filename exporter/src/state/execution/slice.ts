/**
 * The execution slice: the order book, the fills seen (ids for idempotency, the recent
 * rows for the feed), the execution tallies and the execution quality. Its handlers are
 * order-events.ts (orders, the orders of an engine snapshot) and fills.ts (a fill's
 * execution side).
 */
import type { FillRecord } from '../changes';
import { BoundedSet } from '../common/bounded';
import { LabeledCounter, LabeledDistribution } from '../common/counters';
import { OrderBook } from './orders';
import { ExecutionQuality } from './quality';

/** Seconds; wide enough for both market orders (ms) and resting limit orders (hours). */
export const FILL_TIME_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];
/** Fill ids remembered per engine for idempotency. */
const FILL_IDS_REMEMBERED = 1_000_000;

export class ExecutionSlice {
  readonly orders = new OrderBook();
  readonly fillIds = new BoundedSet(FILL_IDS_REMEMBERED);
  readonly recentFills: FillRecord[] = [];

  readonly submitted = new LabeledCounter(); // strategy, symbol, side
  readonly closed = new LabeledCounter(); // strategy, symbol, status
  readonly fills = new LabeledCounter(); // strategy, symbol, side
  readonly filledNotional = new LabeledCounter(); // strategy, symbol, side
  readonly feesPaid = new LabeledCounter(); // currency
  readonly fillTime = new LabeledDistribution(FILL_TIME_BUCKETS); // symbol

  /** Market-data arrival and execution quality (slippage, limit improvement, fill ratio). */
  readonly quality = new ExecutionQuality();
}
