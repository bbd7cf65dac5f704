/**
 * The live state of one trading engine. Pure domain: no transport, no metrics library.
 * Applying a validated event never throws.
 *
 * This class holds the state (its own fields are what a durable snapshot carries) and
 * dispatches each event to the module that handles it: order-events.ts (orders, engine
 * snapshots), fills.ts (fills: positions, round trips), ledger.ts (cash),
 * control-events.ts (risk, strategy, signals, health, alerts), equity-valuation.ts
 * (equity), rows.ts (rows for the feed). See docs/architecture.md.
 */
import type { Decimal } from './common/decimal';
import type { MarkEvent, TradingEvent } from '../events/schema';
import type { AlertRow, Change, FillRow, PositionRow, StatusRow } from './changes';
import { applyAlert, applyHealth, applyRisk, applySignal, applyStrategy } from './control-events';
import { EquityValuation } from './portfolio/equity-valuation';
import { applyFill } from './portfolio/fills';
import { applyBalance } from './portfolio/ledger';
import { applyOrder, applySnapshot } from './execution/order-events';
import { OrderBook } from './execution/orders';
import { Position } from './portfolio/positions';
import { positionChange, positionRow, statusRow } from './rows';
import { BoundedSet } from './common/bounded';
import { LabeledCounter, LabeledDistribution } from './common/counters';
import { EquityTracker, type EquityOptions } from './portfolio/analytics';
import { Rates } from './market/rates';
import { emptyRoundTripBook, type RoundTripBook } from './portfolio/round-trips';
import { emptyLabelValues, visitLabelValues, type LabelValues } from './common/label-values';
import { ExecutionQuality } from './execution/quality';

/** Seconds; wide enough for both market orders (ms) and resting limit orders (hours). */
export const FILL_TIME_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];
export const VENUE_LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Fill ids remembered per engine for idempotency. */
const FILL_IDS_REMEMBERED = 1_000_000;

export interface Mark {
  price: number;
  bid?: number;
  ask?: number;
  ts: number;
}

/** Something the accounting could not value; given once per engine and key (for a log line). */
export interface AccountingNotice {
  engine: string;
  kind: 'fee_unvalued' | 'pnl_unvalued' | 'valuation_gap';
  /** The currency or symbol concerned. */
  subject: string;
  message: string;
}

export type NoticeListener = (notice: AccountingNotice) => void;

export class EngineState {
  readonly orders = new OrderBook();
  readonly positions = new Map<string, Position>();
  readonly marks = new Map<string, Mark>();
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
  /** The incremental valuation of equity (derived: a snapshot does not carry it). */
  readonly #valuation = new EquityValuation(this);

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
        applyOrder(this, event, changes);
        break;
      case 'fill':
        if (!this.fillIds.has(event.fill_id)) applyFill(this, event, changes);
        break;
      case 'mark':
        this.applyMark(event, changes);
        this.execution.onMark(event.symbol, event.price, event.ts, receivedAt);
        break;
      case 'balance':
        applyBalance(this, event);
        break;
      case 'risk':
        applyRisk(this, event, changes);
        break;
      case 'strategy':
        applyStrategy(this, event, changes);
        break;
      case 'signal':
        applySignal(this, event);
        break;
      case 'health':
        applyHealth(this, event, changes);
        break;
      case 'alert':
        applyAlert(this, event, changes);
        break;
      case 'snapshot':
        applySnapshot(this, event, changes);
        break;
    }
    // Only fills, marks, balances and snapshots move equity; after any other event it stands.
    const moved =
      event.type === 'fill' || event.type === 'mark' || event.type === 'balance' || event.type === 'snapshot';
    const touched = event.type === 'fill' || event.type === 'mark' ? event.symbol : undefined;
    this.equity.observe(event.ts, moved ? this.#valuation.valueNow(touched) : this.equity.current);
  }

  private applyMark(e: MarkEvent, changes: Change[]): void {
    const mark: Mark = { price: e.price, ts: e.ts };
    if (e.bid !== undefined) mark.bid = e.bid;
    if (e.ask !== undefined) mark.ask = e.ask;
    this.marks.set(e.symbol, mark);
    const position = this.positions.get(e.symbol);
    if (position && !position.isFlat) changes.push(positionChange(this, e.symbol, e.ts));
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

  // ---- valuation (equity-valuation.ts) ---------------------------------------------------

  toValuation(amount: number, currency: string): number | undefined {
    return this.rates.convert(amount, currency, this.valuationCurrency);
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

  // ---- notices ---------------------------------------------------------------------------

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
    this.#onNotice({ engine: this.engine, kind, subject, message });
  }

  // ---- reading ---------------------------------------------------------------------------

  activeStrategy(): string | null {
    for (const [name, state] of this.strategies) if (state === 'active') return name;
    return null;
  }

  positionRow(symbol: string, ts: number): PositionRow {
    return positionRow(this, symbol, ts);
  }

  statusRow(): StatusRow {
    return statusRow(this);
  }
}
