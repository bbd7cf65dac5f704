/**
 * The live state of one trading engine, and how each event type changes it.
 * Pure domain: no transport, no metrics library. Applying a validated event never throws.
 */
import Decimal from 'decimal.js';
import type {
  AlertEvent,
  BalanceEvent,
  FillEvent,
  HealthEvent,
  MarkEvent,
  OrderEvent,
  RiskEvent,
  SignalEvent,
  SnapshotEvent,
  StrategyEvent,
  TradingEvent,
} from '../events/schema';
import type { AlertRow, Change, FillRow, PositionRow, RoundTripRow, StatusRow } from './changes';
import { OrderBook, type OrderRow } from './orders';
import { Position, type RoundTripEnd } from './positions';
import { decimalToNumber, figureOf, NumberOf } from './decimal';
import { isoTime } from './iso-time';
import { BoundedSet, LabeledCounter, LabeledDistribution } from './tallies';
import { EquityTracker, type EquityOptions } from './analytics';
import { Rates } from './valuation';
import { emptyRoundTripBook, recordRoundTrip, type RoundTripBook } from './round-trips';
import { outcomeOf } from './statistics';
import { emptyLabelValues, visitLabelValues, type LabelValues } from './label-values';
import { ExecutionQuality } from './execution-quality';

/** Seconds; wide enough for both market orders (ms) and resting limit orders (hours). */
export const FILL_TIME_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];
export const VENUE_LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Fill ids remembered per engine for idempotency. */
const FILL_IDS_REMEMBERED = 1_000_000;
const RECENT_FILLS = 500;
const RECENT_ALERTS = 200;

export const NO_STRATEGY = 'none';

export interface Mark {
  price: number;
  bid?: number;
  ask?: number;
  ts: number;
}

export type { RoundTripRecord as RoundTrip } from './round-trips';

/** Something the accounting could not value; given once per engine and key (for a log line). */
export interface AccountingNotice {
  engine: string;
  kind: 'fee_unvalued' | 'pnl_unvalued' | 'valuation_gap';
  /** The currency or symbol concerned. */
  subject: string;
  message: string;
}

export type NoticeListener = (notice: AccountingNotice) => void;

const ZERO = new Decimal(0);
/** Incremental position revaluations between two full ones. */
const REVALUE_ALL_EVERY = 1024;

export class EngineState {
  readonly orders = new OrderBook();
  readonly positions = new Map<string, Position>();
  readonly marks = new Map<string, Mark>();
  /** Cash ledger by currency (DESIGN.md: set by `balance`, moved by later fills). */
  readonly cash = new Map<string, Decimal>();
  /** Reported balance − ledger, per currency, when the last `balance` event arrived. */
  readonly cashGap = new Map<string, number>();
  /**
   * For a currency that is also the base of a traded symbol (BTC with BTC/USD): the position
   * quantities its latest reported balance already held (docs/metrics.md, "Equity").
   */
  readonly cashInPositions = new Map<string, Decimal>();
  lastBalanceTs = -Infinity;

  readonly fillIds = new BoundedSet(FILL_IDS_REMEMBERED);
  readonly recentFills: FillRow[] = [];
  readonly recentAlerts: AlertRow[] = [];

  // Execution tallies.
  readonly submitted = new LabeledCounter(); // strategy, symbol, side
  readonly closed = new LabeledCounter(); // strategy, symbol, status
  readonly fills = new LabeledCounter(); // strategy, symbol, side
  readonly filledNotional = new LabeledCounter(); // strategy, symbol, side
  readonly feesPaid = new LabeledCounter(); // currency
  readonly fillTime = new LabeledDistribution(FILL_TIME_BUCKETS); // symbol

  // Risk.
  halted = false;
  haltReason: string | undefined;
  haltsTotal = 0;
  readonly riskLimits = new Map<string, { value: number; limit: number }>();

  // Strategy.
  readonly strategies = new Map<string, 'active' | 'inactive' | 'transitioning'>();
  strategyTransitions = 0;
  /** The strategy that ran last (kept through a transitioning phase). */
  lastActiveStrategy: string | null = null;
  readonly signals = new LabeledCounter(); // strategy, decision

  // Health.
  readonly components = new Map<string, 'ok' | 'degraded' | 'down'>();
  readonly venueLatency = new LabeledDistribution(VENUE_LATENCY_BUCKETS); // venue
  readonly venueErrors = new LabeledCounter(); // venue
  readonly engineAlerts = new LabeledCounter(); // severity
  readonly eventsByType = new LabeledCounter(); // type
  lastEventTs: number | null = null;

  /** Every value each bounded label has taken (the caps are checked against these). */
  readonly labelValues: LabelValues = emptyLabelValues();

  // Round trips.
  readonly trips: RoundTripBook = emptyRoundTripBook();
  readonly roundTripOutcomes = new LabeledCounter(); // strategy, outcome

  /** Market-data arrival and execution quality (slippage, limit improvement, fill ratio). */
  readonly execution = new ExecutionQuality();

  // Valuation.
  // Private (#) fields are derived or wiring, not state: a snapshot of own fields skips them.
  /** Conversions through the marks (derived from `marks`, read at each call). */
  readonly #rates = new Rates(() => this.marks);
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
  readonly #onNotice: NoticeListener;

  constructor(
    readonly engine: string,
    readonly valuationCurrency: string,
    equityOptions: EquityOptions,
    onNotice: NoticeListener = () => undefined,
  ) {
    this.equity = new EquityTracker(equityOptions);
    this.#onNotice = onNotice;
  }

  readonly #recordLabelValue = (dimension: keyof LabelValues, value: string) => {
    this.labelValues[dimension].add(value);
  };

  get rates(): Rates {
    return this.#rates;
  }

  /** Losing round trips in a row, engine wide (a win resets it; a break-even leaves it). */
  get consecutiveLosses(): number {
    return this.trips.engine.consecutiveLosses;
  }

  /** True while some PnL or equity figure of this engine leaves an amount out (see `unvalued`, `valuationGaps`). */
  get pnlIncomplete(): boolean {
    return this.unvalued.size > 0 || this.valuationGaps.length > 0;
  }

  /** `receivedAt`: wall-clock receipt of the event, epoch ms (the journal's, on replay). */
  apply(event: TradingEvent, changes: Change[], receivedAt = Date.now()): void {
    visitLabelValues(event, this.#recordLabelValue);
    this.eventsByType.inc({ type: event.type });
    if (this.lastEventTs === null || event.ts > this.lastEventTs) this.lastEventTs = event.ts;
    switch (event.type) {
      case 'order':
        this.applyOrder(event, changes);
        break;
      case 'fill':
        this.applyFill(event, changes);
        break;
      case 'mark':
        this.applyMark(event, changes);
        this.execution.onMark(event.symbol, event.price, event.ts, receivedAt);
        break;
      case 'balance':
        this.applyBalance(event);
        break;
      case 'risk':
        this.applyRisk(event, changes);
        break;
      case 'strategy':
        this.applyStrategy(event, changes);
        break;
      case 'signal':
        this.applySignal(event);
        break;
      case 'health':
        this.applyHealth(event, changes);
        break;
      case 'alert':
        this.applyAlert(event, changes);
        break;
      case 'snapshot':
        this.applySnapshot(event, changes);
        break;
    }
    // Only fills, marks, balances and snapshots move equity; after any other event it stands.
    const moved =
      event.type === 'fill' || event.type === 'mark' || event.type === 'balance' || event.type === 'snapshot';
    const touched = event.type === 'fill' || event.type === 'mark' ? event.symbol : undefined;
    this.equity.observe(event.ts, moved ? this.valueNow(touched) : this.equity.current);
  }

  private applyOrder(e: OrderEvent, changes: Change[]): void {
    const t = this.orders.apply(this.engine, e, e.ts);
    if (!t) return;
    const strategy = t.row.strategy ?? NO_STRATEGY;
    if (t.isNew) this.submitted.inc({ strategy, symbol: t.row.symbol, side: t.row.side });
    this.execution.onOrder(t.row, t.createdMs, t.isNew, t.closedNow);
    if (t.closedNow) {
      this.closed.inc({ strategy, symbol: t.row.symbol, status: t.row.status });
      if (t.row.status === 'filled') {
        const seconds = (e.ts - t.createdMs) / 1000;
        if (seconds >= 0) this.fillTime.observe({ symbol: t.row.symbol }, seconds);
      }
      changes.push({ channel: 'orders', key: t.row.order_id, row: null, final: t.row });
    } else {
      changes.push({ channel: 'orders', key: t.row.order_id, row: t.row });
    }
    if (t.isNew || t.closedNow) changes.push(this.statusChange());
  }

  private applyFill(e: FillEvent, changes: Change[]): void {
    if (this.fillIds.has(e.fill_id)) return;
    this.fillIds.add(e.fill_id);
    const strategy = e.strategy ?? this.orders.find(e.order_id)?.strategy ?? NO_STRATEGY;
    const [base, quote] = splitSymbol(e.symbol);
    const labels = { strategy, symbol: e.symbol, side: e.side };
    this.fills.inc(labels);
    this.execution.onFill(e, this.orders.find(e.order_id));
    // Amounts are booked into the valuation currency at this fill's rate (the accountant's answer).
    const rate = this.rates.decimalRate(quote, this.valuationCurrency) ?? null;
    const price = figureOf(e.price, e.exact?.price);
    const quantity = figureOf(e.quantity, e.exact?.quantity);
    const notional = price.mul(quantity);
    // A rate of exactly one leaves the (at most 20-digit) notional as it is.
    if (rate !== null)
      this.filledNotional.inc(labels, decimalToNumber(rate.eq(1) ? notional : notional.mul(rate)));
    const feeCurrency = e.fee_currency ?? quote;
    if (e.fee > 0) this.feesPaid.inc({ currency: feeCurrency }, e.fee);

    // The fee in the quote currency. A fee in the base asset is worth the fill price and
    // comes out of the base quantity (the venue delivers quantity − fee on a buy, takes
    // quantity + fee on a sell); a fee in another currency goes through the marks.
    const fee = figureOf(e.fee, e.exact?.fee);
    // What the position sees: the fill's side and quantity, unless a fee in the base asset
    // changed the quantity delivered (then the side and size of quantity ± fee).
    let positionSide = e.side;
    let positionQuantity = quantity;
    let feeInQuote = ZERO;
    if (feeCurrency === quote) {
      feeInQuote = fee;
    } else if (feeCurrency === base) {
      feeInQuote = fee.mul(price);
      const baseDelta = (e.side === 'buy' ? quantity : quantity.neg()).sub(fee);
      positionSide = baseDelta.isPositive() ? 'buy' : 'sell';
      positionQuantity = baseDelta.abs();
    } else if (!fee.isZero()) {
      const feeRate = this.rates.decimalRate(feeCurrency, quote);
      if (feeRate !== undefined) feeInQuote = fee.mul(feeRate);
      else
        this.leaveOut(
          'fee_unvalued',
          feeCurrency,
          fee.neg().toNumber(),
          `a fee of ${e.fee} ${feeCurrency} (fill ${e.fill_id}) has no mark connecting ${feeCurrency} to ${quote}; realized PnL leaves it out`,
        );
    }

    const position = this.positionOf(e.symbol);
    const outcome = positionQuantity.isZero()
      ? position.chargeFee(feeInQuote, rate)
      : position.applyFill(positionSide, positionQuantity, price, feeInQuote, rate, e.ts);
    if (rate === null && !outcome.realized.isZero()) {
      this.leaveOut(
        'pnl_unvalued',
        quote,
        outcome.realized.toNumber(),
        `no mark connects ${quote} to ${this.valuationCurrency} at fill ${e.fill_id} of ${e.symbol}; realized PnL in the valuation currency leaves ${outcome.realized.toString()} ${quote} out`,
      );
    }
    let tripRow: RoundTripRow | undefined;
    if (outcome.roundTrip) {
      const value = outcome.roundTrip.value;
      const pnl = value === null ? 0 : decimalToNumber(value);
      const result = outcomeOf(value === null ? decimalToNumber(outcome.roundTrip.pnl) : pnl);
      recordRoundTrip(
        this.trips,
        { ts: e.ts, symbol: e.symbol, strategy, pnl, outcome: result },
        this.lastEventTs ?? e.ts,
        this.equity.options.retainMs,
      );
      this.roundTripOutcomes.inc({ strategy, outcome: result });
      tripRow = roundTripRow(this.engine, e, strategy, outcome.roundTrip, result);
    }

    // The ledger: a fill after the last reported balance moves cash.
    if (e.ts > this.lastBalanceTs) {
      this.moveCash(quote, e.side === 'buy' ? notional.neg() : notional);
      if (feeCurrency !== base && !fee.isZero()) this.moveCash(feeCurrency, fee.neg());
    }

    const row: FillRow = {
      engine: this.engine,
      fill_id: e.fill_id,
      order_id: e.order_id,
      symbol: e.symbol,
      side: e.side,
      price: e.price,
      quantity: e.quantity,
      fee: e.fee,
      ts: isoTime(e.ts),
      realized_pnl: outcome.realizedValue === null ? 0 : decimalToNumber(outcome.realizedValue),
    };
    if (e.fee_currency) row.fee_currency = e.fee_currency;
    if (e.liquidity) row.liquidity = e.liquidity;
    if (strategy !== NO_STRATEGY) row.strategy = strategy;
    this.recentFills.push(row);
    if (this.recentFills.length > RECENT_FILLS) this.recentFills.shift();
    changes.push(
      tripRow
        ? { channel: 'fills', key: e.fill_id, row, roundTrip: tripRow }
        : { channel: 'fills', key: e.fill_id, row },
    );
    changes.push(this.positionChange(e.symbol, e.ts));
  }

  private applyMark(e: MarkEvent, changes: Change[]): void {
    const mark: Mark = { price: e.price, ts: e.ts };
    if (e.bid !== undefined) mark.bid = e.bid;
    if (e.ask !== undefined) mark.ask = e.ask;
    this.marks.set(e.symbol, mark);
    const position = this.positions.get(e.symbol);
    if (position && !position.isFlat) changes.push(this.positionChange(e.symbol, e.ts));
  }

  private applyBalance(e: BalanceEvent): void {
    // A fill at or before this balance's ts is taken as already in it.
    for (const [currency, amount] of Object.entries(e.balances)) {
      const ledger = this.cash.get(currency);
      const exact = figureOf(amount, e.exact?.[`balances.${currency}`]);
      if (ledger !== undefined) this.cashGap.set(currency, amount - ledger.toNumber());
      this.cash.set(currency, exact);
      this.cashInPositions.set(currency, this.baseQuantity(currency));
    }
    if (e.ts > this.lastBalanceTs) this.lastBalanceTs = e.ts;
  }

  private applyRisk(e: RiskEvent, changes: Change[]): void {
    if (e.halted !== undefined) {
      if (e.halted && !this.halted) this.haltsTotal += 1;
      this.halted = e.halted;
      this.haltReason = e.halted ? e.halt_reason : undefined;
    }
    if (e.limits) for (const [name, v] of Object.entries(e.limits)) this.riskLimits.set(name, v);
    changes.push(this.statusChange());
  }

  private applyStrategy(e: StrategyEvent, changes: Change[]): void {
    if (e.state === 'active') {
      // One strategy runs at a time per engine: activating one retires the others.
      for (const name of this.strategies.keys())
        if (name !== e.strategy) this.strategies.set(name, 'inactive');
    }
    if (e.from_strategy && e.from_strategy !== e.strategy) this.strategies.set(e.from_strategy, 'inactive');
    this.strategies.set(e.strategy, e.state);
    if (e.state === 'active') {
      if (this.lastActiveStrategy !== null && this.lastActiveStrategy !== e.strategy)
        this.strategyTransitions += 1;
      this.lastActiveStrategy = e.strategy;
    }
    changes.push(this.statusChange());
  }

  private applySignal(e: SignalEvent): void {
    this.signals.inc({ strategy: e.strategy ?? this.activeStrategy() ?? NO_STRATEGY, decision: e.decision });
  }

  private applyHealth(e: HealthEvent, changes: Change[]): void {
    const venue = e.venue ?? e.component;
    if (e.latency_seconds !== undefined) this.venueLatency.observe({ venue }, e.latency_seconds);
    if (e.error !== undefined || e.status === 'down') this.venueErrors.inc({ venue });
    if (e.status !== undefined) {
      const before = this.components.get(e.component);
      this.components.set(e.component, e.status);
      if (before !== e.status) changes.push(this.statusChange());
    }
  }

  private applyAlert(e: AlertEvent, changes: Change[]): void {
    this.engineAlerts.inc({ severity: e.severity });
    const row: AlertRow = {
      engine: this.engine,
      key: e.id ?? `${e.name}@${e.ts}`,
      name: e.name,
      severity: e.severity,
      message: e.message,
      ts: isoTime(e.ts),
    };
    if (e.labels) row.labels = e.labels;
    this.recentAlerts.push(row);
    if (this.recentAlerts.length > RECENT_ALERTS) this.recentAlerts.shift();
    changes.push({ channel: 'alerts', key: row.key, row });
  }

  private applySnapshot(e: SnapshotEvent, changes: Change[]): void {
    const seen = new Set<string>();
    for (const o of e.orders) {
      seen.add(o.order_id);
      this.applyOrder({ ...o, type: 'order', ts: e.ts, engine: this.engine }, changes);
    }
    for (const [id, row] of [...this.orders.active]) {
      if (seen.has(id)) continue;
      // Absent from the engine's own view: it left the active set, whatever happened to it.
      this.orders.active.delete(id);
      const final: OrderRow = {
        ...row,
        reason: 'absent from engine snapshot',
        updated_at: isoTime(e.ts),
      };
      this.orders.recentlyClosed.set(id, final);
      changes.push({ channel: 'orders', key: id, row: null, final });
    }
    if (e.positions) {
      const listed = new Set(e.positions.map((p) => p.symbol));
      for (const [symbol, position] of this.positions) if (!listed.has(symbol)) position.reset(0, 0);
      for (const [i, p] of e.positions.entries()) {
        const exact = (field: string) => e.exact?.[`positions.${i}.${field}`];
        this.positionOf(p.symbol).reset(
          exact('quantity') ?? p.quantity,
          exact('avg_price') ?? p.avg_price,
          e.ts,
        );
      }
      for (const symbol of this.positions.keys()) changes.push(this.positionChange(symbol, e.ts));
    }
    if (e.balances) {
      this.cash.clear();
      this.cashInPositions.clear();
      for (const [currency, amount] of Object.entries(e.balances)) {
        this.cash.set(currency, figureOf(amount, e.exact?.[`balances.${currency}`]));
        this.cashInPositions.set(currency, this.baseQuantity(currency));
      }
      this.lastBalanceTs = e.ts;
    }
    changes.push(this.statusChange());
  }

  // ---- valuation -------------------------------------------------------------------

  /** Converts an amount between currencies through the marks (the shortest chain of marks). */
  convert(amount: number, from: string, to: string): number | undefined {
    return this.rates.convert(amount, from, to);
  }

  toValuation(amount: number, currency: string): number | undefined {
    return this.rates.convert(amount, currency, this.valuationCurrency);
  }

  /** The position in a symbol, opened flat on first use. */
  private positionOf(symbol: string): Position {
    let position = this.positions.get(symbol);
    if (!position) {
      position = new Position(symbol);
      // Keeps the base currencies current one symbol at a time (a rebuild per new symbol was quadratic).
      const bases = this.#baseCurrencies;
      if (bases.size === this.positions.size) {
        bases.set.add(splitSymbol(symbol)[0]);
        bases.size += 1;
      }
      this.positions.set(symbol, position);
    }
    return position;
  }

  /** The quantity of `currency` the open positions hold (summed over symbols with it as base). */
  private baseQuantity(currency: string): Decimal {
    let sum = new Decimal(0);
    for (const [symbol, p] of this.positions)
      if (splitSymbol(symbol)[0] === currency) sum = sum.add(p.quantity);
    return sum;
  }

  /** Currencies held as positions (the base of a traded symbol) are valued as positions, not cash. */
  private isPositionCurrency(currency: string): boolean {
    // Derived from the positions' symbols, rebuilt when a symbol is added (never deleted).
    if (this.#baseCurrencies.size !== this.positions.size) {
      this.#baseCurrencies = {
        size: this.positions.size,
        set: new Set([...this.positions.keys()].map((s) => splitSymbol(s)[0])),
      };
    }
    return this.#baseCurrencies.set.has(currency);
  }
  #baseCurrencies = { size: -1, set: new Set<string>() };

  /** Equity = cash + marked positions, in the valuation currency; null while nothing can be valued. */
  equityNow(): number | null {
    // A fresh full valuation that leaves the incremental cache (and its cadence) untouched.
    const positions = this.valueAllPositions();
    const cash = this.valueCash();
    return positions.values.size > 0 || cash.known ? positions.total + cash.total : null;
  }

  /** Signed notional of an open position at its mark, in the valuation currency; undefined without a mark or rate. */
  positionValue(symbol: string): number | undefined {
    const p = this.positions.get(symbol);
    const mark = this.marks.get(symbol);
    if (!p || p.isFlat || !mark) return undefined;
    return this.toValuation(p.quantityNumber * mark.price, quoteOf(symbol));
  }

  /** Unrealized PnL of an open position at its mark, in the valuation currency at today's rate. */
  unrealizedValue(symbol: string): number | undefined {
    const p = this.positions.get(symbol);
    const mark = this.marks.get(symbol);
    if (!p || p.isFlat || !mark) return undefined;
    return this.toValuation(decimalToNumber(p.unrealizedAt(mark.price)), quoteOf(symbol));
  }

  /**
   * Equity = cash + marked positions. Positions are valued incrementally: a fill or a mark
   * of one symbol revalues that symbol only, unless its mark is on a conversion chain (it
   * then moves other rates) or a new symbol changed the graph of marks. Every
   * REVALUE_ALL_EVERY updates the sum is rebuilt, so rounding never drifts; the cadence
   * counts events, so a replay revalues exactly where the live run did.
   */

  /** Every open position's value in the valuation currency; those that cannot be valued are gaps. */
  private valueAllPositions(): { total: number; values: Map<string, number>; gaps: Set<string> } {
    const values = new Map<string, number>();
    const gaps = new Set<string>();
    let total = 0;
    for (const [symbol, p] of this.positions) {
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
    for (const [currency, amount] of this.cash) {
      let v: number | undefined;
      if (this.isPositionCurrency(currency)) {
        // Its positions are valued as positions: the cash counted is what the ledger holds
        // besides them (a reported balance less the positions it held; another symbol's quote
        // legs and fees since, such as the BTC of ETH/BTC fills).
        const besides = amount.sub(this.cashInPositions.get(currency) ?? 0);
        if (besides.isZero()) continue;
        v = this.toValuation(decimalToNumber(besides), currency);
      } else v = this.toValuation(this.cashNumber(currency, amount), currency);
      if (v === undefined) {
        if (!amount.isZero()) gaps.push(currency);
        continue;
      }
      total += v;
      known = true;
    }
    return { total, known, gaps };
  }

  private valuation(touched?: string): {
    equity: number | null;
    /** How the position gaps moved: one symbol in or out, all rebuilt, or not at all. */
    positionGaps: { symbol: string; isGap: boolean } | 'rebuilt' | null;
    cashGaps: string[];
  } {
    const pv = this.#positionValues;
    let positionGaps: { symbol: string; isGap: boolean } | 'rebuilt' | null;
    const local =
      touched !== undefined &&
      pv.ready &&
      pv.graphSize === this.rates.graphSize &&
      !this.rates.usesSymbol(touched) &&
      pv.updates < REVALUE_ALL_EVERY;
    if (local) {
      pv.updates += 1;
      const before = pv.values.get(touched);
      if (before !== undefined) pv.total -= before;
      pv.values.delete(touched);
      const wasGap = pv.gaps.delete(touched);
      const p = this.positions.get(touched);
      let isGap = false;
      if (p && !p.isFlat) {
        const v = this.positionValue(touched);
        if (v === undefined) isGap = true;
        else {
          pv.values.set(touched, v);
          pv.total += v;
        }
      }
      if (isGap) pv.gaps.add(touched);
      positionGaps = wasGap !== isGap ? { symbol: touched, isGap } : null;
    } else {
      const gapsBefore = pv.gaps;
      Object.assign(pv, this.valueAllPositions(), { updates: 0, ready: true });
      pv.graphSize = this.rates.graphSize;
      const changed = gapsBefore.size !== pv.gaps.size || [...pv.gaps].some((g) => !gapsBefore.has(g));
      positionGaps = changed ? 'rebuilt' : null;
    }

    const cash = this.valueCash();
    const known = pv.values.size > 0 || cash.known;
    return { equity: known ? pv.total + cash.total : null, positionGaps, cashGaps: cash.gaps };
  }
  /** Derived cache of position values (private: a snapshot does not carry it; it rebuilds). */
  #positionValues = {
    ready: false,
    graphSize: -1,
    updates: 0,
    total: 0,
    values: new Map<string, number>(),
    gaps: new Set<string>(),
  };
  #lastCashGaps: string[] = [];

  /** Equity after an event, noting what it had to leave out. */
  private valueNow(touched?: string): number | null {
    const wasReady = this.#positionValues.ready;
    const { equity, positionGaps, cashGaps } = this.valuation(touched);
    const last = this.#lastCashGaps;
    const cashGapsChanged = cashGaps.length !== last.length || cashGaps.some((g, i) => g !== last[i]);
    if (positionGaps === null && !cashGapsChanged && wasReady) return equity;
    // One symbol in or out is a sorted insert or removal; a full rebuild happens only on the
    // (rare, event-counted) full revaluation, so thousands of unmarked symbols stay linear.
    if (positionGaps !== null && positionGaps !== 'rebuilt' && !cashGapsChanged) {
      if (positionGaps.isGap) this.addGap(positionGaps.symbol);
      else removeSorted(this.valuationGaps, positionGaps.symbol);
      return equity;
    }
    this.#lastCashGaps = cashGaps;
    const gaps = [...cashGaps, ...this.#positionValues.gaps].sort();
    const before = new Set(this.valuationGaps);
    this.valuationGaps = [];
    for (const g of gaps) {
      if (before.has(g)) this.valuationGaps.push(g);
      else this.addGap(g);
    }
    return equity;
  }

  /** Notes a new gap in what equity values (kept sorted) and tells it once. */
  private addGap(g: string): void {
    if (!insertSorted(this.valuationGaps, g)) return;
    const what = g.includes('/')
      ? `the ${g} position (no mark, or no mark connecting its quote to ${this.valuationCurrency})`
      : `the ${g} cash balance (no mark connecting ${g} to ${this.valuationCurrency})`;
    this.notice('valuation_gap', g, `equity leaves out ${what}`);
  }

  private leaveOut(kind: AccountingNotice['kind'], currency: string, amount: number, message: string): void {
    this.unvalued.set(currency, (this.unvalued.get(currency) ?? 0) + amount);
    this.notice(kind, currency, message);
  }

  private notice(kind: AccountingNotice['kind'], subject: string, message: string): void {
    const key = `${kind}\u0000${subject}`;
    if (this.noticesGiven.has(key)) return;
    this.noticesGiven.add(key);
    this.#onNotice({ engine: this.engine, kind, subject, message });
  }

  activeStrategy(): string | null {
    for (const [name, state] of this.strategies) if (state === 'active') return name;
    return null;
  }

  /** A cash balance as a number, for valuation after every event (remembered until it moves). */
  private cashNumber(currency: string, amount: Decimal): number {
    let cached = this.#cashNumbers.get(currency);
    if (cached === undefined) this.#cashNumbers.set(currency, (cached = new NumberOf()));
    return cached.of(amount);
  }
  readonly #cashNumbers = new Map<string, NumberOf>();

  private moveCash(currency: string, delta: Decimal): void {
    this.cash.set(currency, (this.cash.get(currency) ?? new Decimal(0)).add(delta));
  }

  positionRow(symbol: string, ts: number): PositionRow {
    const p = this.positions.get(symbol) as Position;
    const mark = this.marks.get(symbol);
    const qty = p.quantityNumber;
    return {
      engine: this.engine,
      symbol,
      quantity: qty,
      avg_price: p.avgPriceNumber,
      mark_price: mark?.price ?? null,
      notional: mark ? qty * mark.price : null,
      unrealized_pnl: mark ? decimalToNumber(p.unrealizedAt(mark.price)) : null,
      realized_pnl: p.realizedNumber,
      fees: p.feesNumber,
      updated_at: isoTime(ts),
    };
  }

  private positionChange(symbol: string, ts: number): Change {
    const p = this.positions.get(symbol);
    if (!p || p.isFlat) {
      return {
        channel: 'positions',
        key: `${this.engine}:${symbol}`,
        row: null,
        final: p ? this.positionRow(symbol, ts) : undefined,
      };
    }
    return { channel: 'positions', key: `${this.engine}:${symbol}`, row: this.positionRow(symbol, ts) };
  }

  statusRow(): StatusRow {
    const row: StatusRow = {
      engine: this.engine,
      last_event_at: this.lastEventTs === null ? null : isoTime(this.lastEventTs),
      halted: this.halted,
      active_strategy: this.activeStrategy(),
      components: Object.fromEntries(this.components),
      active_orders: this.orders.active.size,
    };
    if (this.haltReason) row.halt_reason = this.haltReason;
    return row;
  }

  private statusChange(): Change {
    return { channel: 'status', key: this.engine, row: this.statusRow() };
  }
}

const QUOTES = new Map<string, string>();
/** The quote currency of a symbol (memoized: valuation asks for it on every fill and mark). */
function quoteOf(symbol: string): string {
  let quote = QUOTES.get(symbol);
  if (quote === undefined) {
    quote = splitSymbol(symbol)[1];
    if (QUOTES.size < 100_000) QUOTES.set(symbol, quote);
  }
  return quote;
}

/** The row of a round trip that `e` ended. */
function roundTripRow(
  engine: string,
  e: FillEvent,
  strategy: string,
  trip: RoundTripEnd,
  outcome: RoundTripRow['outcome'],
): RoundTripRow {
  return {
    engine,
    symbol: e.symbol,
    strategy,
    direction: trip.direction,
    opened_at: isoTime(trip.openedAt === 0 ? e.ts : trip.openedAt),
    closed_at: isoTime(e.ts),
    quantity: decimalToNumber(trip.quantity),
    entry_price: decimalToNumber(trip.entryPrice),
    exit_price: decimalToNumber(trip.exitPrice),
    pnl: trip.value === null ? null : decimalToNumber(trip.value),
    fees: trip.feesValue === null ? null : decimalToNumber(trip.feesValue),
    pnl_quote: decimalToNumber(trip.pnl),
    fees_quote: decimalToNumber(trip.fees),
    outcome,
    close_fill_id: e.fill_id,
  };
}

/** Inserts into a sorted array unless present; false when it was there. */
function insertSorted(sorted: string[], value: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  if (sorted[lo] === value) return false;
  sorted.splice(lo, 0, value);
  return true;
}

function removeSorted(sorted: string[], value: string): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  if (sorted[lo] === value) sorted.splice(lo, 1);
}

export function splitSymbol(symbol: string): [string, string] {
  const slash = symbol.indexOf('/');
  return [symbol.slice(0, slash), symbol.slice(slash + 1)];
}
