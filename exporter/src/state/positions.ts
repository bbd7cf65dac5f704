/**
 * Average-cost positions (DESIGN.md, "Accounting and analytics"). Exact decimal
 * arithmetic, so that figures are right to the cent and splitting a fill into parts
 * changes nothing.
 *
 * Every figure is kept twice: in the symbol's quote currency, and in the valuation
 * currency at the rate of the moment each amount was realized (the accountant's answer:
 * a realized amount is booked once, at the rate of its day, and never re-valued).
 */
import Decimal from 'decimal.js';
import type { Side } from '../events/schema';
import { decimalOf, NumberOf } from './decimal';

const ZERO = new Decimal(0);
const ONE = new Decimal(1);
/**
 * Engines that count in binary floating point send quantities such as 0.30000000000000004;
 * a remainder smaller than this fraction of the fill that leaves it is dust, not a
 * position, so a fill meant to close a position closes it (and ends its round trip).
 */
export const DUST_RATIO = new Decimal('1e-9');
export interface RoundTripEnd {
  /** PnL of the round trip that ended, in the quote currency, fees included. */
  pnl: Decimal;
  /** The same in the valuation currency at the rates of its fills; null when a rate was unknown. */
  value: Decimal | null;
}

export interface FillOutcome {
  /** PnL realized by this fill, fees included (quote currency). */
  realized: Decimal;
  /** Set when this fill returned the position to zero or flipped it. */
  roundTrip?: RoundTripEnd;
}

export class Position {
  /** Signed quantity in the base asset. */
  quantity: Decimal = ZERO;
  avgPrice: Decimal = ZERO;
  /** Realized PnL in the quote currency, fees subtracted. */
  realized: Decimal = ZERO;
  /** Realized PnL in the valuation currency, each part at its fill's rate. */
  realizedValue: Decimal = ZERO;
  /** Fees charged to this position, in the quote currency. */
  fees: Decimal = ZERO;
  /** PnL of the round trip in progress, in quote and valuation currency (opening fees included). */
  tripPnl: Decimal = ZERO;
  tripValue: Decimal = ZERO;
  /** True when a part of the trip in progress had no rate to the valuation currency. */
  tripValueIncomplete = false;

  constructor(readonly symbol: string) {}

  // Figures as numbers, for live rows and valuation (cached: Decimal values are immutable,
  // so a figure's number holds until the field points at another value).
  readonly #quantityNumber = new NumberOf();
  readonly #avgPriceNumber = new NumberOf();
  readonly #realizedNumber = new NumberOf();
  readonly #feesNumber = new NumberOf();

  get quantityNumber(): number {
    return this.#quantityNumber.of(this.quantity);
  }
  get avgPriceNumber(): number {
    return this.#avgPriceNumber.of(this.avgPrice);
  }
  get realizedNumber(): number {
    return this.#realizedNumber.of(this.realized);
  }
  get feesNumber(): number {
    return this.#feesNumber.of(this.fees);
  }

  get isFlat(): boolean {
    return this.quantity.isZero();
  }

  /**
   * Applies one fill. `fee` is in the quote currency; `rate` converts the quote currency
   * to the valuation currency at this fill's time (1 when they are the same; null when
   * no mark connects them — the valuation figures then leave this fill out).
   */
  applyFill(
    side: Side,
    quantity: Decimal.Value,
    price: Decimal.Value,
    fee: Decimal.Value = 0,
    rate: Decimal | null = ONE,
  ): FillOutcome {
    const qty = toDecimal(quantity);
    const px = toDecimal(price);
    const feeD = toDecimal(fee);
    const signed = side === 'buy' ? qty : qty.neg();
    this.fees = this.fees.add(feeD);
    // Every decimal here has at most the 20 significant digits decimal.js keeps, so a
    // product by a rate of exactly one is the amount itself: the product is skipped.
    const unit = rate !== null && rate.eq(ONE);
    const value = (amount: Decimal): Decimal => (rate === null ? ZERO : unit ? amount : amount.mul(rate));
    if (rate === null) this.tripValueIncomplete = true;

    if (this.quantity.isZero() || this.quantity.isPositive() === signed.isPositive()) {
      // Opening or adding: the average moves, nothing is realized but the fee.
      const newQty = this.quantity.add(signed);
      this.avgPrice = this.quantity.abs().mul(this.avgPrice).add(qty.mul(px)).div(newQty.abs());
      this.quantity = newQty;
      const feeValue = value(feeD);
      this.realized = this.realized.sub(feeD);
      this.realizedValue = this.realizedValue.sub(feeValue);
      this.tripPnl = this.tripPnl.sub(feeD);
      this.tripValue = this.tripValue.sub(feeValue);
      return { realized: feeD.neg() };
    }

    // Reducing: realize on the closed part; a fill that crosses zero opens the rest anew,
    // and the fee is split between the two parts in proportion to their quantities.
    const dust = qty.mul(DUST_RATIO);
    const held = this.quantity.abs();
    let closing = Decimal.min(qty, held);
    let opening = qty.sub(closing);
    // A fill that closes the position up to dust (either way) closes it exactly.
    // `opening` is never negative, so "greater than zero" is "not zero".
    if (!opening.isZero() && opening.lte(dust)) opening = ZERO;
    const opens = !opening.isZero();
    if (!opens && held.sub(closing).lte(dust)) closing = held;
    const closingFee = opens ? feeD.mul(closing).div(qty) : feeD;
    const openingFee = feeD.sub(closingFee);
    // A product by ±1 is the value or its negation, exactly (sign of zero included).
    const long = this.quantity.isPositive();
    const grossLong = px.sub(this.avgPrice).mul(closing);
    const gross = long ? grossLong : grossLong.neg();
    const realized = gross.sub(feeD);
    this.realized = this.realized.add(realized);
    this.realizedValue = this.realizedValue.add(value(realized));
    this.tripPnl = this.tripPnl.add(gross).sub(closingFee);
    this.tripValue = this.tripValue.add(value(gross.sub(closingFee)));
    if (opens) this.quantity = long ? opening.neg() : opening;
    else this.quantity = this.quantity.sub(long ? closing : closing.neg());

    let roundTrip: RoundTripEnd | undefined;
    if (this.quantity.isZero() || opens) {
      roundTrip = { pnl: this.tripPnl, value: this.tripValueIncomplete ? null : this.tripValue };
      this.tripPnl = openingFee.neg();
      this.tripValue = value(openingFee).neg();
      this.tripValueIncomplete = rate === null && opens;
    }
    if (this.quantity.isZero()) this.avgPrice = ZERO;
    else if (opens) this.avgPrice = px;
    return roundTrip ? { realized, roundTrip } : { realized };
  }

  /** A fee with no quantity moved (a fee in the base asset that cancels the fill's quantity). */
  chargeFee(fee: Decimal.Value, rate: Decimal | null = ONE): FillOutcome {
    const feeD = toDecimal(fee);
    this.fees = this.fees.add(feeD);
    this.realized = this.realized.sub(feeD);
    this.tripPnl = this.tripPnl.sub(feeD);
    if (rate === null) {
      this.tripValueIncomplete = true;
    } else {
      this.realizedValue = this.realizedValue.sub(feeD.mul(rate));
      this.tripValue = this.tripValue.sub(feeD.mul(rate));
    }
    return { realized: feeD.neg() };
  }

  /** Unrealized PnL at a mark, in the quote currency. */
  unrealizedAt(mark: Decimal.Value): Decimal {
    return toDecimal(mark).sub(this.avgPrice).mul(this.quantity);
  }

  /** Replaces the position from an engine's snapshot (the trip restarts). */
  reset(quantity: Decimal.Value, avgPrice: Decimal.Value): void {
    this.quantity = new Decimal(quantity);
    this.avgPrice = this.quantity.isZero() ? ZERO : new Decimal(avgPrice);
    this.tripPnl = ZERO;
    this.tripValue = ZERO;
    this.tripValueIncomplete = false;
  }
}

/** The value as a decimal; a decimal is used as is (they are immutable, a copy is equal). */
function toDecimal(v: Decimal.Value): Decimal {
  if (v instanceof Decimal) return v;
  return typeof v === 'number' ? decimalOf(v) : new Decimal(v);
}
