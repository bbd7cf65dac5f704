/**
 * Equity = cash + marked positions, in the valuation currency (docs/architecture.md,
 * "Accounting"). Positions are valued incrementally: a fill or a mark of one symbol
 * revalues that symbol only, unless its mark is on a conversion chain (it then moves other
 * rates) or a new symbol changed the graph of marks. Every REVALUE_ALL_EVERY updates the
 * sum is rebuilt, so rounding never drifts; the cadence counts events, so a replay
 * revalues exactly where the live run did.
 *
 * Everything held here is derived from the engine's state (a snapshot does not carry it;
 * it rebuilds on the first valuation after a restore).
 */
import { NumberOf, type Decimal } from '../common/decimal';
import type { MarketView } from '../market/slice';
import type { Position } from './positions';
import { insertSorted, removeSorted } from '../common/sorted';
import { quoteOf, splitSymbol } from '../common/symbols';

/** Incremental position revaluations between two full ones. */
const REVALUE_ALL_EVERY = 1024;

interface PositionValues {
  total: number;
  values: Map<string, number>;
  gaps: Set<string>;
}

/** How the position gaps moved: one symbol in or out, all rebuilt, or not at all. */
type GapMove = { symbol: string; isGap: boolean } | 'rebuilt' | null;

/** What the valuation reads and keeps of the portfolio (its slice, portfolio/slice.ts). */
export interface ValuedBook {
  readonly positions: ReadonlyMap<string, Position>;
  readonly cash: ReadonlyMap<string, Decimal>;
  readonly cashInPositions: ReadonlyMap<string, Decimal>;
  /** Written here: what equity leaves out right now, sorted. */
  valuationGaps: string[];
  readonly valuationCurrency: string;
  toValuation(amount: number, currency: string): number | undefined;
  notice(kind: 'valuation_gap', subject: string, message: string): void;
}

export class EquityValuation {
  /** The cache of position values. */
  private readonly pv = {
    ready: false,
    graphSize: -1,
    updates: 0,
    total: 0,
    values: new Map<string, number>(),
    gaps: new Set<string>(),
  };
  private lastCashGaps: string[] = [];
  /** The base currencies of the positions' symbols (rebuilt when a symbol is added; never deleted). */
  private baseCurrencies = { size: -1, set: new Set<string>() };
  private readonly cashNumbers = new Map<string, NumberOf>();

  constructor(
    private readonly s: ValuedBook,
    private readonly market: MarketView,
  ) {}

  /** Keeps the base currencies current one symbol at a time (a rebuild per new symbol was quadratic). */
  onNewPosition(symbol: string): void {
    const bases = this.baseCurrencies;
    if (bases.size === this.s.positions.size) {
      bases.set.add(splitSymbol(symbol)[0]);
      bases.size += 1;
    }
  }

  /** Signed notional of an open position at its mark, in the valuation currency; undefined without a mark or rate. */
  positionValue(symbol: string): number | undefined {
    const p = this.s.positions.get(symbol);
    const mark = this.market.marks.get(symbol);
    if (!p || p.isFlat || !mark) return undefined;
    return this.s.toValuation(p.quantityNumber * mark.price, quoteOf(symbol));
  }

  /** Unrealized PnL of an open position at its mark, in the valuation currency at today's rate. */
  unrealizedValue(symbol: string): number | undefined {
    const p = this.s.positions.get(symbol);
    const mark = this.market.marks.get(symbol);
    if (!p || p.isFlat || !mark) return undefined;
    return this.s.toValuation(p.unrealizedAt(mark.price).toNumber(), quoteOf(symbol));
  }

  /** A fresh full valuation that leaves the incremental cache (and its cadence) untouched. */
  equityNow(): number | null {
    const positions = this.valueAllPositions();
    const cash = this.valueCash();
    return positions.values.size > 0 || cash.known ? positions.total + cash.total : null;
  }

  /** Equity after an event that moved `touched` (or anything), noting what it had to leave out. */
  valueNow(touched?: string): number | null {
    const wasReady = this.pv.ready;
    const { equity, positionGaps, cashGaps } = this.valuation(touched);
    const last = this.lastCashGaps;
    const cashGapsChanged = cashGaps.length !== last.length || cashGaps.some((g, i) => g !== last[i]);
    if (positionGaps === null && !cashGapsChanged && wasReady) return equity;
    // One symbol in or out is a sorted insert or removal; a full rebuild happens only on the
    // (rare, event-counted) full revaluation, so thousands of unmarked symbols stay linear.
    if (positionGaps !== null && positionGaps !== 'rebuilt' && !cashGapsChanged) {
      if (positionGaps.isGap) this.addGap(positionGaps.symbol);
      else removeSorted(this.s.valuationGaps, positionGaps.symbol);
      return equity;
    }
    this.lastCashGaps = cashGaps;
    const gaps = [...cashGaps, ...this.pv.gaps].sort();
    const before = new Set(this.s.valuationGaps);
    this.s.valuationGaps = [];
    for (const g of gaps) {
      if (before.has(g)) this.s.valuationGaps.push(g);
      else this.addGap(g);
    }
    return equity;
  }

  private valuation(touched?: string): { equity: number | null; positionGaps: GapMove; cashGaps: string[] } {
    const pv = this.pv;
    const rates = this.market.rates;
    let positionGaps: GapMove;
    const local =
      touched !== undefined &&
      pv.ready &&
      pv.graphSize === rates.graphSize &&
      !rates.usesSymbol(touched) &&
      pv.updates < REVALUE_ALL_EVERY;
    if (local) {
      pv.updates += 1;
      positionGaps = this.revalue(touched);
    } else {
      const gapsBefore = pv.gaps;
      Object.assign(pv, this.valueAllPositions(), { updates: 0, ready: true });
      pv.graphSize = rates.graphSize;
      const changed = gapsBefore.size !== pv.gaps.size || [...pv.gaps].some((g) => !gapsBefore.has(g));
      positionGaps = changed ? 'rebuilt' : null;
    }
    const cash = this.valueCash();
    const known = pv.values.size > 0 || cash.known;
    return { equity: known ? pv.total + cash.total : null, positionGaps, cashGaps: cash.gaps };
  }

  /** Revalues one symbol in the cache. */
  private revalue(symbol: string): GapMove {
    const pv = this.pv;
    const before = pv.values.get(symbol);
    if (before !== undefined) pv.total -= before;
    pv.values.delete(symbol);
    const wasGap = pv.gaps.delete(symbol);
    const p = this.s.positions.get(symbol);
    let isGap = false;
    if (p && !p.isFlat) {
      const v = this.positionValue(symbol);
      if (v === undefined) isGap = true;
      else {
        pv.values.set(symbol, v);
        pv.total += v;
      }
    }
    if (isGap) pv.gaps.add(symbol);
    return wasGap !== isGap ? { symbol, isGap } : null;
  }

  /** Every open position's value in the valuation currency; those that cannot be valued are gaps. */
  private valueAllPositions(): PositionValues {
    const values = new Map<string, number>();
    const gaps = new Set<string>();
    let total = 0;
    for (const [symbol, p] of this.s.positions) {
      if (p.isFlat) continue;
      const v = this.positionValue(symbol);
      if (v === undefined) gaps.add(symbol);
      else {
        values.set(symbol, v);
        total += v;
      }
    }
    return { total, values, gaps };
  }

  /** Cash in the valuation currency (position currencies are valued as positions). */
  private valueCash(): { total: number; known: boolean; gaps: string[] } {
    let total = 0;
    let known = false;
    const gaps: string[] = [];
    for (const [currency, amount] of this.s.cash) {
      let v: number | undefined;
      if (this.isPositionCurrency(currency)) {
        // Its positions are valued as positions: the cash counted is what the ledger holds
        // besides them (a reported balance less the positions it held; another symbol's quote
        // legs and fees since, such as the BTC of ETH/BTC fills).
        const besides = amount.sub(this.s.cashInPositions.get(currency) ?? 0);
        if (besides.isZero()) continue;
        v = this.s.toValuation(besides.toNumber(), currency);
      } else v = this.s.toValuation(this.cashNumber(currency, amount), currency);
      if (v === undefined) {
        if (!amount.isZero()) gaps.push(currency);
        continue;
      }
      total += v;
      known = true;
    }
    return { total, known, gaps };
  }

  /** Currencies held as positions (the base of a traded symbol) are valued as positions, not cash. */
  private isPositionCurrency(currency: string): boolean {
    const positions = this.s.positions;
    if (this.baseCurrencies.size !== positions.size) {
      this.baseCurrencies = {
        size: positions.size,
        set: new Set([...positions.keys()].map((s) => splitSymbol(s)[0])),
      };
    }
    return this.baseCurrencies.set.has(currency);
  }

  /** A cash balance as a number, for valuation after every event (remembered until it moves). */
  private cashNumber(currency: string, amount: Decimal): number {
    let cached = this.cashNumbers.get(currency);
    if (cached === undefined) this.cashNumbers.set(currency, (cached = new NumberOf()));
    return cached.of(amount);
  }

  /** Notes a new gap in what equity values (kept sorted) and tells it once. */
  private addGap(g: string): void {
    if (!insertSorted(this.s.valuationGaps, g)) return;
    const currency = this.s.valuationCurrency;
    const what = g.includes('/')
      ? `the ${g} position (no mark, or no mark connecting its quote to ${currency})`
      : `the ${g} cash balance (no mark connecting ${g} to ${currency})`;
    this.s.notice('valuation_gap', g, `equity leaves out ${what}`);
  }
}
