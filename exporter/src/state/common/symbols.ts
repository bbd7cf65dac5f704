/** Symbols are `BASE/QUOTE` (docs/events.md). */

/** The strategy label of an order or fill that names none. */
export const NO_STRATEGY = 'none';

export function splitSymbol(symbol: string): [string, string] {
  const slash = symbol.indexOf('/');
  return [symbol.slice(0, slash), symbol.slice(slash + 1)];
}

const QUOTES = new Map<string, string>();
/** The quote currency of a symbol (memoized: valuation asks for it on every fill and mark). */
export function quoteOf(symbol: string): string {
  let quote = QUOTES.get(symbol);
  if (quote === undefined) {
    quote = splitSymbol(symbol)[1];
    if (QUOTES.size < 100_000) QUOTES.set(symbol, quote);
  }
  return quote;
}
