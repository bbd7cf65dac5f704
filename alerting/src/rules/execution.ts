import type { AlertRule } from '../model';
import { fmt } from '../model';
import { pendingFor, thresholds as t } from '../thresholds';

const closed = (selector: string) =>
  `sum by (engine) (increase(trading_orders_closed_total${selector}[10m]))`;

function rejectionRatio(level: 'warning' | 'critical'): AlertRule {
  const limit = t.orderRejectionRatio[level];
  return {
    uid: `tw-order-rejections-${level}`,
    alert: level === 'warning' ? 'TradingOrderRejectionRatioHigh' : 'TradingOrderRejectionRatioCritical',
    area: 'execution',
    expr: `(
  ${closed('{status="rejected"}')}
/
  ${closed('')}
) > ${limit}
and on (engine)
  ${closed('')} >= ${t.orderRejectionMinOrders}`,
    for: pendingFor.noisy,
    severity: level,
    summary: `Engine {label:engine}: {value} of orders closed in the last 10 minutes were rejected (limit ${fmt(limit, 'percent')}).`,
    description:
      'The venue or the engine rejects a large share of orders: bad parameters, insufficient balance, rate limits or a venue problem. Orders that should trade do not.',
    valueFormat: 'percent',
    dashboard: 'execution',
    panel: 'Rejected share of closed orders',
  };
}

/** Execution quality (docs/metrics.md, trading_slippage_bps): fills far from the arrival price. */
const slippageHigh: AlertRule = {
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
};

export const executionRules: AlertRule[] = [
  rejectionRatio('warning'),
  rejectionRatio('critical'),
  slippageHigh,
];
