import type { AlertRule } from '../model';
import { fmt } from '../model';
import { pendingFor, thresholds as t } from '../thresholds';

const drawdown = 'max by (engine) (trading_drawdown_ratio)';

export const portfolioRules: AlertRule[] = [
  {
    uid: 'tw-drawdown-warning',
    alert: 'TradingDrawdownWarning',
    area: 'portfolio',
    expr: `${drawdown} > ${t.drawdown.warning}`,
    for: pendingFor.risk,
    severity: 'warning',
    summary: `Engine {label:engine} is {value} below its equity peak (warning at ${fmt(t.drawdown.warning, 'percent')}).`,
    description:
      "Equity has fallen from its running peak by more than the warning drawdown. The critical alert (and usually the engine's kill switch) follows if it deepens.",
    valueFormat: 'percent',
    dashboard: 'portfolio',
    panel: 'Drawdown',
  },
  {
    uid: 'tw-drawdown-critical',
    alert: 'TradingDrawdownCritical',
    area: 'portfolio',
    // The engine's own drawdown limit where it reports one; the default elsewhere.
    expr: `${drawdown}
  > on (engine)
(
    max by (engine) (trading_risk_limit{limit="drawdown"})
  or on (engine)
    0 * ${drawdown} + ${t.drawdown.critical}
)`,
    for: pendingFor.risk,
    severity: 'critical',
    summary: `Engine {label:engine} is {value} below its equity peak, over its drawdown limit (the engine's own \`drawdown\` limit, else ${fmt(t.drawdown.critical, 'percent')}).`,
    description:
      'Drawdown is at or past the level where the engine should stop trading. Check that it halted; if it did not, halt it by hand.',
    valueFormat: 'percent',
    dashboard: 'portfolio',
    panel: 'Drawdown',
  },
  ...(['warning', 'critical'] as const).map((level): AlertRule => ({
    uid: `tw-daily-loss-${level}`,
    alert: level === 'warning' ? 'TradingDailyLossWarning' : 'TradingDailyLossCritical',
    area: 'portfolio',
    expr: `-max by (engine) (trading_daily_pnl) / max by (engine) (trading_equity > 0) > ${t.dailyLoss[level]}`,
    for: pendingFor.risk,
    severity: level,
    summary: `Engine {label:engine} has lost {value} of equity today (limit ${fmt(t.dailyLoss[level], 'percent')}).`,
    description: "Today's PnL (since 00:00 UTC) is a loss larger than the daily loss threshold.",
    valueFormat: 'percent',
    dashboard: 'portfolio',
    panel: 'Daily PnL',
  })),
  {
    uid: 'tw-engine-reconciliation-drift',
    alert: 'TradingEngineReconciliationDrift',
    area: 'portfolio',
    // Each figure the engine reports beside ours, labelled by which it is.
    expr: `label_replace(
    abs(sum by (engine) (trading_realized_pnl) - on (engine) max by (engine) (trading_engine_reported_realized_pnl))
  > ${t.reconciliationDrift},
  "figure", "realized_pnl", "", ""
)
or
label_replace(
    abs(max by (engine) (trading_equity) - on (engine) max by (engine) (trading_engine_reported_equity))
  > ${t.reconciliationDrift},
  "figure", "equity", "", ""
)`,
    for: pendingFor.reconciliation,
    severity: 'warning',
    summary: `Engine {label:engine}'s {label:figure} differs from the engine's own by {value} (more than ${t.reconciliationDrift}).`,
    description:
      "tradewatch's figure and the one the engine reports itself have disagreed for 15 minutes: a fill, a fee or a balance was missed or counted differently.",
    valueFormat: 'number',
    dashboard: 'portfolio',
    panel: 'Realized PnL: tradewatch vs the engine',
  },
];
