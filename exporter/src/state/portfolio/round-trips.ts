/**
 * Round trips of one engine, overall and per strategy, in bounded memory.
 *
 * A round trip ends when a position returns to zero or flips (docs/architecture.md, "Accounting"). Its outcome is
 * win (PnL > 0), loss (< 0) or break-even (exactly 0). Consecutive losses count losing
 * round trips in a row: a win resets the count to 0, a break-even leaves it as it is.
 *
 * Memory: whole-life totals are running sums; the windows (1d, 7d, 30d…) read per-minute
 * buckets of event time, kept only as long as the longest window needs them. So a window
 * holds the round trips that ended in its last W of event time, to the minute. Every
 * field is a plain number, string or array of plain objects (serializable as is).
 */
import {
  addTrip,
  emptyTotals,
  mergeTotals,
  tradeStatsOf,
  type Outcome,
  type TradeStats,
  type TripTotals,
} from './statistics';

export const TRIP_BUCKET_MS = 60_000;

export interface TripBucket {
  /** Start of the minute (epoch ms) the round trips in it ended in. */
  start: number;
  totals: TripTotals;
}

/** One series of round trips: the engine's, or one strategy's. */
export interface TripSeries {
  all: TripTotals;
  buckets: TripBucket[];
  consecutiveLosses: number;
  /** Longest run of consecutive losses seen. */
  maxConsecutiveLosses: number;
}

function emptySeries(): TripSeries {
  return { all: emptyTotals(), buckets: [], consecutiveLosses: 0, maxConsecutiveLosses: 0 };
}

export interface RoundTripRecord {
  ts: number;
  symbol: string;
  strategy: string;
  /** In the valuation currency (0 when it could not be valued; see `outcome`). */
  pnl: number;
  outcome: Outcome;
}

/** An engine's round trips: plain data (serializable as is), changed by the functions below. */
export interface RoundTripBook {
  engine: TripSeries;
  strategies: Map<string, TripSeries>;
  /** The latest round trips, newest last (bounded; for reports). */
  recent: RoundTripRecord[];
}

export const RECENT_TRIPS_KEPT = 100;

export function emptyRoundTripBook(): RoundTripBook {
  return { engine: emptySeries(), strategies: new Map(), recent: [] };
}

/**
 * Books one round trip. `now` is the engine's latest event time and `retainMs` the
 * longest finite window: older minute buckets are dropped.
 */
export function recordRoundTrip(
  book: RoundTripBook,
  trip: RoundTripRecord,
  now: number,
  retainMs: number,
): void {
  let strategy = book.strategies.get(trip.strategy);
  if (!strategy) {
    strategy = emptySeries();
    book.strategies.set(trip.strategy, strategy);
  }
  for (const series of [book.engine, strategy]) {
    addTrip(series.all, trip.pnl, trip.outcome);
    addTrip(bucketFor(series.buckets, trip.ts), trip.pnl, trip.outcome);
    if (trip.outcome === 'loss') {
      series.consecutiveLosses += 1;
      if (series.consecutiveLosses > series.maxConsecutiveLosses)
        series.maxConsecutiveLosses = series.consecutiveLosses;
    } else if (trip.outcome === 'win') {
      series.consecutiveLosses = 0;
    }
    prune(series.buckets, now - retainMs - TRIP_BUCKET_MS);
  }
  book.recent.push(trip);
  if (book.recent.length > RECENT_TRIPS_KEPT) book.recent.shift();
}

/** Statistics of a series over the window of `windowMs` ending at `now` (null: the whole life). */
export function tripStats(series: TripSeries, now: number, windowMs: number | null): TradeStats {
  if (windowMs === null) return tradeStatsOf(series.all);
  const totals = emptyTotals();
  const from = Math.floor((now - windowMs) / TRIP_BUCKET_MS) * TRIP_BUCKET_MS;
  for (let i = series.buckets.length - 1; i >= 0 && series.buckets[i].start > from; i--) {
    mergeTotals(totals, series.buckets[i].totals);
  }
  return tradeStatsOf(totals);
}

/** The bucket of a round trip's minute; round trips may arrive a little out of order. */
function bucketFor(buckets: TripBucket[], ts: number): TripTotals {
  const start = Math.floor(ts / TRIP_BUCKET_MS) * TRIP_BUCKET_MS;
  let i = buckets.length;
  while (i > 0 && buckets[i - 1].start > start) i--;
  if (i > 0 && buckets[i - 1].start === start) return buckets[i - 1].totals;
  const bucket = { start, totals: emptyTotals() };
  buckets.splice(i, 0, bucket);
  return bucket.totals;
}

function prune(buckets: TripBucket[], before: number): void {
  let drop = 0;
  while (drop < buckets.length && buckets[drop].start < before) drop++;
  if (drop > 0) buckets.splice(0, drop);
}
