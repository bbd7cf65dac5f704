/**
 * Every number that decides when tradewatch turns a panel amber or red, or pages someone.
 *
 * Dashboards (threshold colours) and alert rules (Grafana and Prometheus) both read this
 * module and never hard-code a number. Each entry says when you would change it. After a
 * change, run `npm run generate -w dashboards && npm run generate -w alerting` and commit
 * the regenerated files (a test fails while they are stale).
 *
 * Ratios are fractions (0.1 = 10 %), durations are Prometheus durations, money is in the
 * valuation currency. Defaults follow Gal Friday's wished thresholds
 * (config/monitoring_metrics_example.yaml) where it states one.
 */

export interface WarnCrit {
  warning: number;
  critical: number;
}

export const thresholds = {
  /**
   * Peak-to-trough drawdown of equity (`trading_drawdown_ratio`). Critical also fires at the
   * engine's own `drawdown` limit when it reports one through `trading_risk_limit`; this
   * critical value is the fallback for engines that report none. Lower both for a strategy
   * whose expected worst drawdown is small; raise them only together with the engine's kill
   * switch, so that the page comes before the halt.
   */
  drawdown: { warning: 0.08, critical: 0.1 } satisfies WarnCrit,

  /**
   * Today's loss as a fraction of equity (`-trading_daily_pnl / trading_equity`). Change it when
   * the engine's daily loss limit changes; keep it at or below that limit so a human hears
   * about the day before the engine stops trading.
   */
  dailyLoss: { warning: 0.02, critical: 0.03 } satisfies WarnCrit,

  /**
   * Losing round trips in a row (`trading_consecutive_losses`). Raise it for high-frequency
   * strategies, where runs of small losses are normal; lower it for slow swing strategies.
   */
  consecutiveLosses: { warning: 3, critical: 5 } satisfies WarnCrit,

  /**
   * Share of equity held in one symbol (`trading_concentration_ratio`). Change it when the
   * portfolio is meant to hold fewer symbols (a single-pair bot is 100 % concentrated by
   * design: raise both, or silence the rule for that engine with a mute timing).
   */
  concentration: { warning: 0.25, critical: 0.4 } satisfies WarnCrit,

  /**
   * Gross notional over equity (`trading_exposure_ratio`); 1 means fully invested, above 1
   * means leverage (or a short book). Change it when the account may use margin (raise) or
   * must keep cash aside (lower, e.g. 0.8 for a spot bot that should never be all in).
   */
  exposure: { warning: 1, critical: 2 } satisfies WarnCrit,

  /**
   * Wall-clock seconds since the exporter last received an event from an engine
   * (`tradewatch_engine_last_seen_timestamp_seconds`; event time could lag or be replayed). Market
   * data arrives every few seconds, so 120 s of silence means the engine or its bridge is
   * stuck. Raise it for engines that only report on trades and have long quiet periods.
   */
  engineSilentSeconds: 120,

  /**
   * Seconds since the engine last ran its loop, by its own clock
   * (`trading_engine_last_process_timestamp_seconds`: freqtrade's /health `last_process_ts`).
   * freqtrade loops every few seconds (`internals.process_throttle_secs`, 5 by default), so
   * two minutes means it is stuck while its API may still answer. Raise it if you throttle
   * the loop on purpose.
   */
  engineNotProcessingSeconds: 120,

  /**
   * 95th percentile of venue request latency in seconds (`trading_venue_request_seconds`).
   * Lower it for latency-sensitive strategies (market making); raise it for venues that are
   * slow by nature.
   */
  venueLatencyP95Seconds: 5,

  /**
   * Venue errors over venue requests (`trading_venue_errors_total` over
   * `trading_venue_request_seconds_count`). Raise it only if the venue returns retryable
   * errors routinely and the engine retries them.
   */
  venueErrorRatio: 0.1,

  /**
   * Rejected orders over closed orders (`trading_orders_closed_total{status="rejected"}`).
   * Rejections mean bad parameters, insufficient funds or a venue refusing us. Lower it for
   * engines that never expect a rejection.
   */
  orderRejectionRatio: { warning: 0.1, critical: 0.25 } satisfies WarnCrit,

  /**
   * Fewest orders closed in the rejection window before the rejection ratio is judged; it
   * keeps one rejection out of two orders from paging. Raise it for busy engines.
   */
  orderRejectionMinOrders: 5,

  /**
   * Wall-clock seconds since a symbol's latest mark arrived (`trading_market_data_age_seconds`);
   * Gal Friday's wish is 120 s. Marks usually come every few seconds; raise it for symbols
   * whose feed only sends on change in quiet markets, lower it for fast strategies.
   */
  marketDataStaleSeconds: 120,

  /**
   * 95th percentile of fill slippage against the arrival price, in basis points, over 15
   * minutes (`trading_slippage_bps`). Lower it for liquid pairs and passive strategies (a few
   * bps is normal there); raise it for thin books or aggressive market orders.
   */
  slippageP95Bps: 25,

  /**
   * Fewest fills of one symbol and side in the slippage window before the percentile is
   * judged; it keeps one bad fill from paging. Raise it for busy engines.
   */
  slippageMinFills: 5,

  /**
   * Strategy transitions per hour (`trading_strategy_transitions_total`) above which the
   * strategy selector is said to be flapping. Raise it for engines that rotate strategies on
   * purpose several times an hour.
   */
  strategyTransitionsPerHour: 6,

  /**
   * Fraction of a filesystem still free (`host_filesystem_avail_bytes / _size_bytes`). Raise
   * it when the journal grows fast (many events per second) and the disk is small.
   */
  diskFreeRatio: { warning: 0.15, critical: 0.05 } satisfies WarnCrit,

  /**
   * Fraction of memory still available (`host_memory_bytes{state="available"}` over total).
   * Lower it on hosts that run nothing but the exporter.
   */
  memoryAvailableRatio: { warning: 0.1, critical: 0.05 } satisfies WarnCrit,

  /**
   * Ingest rejections per second (`tradewatch_events_rejected_total`) above which an engine is
   * said to send bad events. Any sustained rejection is a bug in the sender, so keep it low.
   */
  eventsRejectedPerSecond: 0.1,

  /**
   * Largest difference, in the valuation currency, between tradewatch's figure and the
   * engine's own (`trading_realized_pnl` summed against `trading_engine_reported_realized_pnl`,
   * `trading_equity` against `trading_engine_reported_equity`) before
   * TradingEngineReconciliationDrift fires. The two accountings differ by design by small
   * amounts (freqtrade charges an open trade's entry fee pro rata to what it exits, and its
   * fee rate on the amount after a fee taken in the base asset: docs/integrations/freqtrade.md),
   * so keep it above the entry fees of the open trades; raise it for large accounts, lower it
   * for small ones. It must be in the valuation currency, which should be the stake currency.
   */
  reconciliationDrift: 1,

  /**
   * Win rate under which the win-rate stat turns red and above which it turns green (panels
   * only). Change it to the strategy's expected win rate; trend followers win less often.
   */
  winRate: { bad: 0.4, good: 0.55 },

  /** Sharpe ratio colours (panels only): under `bad` red, over `good` green. */
  sharpe: { bad: 0, good: 1 },

  /** Profit factor colours (panels only): under 1 the strategy loses money. */
  profitFactor: { bad: 1, good: 1.5 },
} as const;

/**
 * How long a condition must hold before an alert fires (Prometheus `for`). Lengthen them when
 * alerts flap on short spikes; shorten them when each minute of delay costs money.
 */
export const pendingFor = {
  /** Risk breaches that cost money while they last (drawdown, daily loss, halt). */
  risk: '1m',
  /** Conditions that can be noisy for a moment (latency, error ratios, host). */
  noisy: '5m',
  /** Instant facts (a halt, the exporter gone). */
  instant: '0s',
  /**
   * A gap between our figures and the engine's own: the two read at different moments (a
   * poll apart), so a gap must last before it means the accountings disagree.
   */
  reconciliation: '15m',
} as const;

/** Selectors and links that tie the rules to a deployment. */
export const deployment = {
  /**
   * The Prometheus job that scrapes the exporter (see prometheus/prometheus.yml). Change it
   * if you add tradewatch to an existing Prometheus under another job name.
   */
  exporterJob: 'tradewatch',
  /**
   * Where the runbook is read; every rule's runbook_url points to an anchor in it. Change it
   * if you host the docs elsewhere (an internal wiki mirror, a fork).
   */
  runbookUrl: 'https://github.com/tradewatch/tradewatch/blob/main/docs/runbook.md',
  /** Rule evaluation interval, in both Grafana and Prometheus. */
  evaluationInterval: '30s',
} as const;

/** Fixed dashboard uids (the links between dashboards and from alerts depend on them). */
export const dashboardUids = {
  overview: 'tradewatch-overview',
  execution: 'tradewatch-execution',
  portfolio: 'tradewatch-portfolio',
  risk: 'tradewatch-risk',
  strategy: 'tradewatch-strategy',
  health: 'tradewatch-health',
  trades: 'tradewatch-trades',
} as const;

export type DashboardKey = keyof typeof dashboardUids;

/**
 * A panel's path under Grafana's root URL (`/d/<uid>?viewPanel=<id>`, as Grafana links a rule's
 * panel). No host: Grafana's own rules carry dashboardUid and panelId and Grafana prefixes its
 * root URL; a Prometheus Alertmanager template prefixes the Grafana URL it knows.
 */
export function panelPath(key: DashboardKey, panelId: number): string {
  return `/d/${dashboardUids[key]}?viewPanel=${panelId}`;
}
