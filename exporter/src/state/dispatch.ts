/**
 * Which slices each event type touches, and how: the one table an event type is added to
 * (docs/architecture.md, "Inside state/"). Every event is first recorded by the health
 * slice (events by type, latest event time, label values); after it, equity is observed,
 * revalued when the event touched the portfolio.
 */
import type { TradingEvent } from '../events/schema';
import type { Change } from './changes';
import { keepRecentFill, recordFill } from './execution/fills';
import { applyOrder, resyncOrders } from './execution/order-events';
import { fillFigures } from './fill-figures';
import { resyncPortfolio } from './portfolio/engine-snapshot';
import { applyFillToPortfolio } from './portfolio/fills';
import { applyBalance } from './portfolio/ledger';
import { alertRecord, fillRecord, statusChange } from './records';
import { statusOf, type EngineSlices, type SliceName } from './slices';

type EventType = TradingEvent['type'];
type EventOf<T extends EventType> = Extract<TradingEvent, { type: T }>;

interface Route<T extends EventType> {
  /** The slices the event changes (a slice only read is not listed). */
  slices: readonly SliceName[];
  /** `receivedAt`: wall-clock receipt of the event, epoch ms (the journal's, on replay). */
  apply(s: EngineSlices, e: EventOf<T>, changes: Change[], receivedAt: number): void;
}

const status = (s: EngineSlices) => () => statusChange(statusOf(s));

export const ROUTES: { readonly [T in EventType]: Route<T> } = {
  order: {
    slices: ['execution'],
    apply: (s, e, changes) => applyOrder(s.execution, s.market, s.engine, e, changes, status(s)),
  },
  fill: {
    slices: ['execution', 'portfolio'],
    apply(s, e, changes) {
      if (s.execution.fillIds.has(e.fill_id)) return;
      const figures = fillFigures(e, s.market.rates, s.portfolio.valuationCurrency);
      const strategy = recordFill(s.execution, s.market, e, figures);
      const now = s.health.lastEventTs ?? e.ts;
      const booked = applyFillToPortfolio(s.portfolio, s.engine, e, figures, strategy, now);
      const row = fillRecord(s.engine, e, strategy, booked.realizedValue);
      keepRecentFill(s.execution, row);
      changes.push(
        booked.roundTrip
          ? { channel: 'fills', key: e.fill_id, row, roundTrip: booked.roundTrip }
          : { channel: 'fills', key: e.fill_id, row },
      );
      changes.push(s.portfolio.positionChange(s.engine, e.symbol, e.ts));
    },
  },
  mark: {
    // The portfolio: an open position in the symbol is revalued (its row changes).
    slices: ['market', 'portfolio'],
    apply(s, e, changes, receivedAt) {
      s.market.onMark(e, receivedAt);
      const position = s.portfolio.positions.get(e.symbol);
      if (position && !position.isFlat) changes.push(s.portfolio.positionChange(s.engine, e.symbol, e.ts));
    },
  },
  balance: { slices: ['portfolio'], apply: (s, e) => applyBalance(s.portfolio, e) },
  risk: {
    slices: ['risk'],
    apply(s, e, changes) {
      s.risk.onRisk(e);
      changes.push(status(s)());
    },
  },
  strategy: {
    slices: ['strategy'],
    apply(s, e, changes) {
      s.strategy.onStrategy(e);
      changes.push(status(s)());
    },
  },
  signal: { slices: ['strategy'], apply: (s, e) => s.strategy.onSignal(e) },
  health: {
    slices: ['health'],
    apply(s, e, changes) {
      if (s.health.onHealth(e)) changes.push(status(s)());
    },
  },
  alert: {
    slices: ['health'],
    apply(s, e, changes) {
      const row = alertRecord(s.engine, e);
      s.health.onAlert(e, row);
      changes.push({ channel: 'alerts', key: row.key, row });
    },
  },
  snapshot: {
    slices: ['execution', 'portfolio'],
    apply(s, e, changes) {
      resyncOrders(s.execution, s.market, s.engine, e, changes, status(s));
      resyncPortfolio(s.portfolio, s.engine, e, changes);
      changes.push(status(s)());
    },
  },
};

/**
 * Applies the route of `type` to an event of that type. Generic over the type, so that the
 * route looked up (`ROUTES[type]`: `Route<T>`) and the event agree without a cast.
 */
function applyRoute<T extends EventType>(
  type: T,
  s: EngineSlices,
  event: EventOf<T>,
  changes: Change[],
  receivedAt: number,
): Route<T> {
  const route: Route<T> = ROUTES[type];
  route.apply(s, event, changes, receivedAt);
  return route;
}

/** Applies one validated event to the slices (never throws). */
export function dispatch(s: EngineSlices, event: TradingEvent, changes: Change[], receivedAt: number): void {
  s.health.onEvent(event);
  const route = applyRoute(event.type, s, event, changes, receivedAt);
  // Only events that touch the portfolio move equity (fills, marks, balances, snapshots).
  const equity = s.portfolio.equity;
  if (!route.slices.includes('portfolio')) return equity.observe(event.ts, equity.current);
  const touched = event.type === 'fill' || event.type === 'mark' ? event.symbol : undefined;
  equity.observe(event.ts, s.portfolio.revalue(touched));
}
