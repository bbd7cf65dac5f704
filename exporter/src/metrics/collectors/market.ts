/**
 * Market data (docs/metrics.md): mark prices, how old each symbol's market data is on the
 * wall clock, and the latest fill price per side (the price charts' points). Execution
 * quality measured against them (slippage, limit improvement, fill ratio) is the execution
 * collector's.
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

export class MarketCollector implements Collector {
  readonly name = 'market';
  readonly families = [MARK_PRICE, LAST_FILL, DATA_AGE];

  /** `now`: the wall clock, epoch ms (injected by tests). */
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  update(sink: MetricSink): void {
    const now = this.now();
    for (const [engine, s] of this.store.engines) {
      for (const [symbol, mark] of s.market.marks) sink.add(MARK_PRICE, { engine, symbol }, mark.price);
      for (const [symbol, arrived] of s.market.markArrivals)
        sink.add(DATA_AGE, { engine, symbol }, Math.max(0, (now - arrived) / 1000));
      for (const [symbol, last] of s.execution.quality.lastFill) {
        if (last.buy) sink.add(LAST_FILL, { engine, symbol, side: 'buy' }, last.buy.price);
        if (last.sell) sink.add(LAST_FILL, { engine, symbol, side: 'sell' }, last.sell.price);
      }
    }
  }
}
