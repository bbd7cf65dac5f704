/**
 * Market data and execution quality (docs/metrics.md): mark prices, how old each symbol's
 * market data is on the wall clock, and slippage against the arrival price.
 */
import type { Store } from '../../state/store';
import { family, type Collector, type MetricSink } from '../registry';

const MARK_PRICE = family(
  'trading_mark_price',
  'gauge',
  'Latest mark price per symbol, in the quote currency.',
);
const LAST_FILL = family(
  'trading_last_fill_price',
  'gauge',
  'Price of the latest fill (by event time) per symbol and side, in the quote currency.',
);
const DATA_AGE = family(
  'trading_market_data_age_seconds',
  'gauge',
  'Wall-clock seconds since the latest mark of the symbol arrived at the exporter.',
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

export class MarketCollector implements Collector {
  readonly name = 'market';
  readonly families = [MARK_PRICE, LAST_FILL, DATA_AGE, SLIPPAGE, UNPRICED, LIMIT_IMPROVEMENT, FILL_RATIO];

  /** `now`: the wall clock, epoch ms (injected by tests). */
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  update(sink: MetricSink): void {
    const now = this.now();
    for (const [engine, s] of this.store.engines) {
      for (const [symbol, mark] of s.market.marks) sink.add(MARK_PRICE, { engine, symbol }, mark.price);
      for (const [symbol, arrived] of s.execution.quality.markArrivals)
        sink.add(DATA_AGE, { engine, symbol }, Math.max(0, (now - arrived) / 1000));
      const x = s.execution.quality;
      for (const [symbol, last] of x.lastFill) {
        if (last.buy) sink.add(LAST_FILL, { engine, symbol, side: 'buy' }, last.buy.price);
        if (last.sell) sink.add(LAST_FILL, { engine, symbol, side: 'sell' }, last.sell.price);
      }
      for (const { labels, dist } of x.slippage.values())
        sink.histogram(SLIPPAGE, { engine, ...labels }, dist);
      for (const { labels, value } of x.unpriced.values()) sink.add(UNPRICED, { engine, ...labels }, value);
      for (const { labels, dist } of x.limitImprovement.values())
        sink.histogram(LIMIT_IMPROVEMENT, { engine, ...labels }, dist);
      for (const { labels, dist } of x.fillRatio.values())
        sink.histogram(FILL_RATIO, { engine, ...labels }, dist);
    }
  }
}
