/**
 * A fill's execution side: its id (a repeated fill_id is applied once; the caller checks),
 * its tallies, its execution quality, and its row among the recent fills.
 */
import type { FillEvent } from '../../events/schema';
import type { FillRecord } from '../changes';
import { NO_STRATEGY } from '../common/symbols';
import type { FillFigures } from '../fill-figures';
import type { MarketView } from '../market/slice';
import type { ExecutionSlice } from './slice';

/** Fills the state keeps in memory per engine (the feed's snapshots rely on it: feed/fill-snapshot.ts). */
export const RECENT_FILLS = 500;

/**
 * Counts the fill and returns its strategy (the fill's own, else its order's). `market`:
 * read for the order's arrival price (execution quality).
 */
export function recordFill(x: ExecutionSlice, market: MarketView, e: FillEvent, f: FillFigures): string {
  x.fillIds.add(e.fill_id);
  const order = x.orders.find(e.order_id);
  const strategy = e.strategy ?? order?.strategy ?? NO_STRATEGY;
  const labels = { strategy, symbol: e.symbol, side: e.side };
  x.fills.inc(labels);
  x.quality.onFill(e, order, market);
  // A rate of exactly one leaves the (at most 20-digit) notional as it is.
  if (f.rate !== null)
    x.filledNotional.inc(labels, (f.rate.eq(1) ? f.notional : f.notional.mul(f.rate)).toNumber());
  if (e.fee > 0) x.feesPaid.inc({ currency: f.feeCurrency }, e.fee);
  return strategy;
}

export function keepRecentFill(x: ExecutionSlice, row: FillRecord): void {
  x.recentFills.push(row);
  if (x.recentFills.length > RECENT_FILLS) x.recentFills.shift();
}
