import type { AlertRule } from '../model';
import { pendingFor, thresholds as t } from '../thresholds';

/** Market data and execution quality (docs/metrics.md); rendered in the execution group. */
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
  {
    uid: 'tw-slippage-high',
    alert: 'TradingSlippageHigh',
    area: 'execution',
    expr: `histogram_quantile(0.95, sum by (engine, symbol, side, le) (rate(trading_slippage_bps_bucket[15m]))) > ${t.slippageP95Bps}
and on (engine, symbol, side)
  sum by (engine, symbol, side) (increase(trading_slippage_bps_count[15m])) >= ${t.slippageMinFills}`,
    for: pendingFor.noisy,
    severity: 'warning',
    summary: `Engine {label:engine}: 95 % of {label:side} fills of {label:symbol} in the last 15 minutes slipped up to {value} bps from the arrival price (limit ${t.slippageP95Bps} bps).`,
    description:
      'Fills cost much more than the market price when their orders were created: thin books, orders too large for the market, a slow venue, or an engine trading on stale market data.',
    valueFormat: 'number',
    dashboard: 'execution',
    panel: 'Slippage p50 / p95 by symbol and side (bps)',
  },
];
