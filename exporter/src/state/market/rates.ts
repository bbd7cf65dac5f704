/**
 * Currency conversion through the marks. A mark of BASE/QUOTE at price p says one BASE is
 * worth p QUOTE, so every marked symbol is an edge between two currencies, usable both
 * ways. A conversion follows the shortest chain of marks that connects two currencies
 * (ETH → BTC → USD through ETH/BTC and BTC/USD), at the latest price of each mark.
 *
 * The graph is derived from the marks map itself, read through a getter at each call (no
 * state of its own to persist); the chain between two currencies is cached until the set
 * of marked symbols changes. Ties
 * between chains of the same length go to the marks seen first, so a replay of the same
 * events picks the same chain.
 */
import { Decimal } from '../common/decimal';

const ONE = Decimal.from(1);

export interface MarkPrice {
  price: number;
}

interface Step {
  symbol: string;
  /** True when the step goes from the symbol's base to its quote (multiply by the price). */
  forward: boolean;
}

export class Rates {
  private adjacency = new Map<string, Step[]>();
  private paths = new Map<string, Step[] | null>();
  /** Symbols some cached chain goes through (their marks move other currencies' rates). */
  private onPaths = new Set<string>();
  private knownMarks: ReadonlyMap<string, MarkPrice> | null = null;
  private knownSymbols = -1;

  constructor(private readonly marksOf: () => ReadonlyMap<string, MarkPrice>) {}

  /** The price of one `from` in `to` as a number (for equity, exposure and other live figures). */
  rate(from: string, to: string): number | undefined {
    if (from === to) return 1;
    const path = this.path(from, to);
    if (!path) return undefined;
    let r = 1;
    for (const step of path) {
      const price = (this.marksOf().get(step.symbol) as MarkPrice).price;
      r = step.forward ? r * price : r / price;
    }
    return r;
  }

  /** The same rate in exact decimal arithmetic (for amounts booked into realized PnL). */
  decimalRate(from: string, to: string): Decimal | undefined {
    if (from === to) return ONE;
    const path = this.path(from, to);
    if (!path) return undefined;
    let r = ONE;
    for (const step of path) {
      const price = (this.marksOf().get(step.symbol) as MarkPrice).price;
      r = step.forward ? r.mul(price) : r.div(price);
    }
    return r;
  }

  convert(amount: number, from: string, to: string): number | undefined {
    const r = this.rate(from, to);
    return r === undefined ? undefined : amount * r;
  }

  /** The symbols whose marks a conversion uses, in order (for reports and tests). */
  chain(from: string, to: string): string[] | undefined {
    if (from === to) return [];
    return this.path(from, to)?.map((s) => s.symbol);
  }

  private path(from: string, to: string): Step[] | null {
    const marks = this.marksOf();
    // Marks are only ever added, so a change of size (or of map) is a change of the graph.
    if (marks !== this.knownMarks || marks.size !== this.knownSymbols) this.rebuild(marks);
    const key = `${from}\u0000${to}`;
    let path = this.paths.get(key);
    if (path === undefined) {
      path = this.search(from, to);
      this.paths.set(key, path);
      if (path) for (const step of path) this.onPaths.add(step.symbol);
    }
    return path;
  }

  /** True when a conversion asked for so far goes through this symbol's mark. */
  usesSymbol(symbol: string): boolean {
    return this.onPaths.has(symbol);
  }

  /** Changes whenever the graph of marks changes (a new symbol was marked). */
  get graphSize(): number {
    return this.marksOf().size;
  }

  private rebuild(marks: ReadonlyMap<string, MarkPrice>): void {
    this.adjacency = new Map();
    this.paths = new Map();
    this.onPaths = new Set();
    this.knownMarks = marks;
    this.knownSymbols = marks.size;
    const link = (currency: string, step: Step) => {
      const list = this.adjacency.get(currency);
      if (list) list.push(step);
      else this.adjacency.set(currency, [step]);
    };
    for (const symbol of marks.keys()) {
      const slash = symbol.indexOf('/');
      if (slash <= 0) continue;
      link(symbol.slice(0, slash), { symbol, forward: true });
      link(symbol.slice(slash + 1), { symbol, forward: false });
    }
  }

  /** Breadth-first: the fewest marks between two currencies. */
  private search(from: string, to: string): Step[] | null {
    const previous = new Map<string, { currency: string; step: Step }>();
    const seen = new Set([from]);
    let frontier = [from];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const currency of frontier) {
        for (const step of this.adjacency.get(currency) ?? []) {
          const slash = step.symbol.indexOf('/');
          const other = step.forward ? step.symbol.slice(slash + 1) : step.symbol.slice(0, slash);
          if (seen.has(other)) continue;
          seen.add(other);
          previous.set(other, { currency, step });
          if (other === to) {
            const path: Step[] = [];
            for (let c = to; c !== from;) {
              const p = previous.get(c) as { currency: string; step: Step };
              path.unshift(p.step);
              c = p.currency;
            }
            return path;
          }
          next.push(other);
        }
      }
      frontier = next;
    }
    return null;
  }
}
