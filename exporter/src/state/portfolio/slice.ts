/**
 * The portfolio slice: positions, the cash ledger, round trips, equity over time, and what
 * the valuation-currency figures leave out. Its handlers are fills.ts (a fill's position
 * and cash side), ledger.ts (balances) and the position resync of an engine snapshot
 * (engine-snapshot.ts); it reads the market (marks, rates) through a MarketView.
 */
import type { Change, PositionRecord } from '../changes';
import type { Decimal } from '../common/decimal';
import type { Rates } from '../market/rates';
import type { MarketView } from '../market/slice';
import { positionChange, positionKey, positionRecord } from '../records';
import { LabeledCounter } from '../common/counters';
import { EquityTracker, type EquityOptions } from './analytics';
import { EquityValuation } from './equity-valuation';
import { Position } from './positions';
import { emptyRoundTripBook, type RoundTripBook } from './round-trips';

/** Something the accounting could not value; given once per engine and key (for a log line). */
export interface AccountingNotice {
  engine: string;
  kind: 'fee_unvalued' | 'pnl_unvalued' | 'valuation_gap';
  /** The currency or symbol concerned. */
  subject: string;
  message: string;
}

/** Tells a notice (the engine adds its name). */
export type Notify = (kind: AccountingNotice['kind'], subject: string, message: string) => void;

export class PortfolioSlice {
  readonly positions = new Map<string, Position>();
  /** Cash ledger by currency (ledger.ts: set by `balance`, moved by later fills). */
  readonly cash = new Map<string, Decimal>();
  /** Reported balance − ledger, per currency, when the last `balance` event arrived. */
  readonly cashGap = new Map<string, number>();
  /**
   * For a currency that is also the base of a traded symbol (BTC with BTC/USD): the position
   * quantities its latest reported balance already held (docs/metrics.md, "Equity").
   */
  readonly cashInPositions = new Map<string, Decimal>();
  lastBalanceTs = -Infinity;

  readonly trips: RoundTripBook = emptyRoundTripBook();
  readonly roundTripOutcomes = new LabeledCounter(); // strategy, outcome

  /**
   * PnL left out of the valuation-currency figures because no mark connected its currency
   * to the valuation currency when it was booked: signed amount per currency (fees negative).
   */
  readonly unvalued = new Map<string, number>();
  /** Currencies (cash) and symbols (positions) that equity leaves out right now, sorted. */
  valuationGaps: string[] = [];
  /** Notices already given, by kind and subject (each is given once). */
  readonly noticesGiven = new Set<string>();

  readonly equity: EquityTracker;

  // Private (#) fields are wiring or derived, not state: a snapshot of own fields skips them.
  readonly #market: MarketView;
  readonly #notify: Notify;
  /** The incremental valuation of equity (derived: a snapshot does not carry it). */
  readonly #valuation: EquityValuation;
  /** Derived: each symbol's position key (records.ts positionKey), for the engine it was made for. */
  readonly #positionKeys = new Map<string, { engine: string; key: string }>();

  constructor(
    /** From configuration (kept from the running process on restore). */
    readonly valuationCurrency: string,
    equityOptions: EquityOptions,
    market: MarketView,
    notify: Notify,
  ) {
    this.equity = new EquityTracker(equityOptions);
    this.#market = market;
    this.#notify = notify;
    this.#valuation = new EquityValuation(this, market);
  }

  /** Losing round trips in a row, engine wide (a win resets it; a break-even leaves it). */
  get consecutiveLosses(): number {
    return this.trips.engine.consecutiveLosses;
  }

  /** True while some PnL or equity figure leaves an amount out (see `unvalued`, `valuationGaps`). */
  get pnlIncomplete(): boolean {
    return this.unvalued.size > 0 || this.valuationGaps.length > 0;
  }

  /** The position in a symbol, opened flat on first use. */
  positionOf(symbol: string): Position {
    let position = this.positions.get(symbol);
    if (!position) {
      position = new Position(symbol);
      this.#valuation.onNewPosition(symbol);
      this.positions.set(symbol, position);
    }
    return position;
  }

  /** Equity after an event that moved `touched` (or anything); see equity-valuation.ts. */
  revalue(touched?: string): number | null {
    return this.#valuation.valueNow(touched);
  }

  /** Conversions through the marks (the market's). */
  get rates(): Rates {
    return this.#market.rates;
  }

  toValuation(amount: number, currency: string): number | undefined {
    return this.#market.rates.convert(amount, currency, this.valuationCurrency);
  }

  /** Equity = cash + marked positions, in the valuation currency; null while nothing can be valued. */
  equityNow(): number | null {
    return this.#valuation.equityNow();
  }

  /** Signed notional of an open position at its mark, in the valuation currency; undefined without a mark or rate. */
  positionValue(symbol: string): number | undefined {
    return this.#valuation.positionValue(symbol);
  }

  /** Unrealized PnL of an open position at its mark, in the valuation currency at today's rate. */
  unrealizedValue(symbol: string): number | undefined {
    return this.#valuation.unrealizedValue(symbol);
  }

  /** Books an amount the valuation-currency figures leave out, and tells it once. */
  leaveOut(kind: AccountingNotice['kind'], currency: string, amount: number, message: string): void {
    this.unvalued.set(currency, (this.unvalued.get(currency) ?? 0) + amount);
    this.notice(kind, currency, message);
  }

  /** Tells a notice once per kind and subject. */
  notice(kind: AccountingNotice['kind'], subject: string, message: string): void {
    const key = `${kind}\u0000${subject}`;
    if (this.noticesGiven.has(key)) return;
    this.noticesGiven.add(key);
    this.#notify(kind, subject, message);
  }

  /** The record of a position (the symbol must have one). */
  positionRecord(engine: string, symbol: string, ts: number): PositionRecord {
    const p = this.positions.get(symbol);
    if (!p) throw new Error(`no position in ${symbol}`);
    return positionRecord(engine, p, this.#market.marks.get(symbol), ts);
  }

  /** A position's upsert, or its removal once flat. */
  positionChange(engine: string, symbol: string, ts: number): Change {
    // Earned by a measure: the key made once per symbol, so each change carries a flat string
    // whose hash is kept (a concatenation per fill was flattened and hashed again by each map
    // it was looked up in): 0.43-0.49 of the CPU before, for a change and a lookup of its key.
    let known = this.#positionKeys.get(symbol);
    if (known === undefined || known.engine !== engine)
      this.#positionKeys.set(symbol, (known = { engine, key: positionKey(engine, symbol) }));
    const p = this.positions.get(symbol);
    return positionChange(engine, symbol, p, this.#market.marks.get(symbol), ts, known.key);
  }
}
