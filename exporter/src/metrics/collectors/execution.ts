import type { Store } from '../../state/store';
import { NO_STRATEGY } from '../../state/common/symbols';
import { family, type Collector, type MetricSink } from '../registry';

const ORDERS_ACTIVE = family(
  'trading_orders_active',
  'gauge',
  'Orders currently working (new or partially filled).',
);
const SUBMITTED = family('trading_orders_submitted_total', 'counter', 'Orders seen for the first time.');
const CLOSED = family('trading_orders_closed_total', 'counter', 'Orders that reached a final status.');
const FILLS = family('trading_fills_total', 'counter', 'Executions (fills).');
const NOTIONAL = family(
  'trading_filled_notional_total',
  'counter',
  'Filled notional (price times quantity), in the valuation currency.',
);
const FEES = family('trading_fees_paid_total', 'counter', 'Fees paid, in the currency they were paid in.');
const FILL_TIME = family(
  'trading_order_fill_seconds',
  'histogram',
  'Time from an order’s creation to its complete fill.',
);

export class ExecutionCollector implements Collector {
  readonly name = 'execution';
  readonly families = [ORDERS_ACTIVE, SUBMITTED, CLOSED, FILLS, NOTIONAL, FEES, FILL_TIME];

  constructor(private readonly store: Store) {}

  update(sink: MetricSink): void {
    for (const [engine, s] of this.store.engines) {
      // Active orders counted at scrape from the book, so closed orders leave the gauge at once.
      const active = new Map<string, { strategy: string; symbol: string; side: string; n: number }>();
      for (const o of s.execution.orders.active.values()) {
        const strategy = o.strategy ?? NO_STRATEGY;
        const key = `${strategy}\u0000${o.symbol}\u0000${o.side}`;
        const entry = active.get(key);
        if (entry) entry.n += 1;
        else active.set(key, { strategy, symbol: o.symbol, side: o.side, n: 1 });
      }
      for (const a of active.values()) {
        sink.add(ORDERS_ACTIVE, { engine, strategy: a.strategy, symbol: a.symbol, side: a.side }, a.n);
      }
      for (const { labels, value } of s.execution.submitted.values())
        sink.add(SUBMITTED, { engine, ...labels }, value);
      for (const { labels, value } of s.execution.closed.values())
        sink.add(CLOSED, { engine, ...labels }, value);
      for (const { labels, value } of s.execution.fills.values())
        sink.add(FILLS, { engine, ...labels }, value);
      for (const { labels, value } of s.execution.filledNotional.values())
        sink.add(NOTIONAL, { engine, ...labels }, value);
      for (const { labels, value } of s.execution.feesPaid.values())
        sink.add(FEES, { engine, ...labels }, value);
      for (const { labels, dist } of s.execution.fillTime.values())
        sink.histogram(FILL_TIME, { engine, ...labels }, dist);
    }
  }
}
