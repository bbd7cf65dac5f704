/**
 * A fill's portfolio side: its fee in the quote currency, the position it moves (realized
 * PnL, round trips) and the cash ledger. The execution side (tallies, the fill's record) is
 * execution/fills.ts; the caller has checked that the fill_id is new.
 */
import type { FillEvent } from '../../events/schema';
import type { RoundTripRecord } from '../changes';
import { Decimal } from '../common/decimal';
import type { FillFigures } from '../fill-figures';
import { roundTripRecord } from '../records';
import { bookFill } from './ledger';
import type { FillOutcome } from './positions';
import { recordRoundTrip } from './round-trips';
import type { PortfolioSlice } from './slice';
import { outcomeOf } from './statistics';

const ZERO = Decimal.from(0);

/** What the position sees of a fill once its fee is accounted for. */
interface PositionLeg {
  side: 'buy' | 'sell';
  quantity: Decimal;
  /** The fee in the quote currency (zero when it could not be converted). */
  feeInQuote: Decimal;
}

export interface BookedFill {
  /** The PnL the fill realized in the valuation currency (0 when it could not be valued). */
  realizedValue: number;
  /** The round trip it ended, if it ended one. */
  roundTrip?: RoundTripRecord;
}

/** `now`: the engine's latest event time (round-trip windows are kept relative to it). */
export function applyFillToPortfolio(
  p: PortfolioSlice,
  engine: string,
  e: FillEvent,
  f: FillFigures,
  strategy: string,
  now: number,
): BookedFill {
  const leg = positionLeg(p, e, f);
  const position = p.positionOf(e.symbol);
  const outcome = leg.quantity.isZero()
    ? position.chargeFee(leg.feeInQuote, f.rate)
    : position.applyFill(leg.side, leg.quantity, f.price, leg.feeInQuote, f.rate, e.ts);
  if (f.rate === null && !outcome.realized.isZero()) {
    p.leaveOut(
      'pnl_unvalued',
      f.quote,
      outcome.realized.toNumber(),
      `no mark connects ${f.quote} to ${p.valuationCurrency} at fill ${e.fill_id} of ${e.symbol}; realized PnL in the valuation currency leaves ${outcome.realized.toString()} ${f.quote} out`,
    );
  }
  const roundTrip = endRoundTrip(p, engine, e, strategy, outcome, now);
  bookFill(
    p,
    { ts: e.ts, side: e.side, base: f.base, quote: f.quote, feeCurrency: f.feeCurrency },
    f.notional,
    f.fee,
  );
  const realizedValue = outcome.realizedValue === null ? 0 : outcome.realizedValue.toNumber();
  return roundTrip ? { realizedValue, roundTrip } : { realizedValue };
}

/**
 * The fee in the quote currency, and the side and size the position sees. A fee in the
 * base asset is worth the fill price and comes out of the base quantity (the venue
 * delivers quantity − fee on a buy, takes quantity + fee on a sell); a fee in another
 * currency goes through the marks.
 */
function positionLeg(p: PortfolioSlice, e: FillEvent, f: FillFigures): PositionLeg {
  const { quantity, fee } = f;
  if (f.feeCurrency === f.quote) return { side: e.side, quantity, feeInQuote: fee };
  if (f.feeCurrency === f.base) {
    const baseDelta = (e.side === 'buy' ? quantity : quantity.neg()).sub(fee);
    return {
      side: baseDelta.isPositive() ? 'buy' : 'sell',
      quantity: baseDelta.abs(),
      feeInQuote: fee.mul(f.price),
    };
  }
  let feeInQuote = ZERO;
  if (!fee.isZero()) {
    const feeRate = p.rates.decimalRate(f.feeCurrency, f.quote);
    if (feeRate !== undefined) feeInQuote = fee.mul(feeRate);
    else
      p.leaveOut(
        'fee_unvalued',
        f.feeCurrency,
        fee.neg().toNumber(),
        `a fee of ${e.fee} ${f.feeCurrency} (fill ${e.fill_id}) has no mark connecting ${f.feeCurrency} to ${f.quote}; realized PnL leaves it out`,
      );
  }
  return { side: e.side, quantity, feeInQuote };
}

/** Records the round trip this fill ended, if it ended one, and returns its row. */
function endRoundTrip(
  p: PortfolioSlice,
  engine: string,
  e: FillEvent,
  strategy: string,
  outcome: FillOutcome,
  now: number,
): RoundTripRecord | undefined {
  const trip = outcome.roundTrip;
  if (!trip) return undefined;
  const pnl = trip.value === null ? 0 : trip.value.toNumber();
  const result = outcomeOf(trip.value === null ? trip.pnl.toNumber() : pnl);
  recordRoundTrip(
    p.trips,
    { ts: e.ts, symbol: e.symbol, strategy, pnl, outcome: result },
    now,
    p.equity.options.retainMs,
  );
  p.roundTripOutcomes.inc({ strategy, outcome: result });
  return roundTripRecord(engine, e, strategy, trip, result);
}
