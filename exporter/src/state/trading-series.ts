/**
 * Trading series: the label sets of the families that multiply strategy × symbol × side
 * (trading_fills_total and trading_filled_notional_total by side, trading_orders_submitted_total
 * by side, trading_orders_closed_total by status). Each cap on one label is modest; their
 * product is not (200 strategies × 5,000 symbols × 2 sides in one engine gave 2 M series and
 * a 21 s scrape, issue 25), so the ingest service caps the total across every engine
 * (TRADEWATCH_MAX_SERIES). One module says which series an event would add, beside the
 * count of what the state holds, so that the check and the state cannot disagree.
 */
import type { OrderPayload, TradingEvent } from '../events/schema';
import type { EngineState } from './engine';
import type { Store } from './store';
import { NO_STRATEGY } from './common/symbols';

/**
 * Trading series an engine's state holds. A fills label set counts twice, for its notional
 * too: the notional series appears only once the quote currency can be valued, which a
 * check before the batch cannot know, so it is counted from the start (an upper bound that
 * never refuses a fill on a series that exists).
 */
export function tradingSeriesOf(state: EngineState): number {
  return 2 * state.execution.fills.size + state.execution.submitted.size + state.execution.closed.size;
}

/** Trading series the store holds, across every engine. */
export function tradingSeriesInStore(store: Store): number {
  let n = 0;
  for (const state of store.engines.values()) n += tradingSeriesOf(state);
  return n;
}

/**
 * The most trading series `events` could add whatever the state holds (TradingSeriesTally.add
 * at its most: a fill 2, an order 2, submitted and closed, a snapshot 2 per order). While the
 * store's count plus this stays within the cap, no event of them can be refused for it.
 */
export function mostSeriesAdded(events: readonly TradingEvent[]): number {
  let n = 0;
  for (const e of events) {
    if (e.type === 'fill' || e.type === 'order') n += 2;
    else if (e.type === 'snapshot') n += 2 * e.orders.length;
  }
  return n;
}

const ACTIVE = new Set(['new', 'partially_filled']);

interface OrderSeen {
  strategy?: string;
  closed: boolean;
}

/**
 * What a batch adds, event by event: `add(event)` gives the number of series the event
 * would create that neither the state nor the batch's earlier events hold. It errs on the
 * side of counting (an order state that turns out stale, a notional that cannot be valued
 * yet), never the other way.
 */
export class TradingSeriesTally {
  private readonly seen = new Set<string>();
  /**
   * Orders the batch has already stated: strategy and whether closed, by engine, then id
   * (two lookups instead of a key string built twice for every order event).
   */
  private readonly orders = new Map<string, Map<string, OrderSeen>>();

  constructor(private readonly store: Store) {}

  add(event: TradingEvent): number {
    if (this.store.isDuplicate(event)) return 0;
    const state = this.store.engines.get(event.engine);
    switch (event.type) {
      case 'fill': {
        const known = this.orderOf(event.engine, event.order_id, state);
        const labels = {
          strategy: event.strategy ?? known?.strategy ?? NO_STRATEGY,
          symbol: event.symbol,
          side: event.side,
        };
        return 2 * this.count(event.engine, 'fills', labels, state?.execution.fills.has(labels));
      }
      case 'order':
        return this.order(event.engine, event, state);
      case 'snapshot': {
        let n = 0;
        for (const o of event.orders) n += this.order(event.engine, o, state);
        return n;
      }
      default:
        return 0;
    }
  }

  private order(engine: string, o: OrderPayload, state: EngineState | undefined): number {
    const known = this.orderOf(engine, o.order_id, state);
    const strategy = o.strategy ?? known?.strategy ?? NO_STRATEGY;
    const closing = !ACTIVE.has(o.status);
    let n = 0;
    if (!known) {
      const labels = { strategy, symbol: o.symbol, side: o.side };
      n += this.count(engine, 'submitted', labels, state?.execution.submitted.has(labels));
    }
    if (closing && !known?.closed) {
      const labels = { strategy, symbol: o.symbol, status: o.status };
      n += this.count(engine, 'closed', labels, state?.execution.closed.has(labels));
    }
    let ofEngine = this.orders.get(engine);
    if (!ofEngine) this.orders.set(engine, (ofEngine = new Map()));
    ofEngine.set(o.order_id, {
      strategy: o.strategy ?? known?.strategy,
      closed: closing || known?.closed === true,
    });
    return n;
  }

  private orderOf(engine: string, orderId: string, state: EngineState | undefined): OrderSeen | undefined {
    const inBatch = this.orders.get(engine)?.get(orderId);
    if (inBatch) return inBatch;
    const row = state?.execution.orders.find(orderId);
    return row && { strategy: row.strategy, closed: !ACTIVE.has(row.status) };
  }

  private count(
    engine: string,
    family: string,
    labels: Record<string, string>,
    inState: boolean | undefined,
  ): number {
    if (inState === true) return 0;
    const key = `${engine}\u0000${family}\u0000${labels.strategy}\u0000${labels.symbol}\u0000${labels.side ?? labels.status}`;
    if (this.seen.has(key)) return 0;
    this.seen.add(key);
    return 1;
  }
}
