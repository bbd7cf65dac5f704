/**
 * Average-cost positions (docs/architecture.md, "Accounting"). Exact decimal
 * arithmetic, so that figures are right to the cent and splitting a fill into parts
 * changes nothing.
 *
 * Every figure is kept twice: in the symbol's quote currency, and in the valuation
 * currency at the rate of the moment each amount was realized (the accountant's answer:
 * a realized amount is booked once, at the rate of its day, and never re-valued).
 */
import type { Side } from '../../events/schema';
import { Decimal, decimalOf, NumberOf, type DecimalValue } from '../common/decimal';

const ZERO = Decimal.from(0);
const ONE = Decimal.from(1);
/**
 * Engines that count in binary floating point send quantities such as 0.30000000000000004;
 * a remainder smaller than this fraction of the fill that leaves it is dust, not a
 * position, so a fill meant to close a position closes it (and ends its round trip).
 */
export const DUST_RATIO = Decimal.from('1e-9');
export interface RoundTripEnd {
  /** PnL of the round trip that ended, in the quote currency, fees included. */
  pnl: Decimal;
  /** The same in the valuation currency at the rates of its fills; null when a rate was unknown. */
  value: Decimal | null;
  /** long: opened by a buy; short: opened by a sell. */
  direction: 'long' | 'short';
  /** Event time (epoch ms) of the fill that opened it. */
  openedAt: number;
  /** Quantity opened (base asset; adds included). */
  quantity: Decimal;
  /** Average price of the opening fills, and of the closing ones. */
  entryPrice: Decimal;
  exitPrice: Decimal;
  /** Fees of the round trip (opening and closing parts), in the quote currency and the valuation currency. */
  fees: Decimal;
  feesValue: Decimal | null;
}

export interface FillOutcome {
  /** PnL realized by this fill, fees included (quote currency). */
  realized: Decimal;
  /** The same in the valuation currency at this fill's rate (what trading_realized_pnl adds); null without a rate. */
  realizedValue: Decimal | null;
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
  /** The trip in progress: when it opened, what it opened (quantity, notional) and closed, and its fees. */
  tripOpenedAt = 0;
  tripEntryQty: Decimal = ZERO;
  tripEntryNotional: Decimal = ZERO;
  tripExitQty: Decimal = ZERO;
  tripExitNotional: Decimal = ZERO;
  tripFees: Decimal = ZERO;
  tripFeesValue: Decimal = ZERO;

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
   * no mark connects them — the valuation figures then leave this fill out). `ts` is the
   * fill's event time (when a round trip opened).
   */
  applyFill(
    side: Side,
    quantity: DecimalValue,
    price: DecimalValue,
    fee: DecimalValue = 0,
    rate: Decimal | null = ONE,
    ts = 0,
  ): FillOutcome {
    const qty = toDecimal(quantity);
    const px = toDecimal(price);
    const feeD = toDecimal(fee);
    const signed = side === 'buy' ? qty : qty.neg();
    this.fees = this.fees.add(feeD);
    // Every decimal here has at most the 20 significant digits decimal.js keeps, so a
    // product by a rate of exactly one is the amount itself: the product is skipped.
    const unit = rate !== null && rate.eq(ONE);
    if (rate === null) this.tripValueIncomplete = true;

    if (this.quantity.isZero() || this.quantity.isPositive() === signed.isPositive()) {
      // Opening or adding: the average moves, nothing is realized but the fee.
      // A trip's figures were cleared when the last one ended (or at construction or reset).
      if (this.quantity.isZero()) this.tripOpenedAt = ts;
      this.tripEntryQty = this.tripEntryQty.add(qty);
      this.tripEntryNotional = this.tripEntryNotional.add(qty.mul(px));
      this.tripFees = this.tripFees.add(feeD);
      const newQty = this.quantity.add(signed);
      this.avgPrice = this.quantity.abs().mul(this.avgPrice).add(qty.mul(px)).div(newQty.abs());
      this.quantity = newQty;
      const feeValue = valued(feeD, rate, unit);
      this.realized = this.realized.sub(feeD);
      this.realizedValue = this.realizedValue.sub(feeValue);
      this.tripPnl = this.tripPnl.sub(feeD);
      this.tripValue = this.tripValue.sub(feeValue);
      this.tripFeesValue = this.tripFeesValue.add(feeValue);
      return { realized: feeD.neg(), realizedValue: rate === null ? null : feeValue.neg() };
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
    const realizedValue = valued(realized, rate, unit);
    this.realized = this.realized.add(realized);
    this.realizedValue = this.realizedValue.add(realizedValue);
    this.tripExitQty = this.tripExitQty.add(closing);
    this.tripExitNotional = this.tripExitNotional.add(closing.mul(px));
    this.tripFees = this.tripFees.add(closingFee);
    this.tripFeesValue = this.tripFeesValue.add(valued(closingFee, rate, unit));
    this.tripPnl = this.tripPnl.add(gross).sub(closingFee);
    this.tripValue = this.tripValue.add(valued(gross.sub(closingFee), rate, unit));
    if (opens) this.quantity = long ? opening.neg() : opening;
    else this.quantity = this.quantity.sub(long ? closing : closing.neg());

    let roundTrip: RoundTripEnd | undefined;
    if (this.quantity.isZero() || opens) {
      const incomplete = this.tripValueIncomplete;
      roundTrip = {
        pnl: this.tripPnl,
        value: incomplete ? null : this.tripValue,
        direction: long ? 'long' : 'short',
        openedAt: this.tripOpenedAt,
        quantity: this.tripEntryQty,
        entryPrice: this.tripEntryQty.isZero()
          ? this.avgPrice
          : this.tripEntryNotional.div(this.tripEntryQty),
        exitPrice: this.tripExitQty.isZero() ? px : this.tripExitNotional.div(this.tripExitQty),
        fees: this.tripFees,
        feesValue: incomplete ? null : this.tripFeesValue,
      };
      this.tripPnl = openingFee.neg();
      this.tripValue = valued(openingFee, rate, unit).neg();
      this.tripValueIncomplete = rate === null && opens;
      this.startTrip(ts);
      if (opens) {
        this.tripEntryQty = opening;
        this.tripEntryNotional = opening.mul(px);
        this.tripFees = openingFee;
        this.tripFeesValue = valued(openingFee, rate, unit);
      }
    }
    if (this.quantity.isZero()) this.avgPrice = ZERO;
    else if (opens) this.avgPrice = px;
    const realizedOf = rate === null ? null : realizedValue;
    return roundTrip
      ? { realized, realizedValue: realizedOf, roundTrip }
      : { realized, realizedValue: realizedOf };
  }

  /** A new trip opens at `ts`: nothing entered, exited or charged yet. */
  private startTrip(ts: number): void {
    this.tripOpenedAt = ts;
    this.tripEntryQty = ZERO;
    this.tripEntryNotional = ZERO;
    this.tripExitQty = ZERO;
    this.tripExitNotional = ZERO;
    this.tripFees = ZERO;
    this.tripFeesValue = ZERO;
  }

  /** A fee with no quantity moved (a fee in the base asset that cancels the fill's quantity). */
  chargeFee(fee: DecimalValue, rate: Decimal | null = ONE): FillOutcome {
    const feeD = toDecimal(fee);
    this.fees = this.fees.add(feeD);
    this.realized = this.realized.sub(feeD);
    this.tripPnl = this.tripPnl.sub(feeD);
    this.tripFees = this.tripFees.add(feeD);
    if (rate === null) {
      this.tripValueIncomplete = true;
      return { realized: feeD.neg(), realizedValue: null };
    }
    const feeValue = feeD.mul(rate);
    this.realizedValue = this.realizedValue.sub(feeValue);
    this.tripValue = this.tripValue.sub(feeValue);
    this.tripFeesValue = this.tripFeesValue.add(feeValue);
    return { realized: feeD.neg(), realizedValue: feeValue.neg() };
  }

  /** Unrealized PnL at a mark, in the quote currency. */
  unrealizedAt(mark: DecimalValue): Decimal {
    return toDecimal(mark).sub(this.avgPrice).mul(this.quantity);
  }

  /** Replaces the position from an engine's snapshot at `ts` (the trip restarts there, at the snapshot's average). */
  reset(quantity: DecimalValue, avgPrice: DecimalValue, ts = 0): void {
    this.quantity = Decimal.from(quantity);
    this.avgPrice = this.quantity.isZero() ? ZERO : Decimal.from(avgPrice);
    this.tripPnl = ZERO;
    this.tripValue = ZERO;
    this.tripValueIncomplete = false;
    this.startTrip(ts);
    this.tripEntryQty = this.quantity.abs();
    this.tripEntryNotional = this.tripEntryQty.mul(this.avgPrice);
  }
}

/** The value as a decimal; a decimal is used as is (they are immutable, a copy is equal). */
function toDecimal(v: DecimalValue): Decimal {
  if (v instanceof Decimal) return v;
  return typeof v === 'number' ? decimalOf(v) : Decimal.from(v);
}

/**
 * `amount` in the valuation currency: none without a rate, itself at a rate of exactly one.
 * Earned by a measure: a function, not a closure made at each fill (under tsx each closure
 * also cost an esbuild __name call): applyFill took 0.37-0.50 of the CPU before.
 */
function valued(amount: Decimal, rate: Decimal | null, unit: boolean): Decimal {
  return rate === null ? ZERO : unit ? amount : amount.mul(rate);
}
