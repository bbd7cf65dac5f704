/**
 * Every PromQL query of every dashboard, apart from the layout. Variables: $engine, $strategy,
 * $symbol (multi-value, All = .*). Queries that count rare events (rejections, venue errors,
 * ingest rejections) fall back to 0 rather than "No data" while nothing has happened yet.
 */
const E = 'engine=~"$engine"';
const ES = `${E},strategy=~"$strategy"`;
const EY = `${E},symbol=~"$symbol"`;
const ESY = `${E},strategy=~"$strategy",symbol=~"$symbol"`;
const RI = '$__rate_interval';

/** `sum by (by) (rate(metric{sel}[$__rate_interval]))` */
const rate = (metric: string, sel: string, by: string) => `sum by (${by}) (rate(${metric}{${sel}}[${RI}]))`;
const byEngine = (metric: string, sel = E) => `max by (engine) (${metric}{${sel}})`;

export const overview = {
  equity: byEngine('trading_equity'),
  dailyPnl: byEngine('trading_daily_pnl'),
  drawdown: byEngine('trading_drawdown_ratio'),
  exposure: byEngine('trading_exposure_ratio'),
  halted: byEngine('trading_halted'),
  winRate7d: byEngine('trading_win_rate_ratio', `${E},window="7d"`),
  sharpe30d: byEngine('trading_sharpe_ratio', `${E},window="30d"`),
  activeOrders: `sum by (engine) (trading_orders_active{${E}})`,
  firingAlerts: 'count(ALERTS{alertstate="firing",service="tradewatch"}) or vector(0)',
  pnlTotal: `sum by (engine) (trading_realized_pnl{${E}}) + sum by (engine) (trading_unrealized_pnl{${E}})`,
};

/**
 * The table of bots on the Overview: one row per engine (each freqtrade bot is one). Up is
 * "heard from within the silence threshold"; the heartbeat is the engine's own last loop
 * where it reports one (freqtrade), else its latest event.
 */
export const bots = {
  up: (silentSeconds: number) =>
    `max by (engine) (time() - tradewatch_engine_last_seen_timestamp_seconds{${E}} < bool ${silentSeconds})`,
  openPositions: `count by (engine) (trading_position_quantity{${E}} != 0) or 0 * max by (engine) (trading_equity{${E}})`,
  activeOrders: `sum by (engine) (trading_orders_active{${E}})`,
  dailyPnl: byEngine('trading_daily_pnl'),
  realized: `sum by (engine) (trading_realized_pnl{${E}})`,
  equity: byEngine('trading_equity'),
  heartbeatAge: `time() - (max by (engine) (trading_engine_last_process_timestamp_seconds{${E}}) or max by (engine) (trading_last_event_timestamp_seconds{${E}}))`,
};

/** Producers polled natively (freqtrade): their API, their own heartbeat and figures beside ours. */
export const producers = {
  apiUp: `max by (engine) (trading_component_up{${E},component="freqtrade_api"})`,
  heartbeatAge: `time() - max by (engine) (trading_engine_last_process_timestamp_seconds{${E}})`,
  sourceErrors: `sum by (source, reason) (rate(tradewatch_source_errors_total[${RI}])) or vector(0)`,
  realizedOurs: `sum by (engine) (trading_realized_pnl{${E}}) and on (engine) max by (engine) (trading_engine_reported_realized_pnl{${E}})`,
  realizedTheirs: byEngine('trading_engine_reported_realized_pnl'),
  equityOurs: `max by (engine) (trading_equity{${E}}) and on (engine) max by (engine) (trading_engine_reported_equity{${E}})`,
  equityTheirs: byEngine('trading_engine_reported_equity'),
};

const closedBy = (status: string) =>
  `sum by (engine) (increase(trading_orders_closed_total{${ESY}${status}}[$__range]))`;

export const execution = {
  activeOrders: `sum by (engine) (trading_orders_active{${ESY}})`,
  submittedPerMin: `60 * ${rate('trading_orders_submitted_total', ESY, 'engine')}`,
  fillRatio: `${closedBy(',status="filled"')} / ${closedBy('')}`,
  rejectionRatio: `(${closedBy(',status="rejected"')} or 0 * ${closedBy('')}) / ${closedBy('')}`,
  feesRange: `sum by (engine, currency) (increase(trading_fees_paid_total{${E}}[$__range]))`,
  notionalRange: `sum by (engine) (increase(trading_filled_notional_total{${ESY}}[$__range]))`,
  closedByStatus: `60 * ${rate('trading_orders_closed_total', ESY, 'status')}`,
  submittedBySymbolSide: `60 * ${rate('trading_orders_submitted_total', ESY, 'symbol, side')}`,
  fillsBySymbol: `60 * ${rate('trading_fills_total', ESY, 'symbol, side')}`,
  notionalBySymbol: `60 * ${rate('trading_filled_notional_total', ESY, 'symbol')}`,
  fillTimeP50: `histogram_quantile(0.5, sum by (symbol, le) (rate(trading_order_fill_seconds_bucket{${EY}}[${RI}])))`,
  fillTimeP95: `histogram_quantile(0.95, sum by (symbol, le) (rate(trading_order_fill_seconds_bucket{${EY}}[${RI}])))`,
  feesRate: `3600 * ${rate('trading_fees_paid_total', E, 'currency')}`,
  activeBySymbolSide: `sum by (symbol, side) (trading_orders_active{${ESY}})`,
};

const windowed = (metric: string) => `max by (engine, window) (${metric}{${E}})`;

export const portfolio = {
  equity: byEngine('trading_equity'),
  realized: `sum by (engine) (trading_realized_pnl{${EY}})`,
  unrealized: `sum by (engine) (trading_unrealized_pnl{${EY}})`,
  dailyPnl: byEngine('trading_daily_pnl'),
  drawdown: byEngine('trading_drawdown_ratio'),
  maxDrawdown30d: byEngine('trading_max_drawdown_ratio', `${E},window="30d"`),
  positionQuantity: `sum by (engine, symbol) (trading_position_quantity{${EY}})`,
  positionAvgPrice: `max by (engine, symbol) (trading_position_avg_price{${EY}})`,
  positionNotional: `sum by (engine, symbol) (trading_position_notional{${EY}})`,
  positionUnrealized: `sum by (engine, symbol) (trading_unrealized_pnl{${EY}})`,
  positionRealized: `sum by (engine, symbol) (trading_realized_pnl{${EY}})`,
  pnlBySymbol: `sum by (symbol) (trading_realized_pnl{${EY}}) + sum by (symbol) (trading_unrealized_pnl{${EY}})`,
  cashByCurrency: `sum by (engine, currency) (trading_cash_balance{${E}})`,
  notionalBySymbol: `sum by (symbol) (trading_position_notional{${EY}})`,
  sharpe: windowed('trading_sharpe_ratio'),
  sortino: windowed('trading_sortino_ratio'),
  volatility: windowed('trading_volatility_ratio'),
  maxDrawdown: windowed('trading_max_drawdown_ratio'),
  winRate: windowed('trading_win_rate_ratio'),
  profitFactor: windowed('trading_profit_factor'),
  expectancy: windowed('trading_expectancy'),
  roundTripsByOutcome: `sum by (outcome) (trading_round_trips_total{${E}})`,
};

export const risk = {
  halted: byEngine('trading_halted'),
  halts: `sum by (engine) (trading_halts_total{${E}})`,
  exposure: byEngine('trading_exposure_ratio'),
  consecutiveLosses: byEngine('trading_consecutive_losses'),
  maxConcentration: `max by (engine) (trading_concentration_ratio{${E}})`,
  limitUsage: `max by (engine, limit) (trading_risk_value{${E}}) / max by (engine, limit) (trading_risk_limit{${E}})`,
  limitValue: `max by (engine, limit) (trading_risk_value{${E}})`,
  limitLimit: `max by (engine, limit) (trading_risk_limit{${E}})`,
  concentrationBySymbol: `max by (engine, symbol) (trading_concentration_ratio{${EY}})`,
  haltedOverTime: byEngine('trading_halted'),
};

export const strategy = {
  active: `max by (engine, strategy) (trading_strategy_active{${ES}}) == 1`,
  activeCount: `sum by (engine) (trading_strategy_active{${ES}})`,
  transitions: `sum by (engine) (increase(trading_strategy_transitions_total{${E}}[$__range]))`,
  approvalRatio: `sum by (engine) (increase(trading_signals_total{${ES},decision="approved"}[$__range])) / sum by (engine) (increase(trading_signals_total{${ES},decision="proposed"}[$__range]))`,
  activeOverTime: `max by (strategy) (trading_strategy_active{${ES}})`,
  signalsByDecision: `60 * ${rate('trading_signals_total', ES, 'decision')}`,
  signalsByStrategyDecision: `sum by (strategy, decision) (increase(trading_signals_total{${ES}}[$__range]))`,
  roundTripsByStrategyOutcome: `sum by (strategy, outcome) (increase(trading_round_trips_total{${ES}}[$__range]))`,
  transitionsOverTime: `sum by (engine) (increase(trading_strategy_transitions_total{${E}}[5m]))`,
};

export const health = {
  exporterUp: 'min(up{job="tradewatch"})',
  eventLag: `time() - max by (engine) (trading_last_event_timestamp_seconds{${E}})`,
  eventsPerSecond: rate('trading_events_total', E, 'engine'),
  feedClients: 'sum(tradewatch_feed_clients)',
  rejectedPerSecond: `sum(rate(tradewatch_events_rejected_total[${RI}])) or vector(0)`,
  buildInfo: 'max by (version) (tradewatch_build_info)',
  eventsByType: rate('trading_events_total', E, 'type'),
  venueP50: `histogram_quantile(0.5, sum by (venue, le) (rate(trading_venue_request_seconds_bucket{${E}}[${RI}])))`,
  venueP95: `histogram_quantile(0.95, sum by (venue, le) (rate(trading_venue_request_seconds_bucket{${E}}[${RI}])))`,
  venueErrorRatio: `(${rate('trading_venue_errors_total', E, 'venue')} or 0 * ${rate('trading_venue_request_seconds_count', E, 'venue')}) / ${rate('trading_venue_request_seconds_count', E, 'venue')}`,
  componentUp: `max by (engine, component) (trading_component_up{${E}})`,
  engineAlerts: `sum by (severity) (increase(trading_engine_alerts_total{${E}}[$__range]))`,
  rejectedByReason: `sum by (reason) (rate(tradewatch_events_rejected_total[${RI}])) or vector(0)`,
  collectorDuration: 'max by (collector) (tradewatch_collector_duration_seconds)',
  collectorSuccess: 'min by (collector) (tradewatch_collector_success)',
  cpuBusy: `1 - sum(rate(host_cpu_seconds_total{mode="idle"}[${RI}])) / sum(rate(host_cpu_seconds_total[${RI}]))`,
  memoryAvailable: 'sum(host_memory_bytes{state="available"}) / sum(host_memory_bytes{state="total"})',
  load1: 'max(host_load1)',
  diskFree: 'min(host_filesystem_avail_bytes / host_filesystem_size_bytes)',
  processMemory: 'max by (job) (process_resident_memory_bytes{job="tradewatch"})',
  eventLoopLag: 'max by (job) (nodejs_eventloop_lag_p99_seconds{job="tradewatch"})',
};

/** Buys or sells at the price of the latest fill, only where such fills happened in the interval. */
const fillsAt = (side: 'buy' | 'sell') =>
  `max by (engine, symbol) (trading_last_fill_price{${EY},side="${side}"})
and on (engine, symbol)
  sum by (engine, symbol) (increase(trading_fills_total{${ESY},side="${side}"}[${RI}])) > 0`;
const quantile = (q: number, metric: string, by = 'symbol, side') =>
  `histogram_quantile(${q}, sum by (${by}, le) (rate(${metric}_bucket{${EY}}[${RI}])))`;

/** Market data and execution quality (docs/metrics.md). */
export const market = {
  markPrice: `max by (engine, symbol) (trading_mark_price{${EY}})`,
  buys: fillsAt('buy'),
  sells: fillsAt('sell'),
  dataAge: `max by (engine, symbol) (trading_market_data_age_seconds{${EY}})`,
  slippageP50: quantile(0.5, 'trading_slippage_bps'),
  slippageP95: quantile(0.95, 'trading_slippage_bps'),
  /** Cumulative buckets over the range; the panel's heatmap format turns them into counts per bucket. */
  slippageBuckets: `sum by (le) (increase(trading_slippage_bps_bucket{${EY}}[$__range]))`,
  unpricedRange: `sum by (engine) (increase(trading_slippage_unpriced_total{${EY}}[$__range])) or 0 * sum by (engine) (increase(trading_slippage_bps_count{${EY}}[$__range]))`,
  improvementP50: quantile(0.5, 'trading_limit_improvement_bps', 'symbol'),
  /** Mean filled share of closed orders by order type, over the range. */
  fillRatioByType: `sum by (order_type) (increase(trading_order_fill_ratio_sum{${E}}[$__range])) / sum by (order_type) (increase(trading_order_fill_ratio_count{${E}}[$__range]))`,
};
