/**
 * The market slice: the latest mark of each symbol, when it arrived (wall clock), a ring of
 * its recent marks (for execution quality's arrival prices), and the conversions between
 * currencies that the marks allow (derived, read through the marks at each call).
 */
import type { MarkEvent } from '../../events/schema';
import { addToRing, ringAt, type MarkRing } from './mark-ring';
import { Rates } from './rates';

export interface Mark {
  price: number;
  bid?: number;
  ask?: number;
  ts: number;
}

/** What the other slices read of the market: marks and the rates through them. */
export interface MarketView {
  readonly marks: ReadonlyMap<string, Mark>;
  readonly rates: Rates;
  /** The latest mark of `symbol` at or before event time `at` that the ring still holds. */
  markAt(symbol: string, at: number): number | null;
}

export class MarketSlice implements MarketView {
  readonly marks = new Map<string, Mark>();
  /** Wall-clock arrival (epoch ms) of each symbol's latest mark. */
  readonly markArrivals = new Map<string, number>();
  /** Recent marks per symbol, by event time. */
  readonly recentMarks = new Map<string, MarkRing>();
  // Private (#): derived from `marks`, so a snapshot of own fields skips it.
  readonly #rates = new Rates(() => this.marks);

  get rates(): Rates {
    return this.#rates;
  }

  /**
   * A `mark` event, received at wall-clock `receivedAt` (epoch ms): the symbol's latest
   * price (and bid and ask when given), its arrival, and its place in the ring.
   */
  onMark(e: MarkEvent, receivedAt: number): void {
    const mark: Mark = { price: e.price, ts: e.ts };
    if (e.bid !== undefined) mark.bid = e.bid;
    if (e.ask !== undefined) mark.ask = e.ask;
    this.marks.set(e.symbol, mark);
    this.markArrivals.set(e.symbol, receivedAt);
    let ring = this.recentMarks.get(e.symbol);
    if (!ring) this.recentMarks.set(e.symbol, (ring = { ts: [], price: [] }));
    addToRing(ring, e.ts, e.price);
  }

  markAt(symbol: string, at: number): number | null {
    const ring = this.recentMarks.get(symbol);
    return ring ? ringAt(ring, at) : null;
  }
}
