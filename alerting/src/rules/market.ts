import type { AlertRule } from '../model';
import { pendingFor, thresholds as t } from '../thresholds';

/** Market data (docs/metrics.md); rendered in the execution group. */
export const marketRules: AlertRule[] = [
  {
    uid: 'tw-market-data-stale',
    alert: 'TradingMarketDataStale',
    area: 'execution',
    expr: `max by (engine, symbol) (trading_market_data_age_seconds) > ${t.marketDataStaleSeconds}`,
    // The age is itself a duration: it crosses the limit only after that long without a mark.
    for: pendingFor.instant,
    severity: 'warning',
    summary: `Engine {label:engine}: the latest {label:symbol} mark arrived {value} ago (limit ${t.marketDataStaleSeconds} s).`,
    description:
      'No mark price has reached the exporter for this symbol: the market-data feed, the engine or its bridge stalled. The engine may be trading on an old price, and positions are valued at it.',
    valueFormat: 'seconds',
    dashboard: 'execution',
    panel: 'Market data age by symbol',
  },
];
