/**
 * Execution (docs/metrics.md): orders and fills, fees, fill time, and execution quality
 * (state/execution-quality.ts): slippage against the arrival price, limit improvement and
 * fill ratio.
 */
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

const SLIPPAGE = family(
  'trading_slippage_bps',
  'histogram',
  'Per fill: distance of the fill price from the arrival price in basis points, positive when worse for the trader.',
);
const UNPRICED = family(
  'trading_slippage_unpriced_total',
  'counter',
  'Fills whose order had no arrival mark (no slippage measured).',
);
const LIMIT_IMPROVEMENT = family(
  'trading_limit_improvement_bps',
  'histogram',
  'Per fill of a limit order: basis points by which the fill price beat the limit price (both sides).',
);
const FILL_RATIO = family(
  'trading_order_fill_ratio',
  'histogram',
  'Per closed order: filled quantity over ordered quantity, by order type.',
);

export class ExecutionCollector implements Collector {
  readonly name = 'execution';
  readonly families = [
    ORDERS_ACTIVE,
    SUBMITTED,
    CLOSED,
    FILLS,
    NOTIONAL,
    FEES,
    FILL_TIME,
    SLIPPAGE,
    UNPRICED,
    LIMIT_IMPROVEMENT,
    FILL_RATIO,
  ];

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
      const quality = s.execution.quality;
      for (const { labels, dist } of quality.slippage.values())
        sink.histogram(SLIPPAGE, { engine, ...labels }, dist);
      for (const { labels, value } of quality.unpriced.values())
        sink.add(UNPRICED, { engine, ...labels }, value);
      for (const { labels, dist } of quality.limitImprovement.values())
        sink.histogram(LIMIT_IMPROVEMENT, { engine, ...labels }, dist);
      for (const { labels, dist } of quality.fillRatio.values())
        sink.histogram(FILL_RATIO, { engine, ...labels }, dist);
    }
  }
}
