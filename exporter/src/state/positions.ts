/**
 * Average-cost positions (DESIGN.md, "Accounting"). Exact decimal arithmetic, so that
 * figures are right to the cent and splitting a fill into parts changes nothing.
 */
import Decimal from 'decimal.js';
import type { Side } from '../events/schema';

const ZERO = new Decimal(0);

export interface FillOutcome {
  /** PnL realized by this fill, fees included (quote currency). */
  realized: Decimal;
  /** Set when this fill returned the position to zero or flipped it: the PnL of the round trip that ended. */
  roundTripPnl?: Decimal;
}

export class Position {
  quantity: Decimal = ZERO;
  avgPrice: Decimal = ZERO;
  /** Realized PnL in the quote currency, fees subtracted. */
  realized: Decimal = ZERO;
  fees: Decimal = ZERO;
  /** PnL of the round trip in progress (opening fees included). */
  private tripPnl: Decimal = ZERO;

  constructor(readonly symbol: string) {}

  get isFlat(): boolean {
    return this.quantity.isZero();
  }

  /** Applies one fill; `fee` is in the quote currency. */
  applyFill(side: Side, quantity: Decimal.Value, price: Decimal.Value, fee: Decimal.Value = 0): FillOutcome {
    const qty = new Decimal(quantity);
    const px = new Decimal(price);
    const feeD = new Decimal(fee);
    const signed = side === 'buy' ? qty : qty.neg();
    this.fees = this.fees.add(feeD);

    if (this.quantity.isZero() || this.quantity.isPositive() === signed.isPositive()) {
      // Opening or adding: the average moves, nothing is realized but the fee.
      const newQty = this.quantity.add(signed);
      this.avgPrice = this.quantity.abs().mul(this.avgPrice).add(qty.mul(px)).div(newQty.abs());
      this.quantity = newQty;
      this.realized = this.realized.sub(feeD);
      this.tripPnl = this.tripPnl.sub(feeD);
      return { realized: feeD.neg() };
    }

    // Reducing: realize on the closed part; a fill that crosses zero opens the rest anew.
    const closing = Decimal.min(qty, this.quantity.abs());
    const opening = qty.sub(closing);
    const closingFee = feeD.mul(closing).div(qty);
    const openingFee = feeD.sub(closingFee);
    const direction = this.quantity.isPositive() ? 1 : -1;
    const gross = px.sub(this.avgPrice).mul(closing).mul(direction);
    const realized = gross.sub(feeD);
    this.realized = this.realized.add(realized);
    this.tripPnl = this.tripPnl.add(gross).sub(closingFee);
    this.quantity = this.quantity.add(signed);

    let roundTripPnl: Decimal | undefined;
    if (this.quantity.isZero() || opening.gt(0)) {
      roundTripPnl = this.tripPnl;
      this.tripPnl = openingFee.neg();
    }
    if (this.quantity.isZero()) this.avgPrice = ZERO;
    else if (opening.gt(0)) this.avgPrice = px;
    return { realized, roundTripPnl };
  }

  /** Unrealized PnL at a mark, in the quote currency. */
  unrealizedAt(mark: Decimal.Value): Decimal {
    return new Decimal(mark).sub(this.avgPrice).mul(this.quantity);
  }

  /** Replaces the position from an engine's snapshot (the trip restarts). */
  reset(quantity: Decimal.Value, avgPrice: Decimal.Value): void {
    this.quantity = new Decimal(quantity);
    this.avgPrice = this.quantity.isZero() ? ZERO : new Decimal(avgPrice);
    this.tripPnl = ZERO;
  }
}
