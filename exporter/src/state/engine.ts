/**
 * The live state of one trading engine: its name and its area slices (slices.ts). Pure
 * domain: no transport, no metrics library. Applying a validated event never throws;
 * dispatch.ts says which slices each event type touches. See docs/architecture.md.
 */
import type { TradingEvent } from '../events/schema';
import type { Change, PositionRecord, StatusRecord } from './changes';
import { dispatch } from './dispatch';
import { ExecutionSlice } from './execution/slice';
import { HealthSlice } from './health/slice';
import { MarketSlice } from './market/slice';
import type { EquityOptions } from './portfolio/analytics';
import { PortfolioSlice, type AccountingNotice } from './portfolio/slice';
import { RiskSlice } from './risk/slice';
import { statusRecord } from './records';
import { statusOf, type EngineSlices } from './slices';
import { StrategySlice } from './strategy/slice';

export type { AccountingNotice } from './portfolio/slice';
export type NoticeListener = (notice: AccountingNotice) => void;

export class EngineState implements EngineSlices {
  readonly execution = new ExecutionSlice();
  readonly market = new MarketSlice();
  readonly portfolio: PortfolioSlice;
  readonly risk = new RiskSlice();
  readonly strategy = new StrategySlice();
  readonly health = new HealthSlice();

  constructor(
    readonly engine: string,
    /** From configuration (kept from the running process on restore). */
    readonly valuationCurrency: string,
    equityOptions: EquityOptions,
    onNotice: NoticeListener = () => undefined,
  ) {
    // The engine's name is read at each notice (a restored snapshot sets it after construction).
    this.portfolio = new PortfolioSlice(
      valuationCurrency,
      equityOptions,
      this.market,
      (kind, subject, message) => onNotice({ engine: this.engine, kind, subject, message }),
    );
  }

  /** `receivedAt`: wall-clock receipt of the event, epoch ms (the journal's, on replay). */
  apply(event: TradingEvent, changes: Change[], receivedAt = Date.now()): void {
    dispatch(this, event, changes, receivedAt);
  }

  positionRecord(symbol: string, ts: number): PositionRecord {
    return this.portfolio.positionRecord(this.engine, symbol, ts);
  }

  statusRecord(): StatusRecord {
    return statusRecord(statusOf(this));
  }
}
