/**
 * The cash ledger (docs/architecture.md, "Accounting"): a `balance` event sets cash as of
 * its `ts`; a later fill moves it (a buy spends notional plus fee, a sell receives
 * notional minus fee); a fill at or before the latest balance's `ts` is taken as already
 * in that balance. The gap between the ledger and a newly reported balance is kept.
 */
import type { BalanceEvent } from '../../events/schema';
import { Decimal, figureOf } from '../common/decimal';
import { splitSymbol } from '../common/symbols';
import type { PortfolioSlice } from './slice';

type Exact = Readonly<Record<string, string>> | undefined;

/** A `balance` event: sets each currency it names, noting the gap to the ledger. */
export function applyBalance(s: PortfolioSlice, e: BalanceEvent): void {
  for (const [currency, amount] of Object.entries(e.balances)) {
    const ledger = s.cash.get(currency);
    if (ledger !== undefined) s.cashGap.set(currency, amount - ledger.toNumber());
    s.cash.set(currency, figureOf(amount, e.exact?.[`balances.${currency}`]));
    s.cashInPositions.set(currency, baseQuantity(s, currency));
  }
  if (e.ts > s.lastBalanceTs) s.lastBalanceTs = e.ts;
}

/** The balances of an engine snapshot: they replace the whole ledger. */
export function replaceBalances(
  s: PortfolioSlice,
  balances: Record<string, number>,
  exact: Exact,
  ts: number,
): void {
  s.cash.clear();
  s.cashInPositions.clear();
  for (const [currency, amount] of Object.entries(balances)) {
    s.cash.set(currency, figureOf(amount, exact?.[`balances.${currency}`]));
    s.cashInPositions.set(currency, baseQuantity(s, currency));
  }
  s.lastBalanceTs = ts;
}

/**
 * A fill's cash legs, unless the latest balance already holds it: the quote notional, and
 * a fee not paid in the base asset (that one came out of the quantity delivered).
 */
export function bookFill(
  s: PortfolioSlice,
  fill: { ts: number; side: 'buy' | 'sell'; base: string; quote: string; feeCurrency: string },
  notional: Decimal,
  fee: Decimal,
): void {
  if (fill.ts <= s.lastBalanceTs) return;
  moveCash(s, fill.quote, fill.side === 'buy' ? notional.neg() : notional);
  if (fill.feeCurrency !== fill.base && !fee.isZero()) moveCash(s, fill.feeCurrency, fee.neg());
}

function moveCash(s: PortfolioSlice, currency: string, delta: Decimal): void {
  s.cash.set(currency, (s.cash.get(currency) ?? Decimal.from(0)).add(delta));
}

/** The quantity of `currency` the open positions hold (summed over symbols with it as base). */
function baseQuantity(s: PortfolioSlice, currency: string): Decimal {
  let sum = Decimal.from(0);
  for (const [symbol, p] of s.positions) if (splitSymbol(symbol)[0] === currency) sum = sum.add(p.quantity);
  return sum;
}
