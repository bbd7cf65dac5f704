/**
 * A fill: its tallies, its fee in the quote currency, the position it moves (realized PnL,
 * round trips), the cash ledger, and its row for the feed. A repeated fill_id is applied
 * once (the caller has checked).
 */
import type { FillEvent } from '../../events/schema';
import type { Change, RoundTripRow } from '../changes';
import { Decimal, figureOf } from '../common/decimal';
import type { EngineState } from '../engine';
import { bookFill } from './ledger';
import type { FillOutcome } from './positions';
import { recordRoundTrip } from './round-trips';
import { fillRow, positionChange, roundTripRow } from '../rows';
import { outcomeOf } from './statistics';
import { NO_STRATEGY, splitSymbol } from '../common/symbols';

/** Fills the state keeps in memory per engine (the feed's snapshots rely on it: feed/fill-snapshot.ts). */
export const RECENT_FILLS = 500;
const ZERO = Decimal.from(0);

/** What the position sees of a fill once its fee is accounted for. */
interface PositionLeg {
  side: 'buy' | 'sell';
  quantity: Decimal;
  /** The fee in the quote currency (zero when it could not be converted). */
  feeInQuote: Decimal;
}

export function applyFill(s: EngineState, e: FillEvent, changes: Change[]): void {
  s.fillIds.add(e.fill_id);
  const order = s.orders.find(e.order_id);
  const strategy = e.strategy ?? order?.strategy ?? NO_STRATEGY;
  const [base, quote] = splitSymbol(e.symbol);
  const labels = { strategy, symbol: e.symbol, side: e.side };
  s.fills.inc(labels);
  s.execution.onFill(e, order);
  // Amounts are booked into the valuation currency at this fill's rate (the accountant's answer).
  const rate = s.rates.decimalRate(quote, s.valuationCurrency) ?? null;
  const price = figureOf(e.price, e.exact?.price);
  const quantity = figureOf(e.quantity, e.exact?.quantity);
  const notional = price.mul(quantity);
  // A rate of exactly one leaves the (at most 20-digit) notional as it is.
  if (rate !== null) s.filledNotional.inc(labels, (rate.eq(1) ? notional : notional.mul(rate)).toNumber());
  const feeCurrency = e.fee_currency ?? quote;
  if (e.fee > 0) s.feesPaid.inc({ currency: feeCurrency }, e.fee);

  const fee = figureOf(e.fee, e.exact?.fee);
  const leg = positionLeg(s, e, { base, quote, feeCurrency }, price, quantity, fee);
  const position = s.positionOf(e.symbol);
  const outcome = leg.quantity.isZero()
    ? position.chargeFee(leg.feeInQuote, rate)
    : position.applyFill(leg.side, leg.quantity, price, leg.feeInQuote, rate, e.ts);
  if (rate === null && !outcome.realized.isZero()) {
    s.leaveOut(
      'pnl_unvalued',
      quote,
      outcome.realized.toNumber(),
      `no mark connects ${quote} to ${s.valuationCurrency} at fill ${e.fill_id} of ${e.symbol}; realized PnL in the valuation currency leaves ${outcome.realized.toString()} ${quote} out`,
    );
  }
  const tripRow = endRoundTrip(s, e, strategy, outcome);
  bookFill(s, { ts: e.ts, side: e.side, base, quote, feeCurrency }, notional, fee);

  const row = fillRow(
    s.engine,
    e,
    strategy,
    outcome.realizedValue === null ? 0 : outcome.realizedValue.toNumber(),
  );
  s.recentFills.push(row);
  if (s.recentFills.length > RECENT_FILLS) s.recentFills.shift();
  changes.push(
    tripRow
      ? { channel: 'fills', key: e.fill_id, row, roundTrip: tripRow }
      : { channel: 'fills', key: e.fill_id, row },
  );
  changes.push(positionChange(s, e.symbol, e.ts));
}

/**
 * The fee in the quote currency, and the side and size the position sees. A fee in the
 * base asset is worth the fill price and comes out of the base quantity (the venue
 * delivers quantity − fee on a buy, takes quantity + fee on a sell); a fee in another
 * currency goes through the marks.
 */
function positionLeg(
  s: EngineState,
  e: FillEvent,
  c: { base: string; quote: string; feeCurrency: string },
  price: Decimal,
  quantity: Decimal,
  fee: Decimal,
): PositionLeg {
  if (c.feeCurrency === c.quote) return { side: e.side, quantity, feeInQuote: fee };
  if (c.feeCurrency === c.base) {
    const baseDelta = (e.side === 'buy' ? quantity : quantity.neg()).sub(fee);
    return {
      side: baseDelta.isPositive() ? 'buy' : 'sell',
      quantity: baseDelta.abs(),
      feeInQuote: fee.mul(price),
    };
  }
  let feeInQuote = ZERO;
  if (!fee.isZero()) {
    const feeRate = s.rates.decimalRate(c.feeCurrency, c.quote);
    if (feeRate !== undefined) feeInQuote = fee.mul(feeRate);
    else
      s.leaveOut(
        'fee_unvalued',
        c.feeCurrency,
        fee.neg().toNumber(),
        `a fee of ${e.fee} ${c.feeCurrency} (fill ${e.fill_id}) has no mark connecting ${c.feeCurrency} to ${c.quote}; realized PnL leaves it out`,
      );
  }
  return { side: e.side, quantity, feeInQuote };
}

/** Records the round trip this fill ended, if it ended one, and returns its row. */
function endRoundTrip(
  s: EngineState,
  e: FillEvent,
  strategy: string,
  outcome: FillOutcome,
): RoundTripRow | undefined {
  const trip = outcome.roundTrip;
  if (!trip) return undefined;
  const pnl = trip.value === null ? 0 : trip.value.toNumber();
  const result = outcomeOf(trip.value === null ? trip.pnl.toNumber() : pnl);
  recordRoundTrip(
    s.trips,
    { ts: e.ts, symbol: e.symbol, strategy, pnl, outcome: result },
    s.lastEventTs ?? e.ts,
    s.equity.options.retainMs,
  );
  s.roundTripOutcomes.inc({ strategy, outcome: result });
  return roundTripRow(s.engine, e, strategy, trip, result);
}
