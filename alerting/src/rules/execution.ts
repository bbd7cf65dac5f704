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

export const executionRules: AlertRule[] = [rejectionRatio('warning'), rejectionRatio('critical')];
