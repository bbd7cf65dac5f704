/**
 * The market slice: the latest mark of each symbol, and the conversions between currencies
 * that the marks allow (derived, read through the marks at each call).
 */
import type { MarkEvent } from '../../events/schema';
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
}

export class MarketSlice implements MarketView {
  readonly marks = new Map<string, Mark>();
  // Private (#): derived from `marks`, so a snapshot of own fields skips it.
  readonly #rates = new Rates(() => this.marks);

  get rates(): Rates {
    return this.#rates;
  }

  /** A `mark` event: the symbol's latest price (and bid and ask when given). */
  onMark(e: MarkEvent): void {
    const mark: Mark = { price: e.price, ts: e.ts };
    if (e.bid !== undefined) mark.bid = e.bid;
    if (e.ask !== undefined) mark.ask = e.ask;
    this.marks.set(e.symbol, mark);
  }
}
