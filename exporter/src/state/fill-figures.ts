/**
 * The figures of a fill that both its execution side (tallies) and its portfolio side
 * (position, cash) use, read once: exact amounts, currencies, and the rate of its quote
 * currency to the valuation currency at this fill (the accountant's answer).
 */
import type { FillEvent } from '../events/schema';
import { figureOf, type Decimal } from './common/decimal';
import { splitSymbol } from './common/symbols';
import type { Rates } from './market/rates';

export interface FillFigures {
  base: string;
  quote: string;
  feeCurrency: string;
  price: Decimal;
  quantity: Decimal;
  notional: Decimal;
  fee: Decimal;
  /** Quote → valuation currency at this fill; null when no mark connects them. */
  rate: Decimal | null;
}

export function fillFigures(e: FillEvent, rates: Rates, valuationCurrency: string): FillFigures {
  const [base, quote] = splitSymbol(e.symbol);
  const price = figureOf(e.price, e.exact?.price);
  const quantity = figureOf(e.quantity, e.exact?.quantity);
  return {
    base,
    quote,
    feeCurrency: e.fee_currency ?? quote,
    price,
    quantity,
    notional: price.mul(quantity),
    fee: figureOf(e.fee, e.exact?.fee),
    rate: rates.decimalRate(quote, valuationCurrency) ?? null,
  };
}
