/**
 * Issue 11: what Gal Friday's REAL code publishes gives the right figures, to the cent.
 * The dictionaries are built by hand in exactly the shapes its code produces (read from
 * gal_friday/execution_handler.py, risk_manager.py, data_ingestor.py, core/events.py):
 * `Event.to_dict()` of its dataclasses (fields in declaration order, event_type as the
 * enum's integer, Decimals and UUIDs as str()), RiskManager's `GenericEvent`s, the
 * ExecutionHandler's AddOrder, polling, refusal and WebSocket reports, as the bridge posts
 * them (nested Decimals as str(), Kraken's own asset codes as Gal Friday passes them on).
 */
import fc from 'fast-check';
import { validateBatch } from '../../events/validate';
import { GF, commonCurrency, normalizePair } from './adapter';
import { Store } from '../../state/store';
import { engineReport } from '../../state/report';
import { galFridayAdapterFor } from './wiring';

const T0 = Date.parse('2026-03-02T10:00:00Z');
let counter = 0;
/** str(UUID(int=…)) as ExecutionHandler makes its event ids; uuid4-looking ones elsewhere. */
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
/** datetime.now(UTC).isoformat(). */
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '000+00:00');

type Dict = Record<string, unknown>;

/** ExecutionReportEvent.to_dict(): its fields in declaration order. */
function report(at: number, fields: Dict): Dict {
  return {
    source_module: 'ExecutionHandler',
    event_id: uuid(),
    timestamp: iso(at),
    exchange_order_id: 'NO_EXCHANGE_ID',
    trading_pair: 'XRP/USD',
    exchange: 'kraken',
    order_status: 'NEW',
    order_type: 'LIMIT',
    side: 'BUY',
    quantity_ordered: '0',
    signal_id: null,
    client_order_id: null,
    quantity_filled: '0',
    average_fill_price: null,
    limit_price: null,
    stop_price: null,
    commission: null,
    commission_asset: null,
    timestamp_exchange: null,
    error_message: null,
    ...fields,
    event_type: GF.EXECUTION_REPORT,
  };
}

/** RiskManager's GenericEvent(source_module, event_id, timestamp, event_type, event_name, data).to_dict(). */
function generic(at: number, eventType: number, eventName: string, data: Dict): Dict {
  return {
    source_module: 'RiskManager',
    event_id: uuid(),
    timestamp: iso(at),
    event_type: eventType,
    event_name: eventName,
    data,
  };
}

interface Signal {
  id: string;
  pair: string;
  side: 'BUY' | 'SELL';
  strategy: string;
}

/** TradeSignalProposedEvent.to_dict() (from the StrategyArbitrator). */
function proposed(at: number, s: Signal): Dict {
  return {
    source_module: 'StrategyArbitrator',
    event_id: uuid(),
    timestamp: iso(at),
    signal_id: s.id,
    trading_pair: s.pair,
    exchange: 'kraken',
    side: s.side,
    entry_type: 'LIMIT',
    proposed_sl_price: '0.4900',
    proposed_tp_price: '0.5200',
    strategy_id: s.strategy,
    proposed_entry_price: '0.5000',
    triggering_prediction_event_id: uuid(),
    triggering_prediction: { prediction_value: 0.71 },
    event_type: GF.TRADE_SIGNAL_PROPOSED,
  };
}

/** RiskManager._publish_approval_event: the same data under four event_names. */
function approvals(at: number, s: Signal): Dict[] {
  const data = {
    type: 'TradeSignalApproved',
    source_module: 'RiskManager',
    signal_id: s.id,
    trading_pair: s.pair,
    exchange: 'kraken',
    side: s.side,
    entry_type: 'LIMIT',
    strategy_id: s.strategy,
    approval_status: 'approved',
    approved_position_size: 200.0,
    original_position_size: 0.5,
    approval_conditions: [],
    portfolio_impact: { exposure_change_pct: 1.2 },
    risk_adjustments: {
      risk_amount: 1.0,
      risk_per_trade_pct: 0.5,
      stop_loss_price: '0.4900',
      take_profit_price: '0.5200',
    },
    execution_priority: 5,
    valid_until: iso(at + 3_600_000),
    timestamp: iso(at),
  };
  return [
    'trade.signal.approved',
    'execution.signals.approved',
    'portfolio.signals.approved',
    `signals.approved.${s.strategy}`,
  ].map((name) => generic(at, GF.TRADE_SIGNAL_APPROVED, name, data));
}

/** RiskManager._publish_rejection_event: general, severity (HIGH) and strategy topics. */
function rejections(at: number, s: Signal): Dict[] {
  const data = {
    type: 'TradeSignalRejected',
    source_module: 'RiskManager',
    signal_id: s.id,
    trading_pair: s.pair,
    strategy_id: s.strategy,
    rejection_reason: 'position_limit_exceeded',
    severity: 'high',
    timestamp: iso(at),
    rejection_details: 'Exposure 27.5% over limit 25%',
    auto_retry_eligible: false,
    signal_data: {
      exchange: 'kraken',
      side: s.side,
      entry_type: 'LIMIT',
      proposed_entry_price: '0.5000',
      proposed_sl_price: '0.4900',
      proposed_tp_price: '0.5200',
      triggering_prediction_event_id: null,
    },
    risk_metrics: { consecutive_losses: 0.0, current_drawdown_pct: 0.0, risk_score: 12.5 },
  };
  return ['trade.signal.rejected', 'signals.rejected.high', `signals.rejected.${s.strategy}`].map((name) =>
    generic(at, GF.TRADE_SIGNAL_REJECTED, name, data),
  );
}

/** RiskManager's metrics on SYSTEM_ERROR (risk.metrics.calculated, every 60 s). */
function metricsCalculated(at: number, metrics: Dict): Dict {
  return generic(at, GF.SYSTEM_ERROR, 'risk.metrics.calculated', {
    type: 'RiskMetricsCalculated',
    source_module: 'RiskManager',
    timestamp: iso(at),
    metrics: {
      consecutive_losses: 0,
      consecutive_wins: 1,
      win_rate: 1.0,
      current_drawdown: 0.0,
      current_drawdown_pct: 0.0,
      max_drawdown: 0.0,
      max_drawdown_pct: 0.0,
      total_pnl: 0.77956,
      total_exposure: 100.22,
      total_exposure_pct: 0.99,
      exposure_by_symbol: { 'DOGE/USD': 100.22 },
      risk_score: 8.0,
      open_positions_count: 1,
      current_equity: 10000.99956,
      peak_equity: 10000.99956,
      available_balance: 9900.0,
      ...metrics,
    },
  });
}

/** MarketDataL2Event.to_dict() (the data ingestor's whole book; levels as [price_str, volume_str]). */
function book(at: number, pair: string, bids: string[], asks: string[]): Dict {
  return {
    source_module: 'DataIngestor',
    event_id: uuid(),
    timestamp: iso(at),
    trading_pair: pair,
    exchange: 'kraken',
    bids: bids.map((p) => [p, '1500.0']),
    asks: asks.map((p) => [p, '1200.0']),
    is_snapshot: false,
    timestamp_exchange: iso(at - 3),
    event_type: GF.MARKET_DATA_L2,
  };
}

/** What ExecutionHandler publishes for one order: AddOrder's NEW, then its polled states. */
function placed(
  at: number,
  s: Signal,
  txid: string,
  cl: string,
  type: string,
  qty: string,
  limit: string | null,
): Dict {
  return report(at, {
    exchange_order_id: txid,
    trading_pair: s.pair,
    order_status: 'NEW',
    order_type: type,
    side: s.side,
    quantity_ordered: qty,
    signal_id: s.id,
    client_order_id: cl,
    limit_price: limit,
  });
}
/** _publish_status_execution_report: Kraken's status, descr and vol/vol_exec/price/fee as Gal Friday passes them. */
function polled(at: number, s: Signal, txid: string, cl: string, f: Dict): Dict {
  const fee = f.commission as string | undefined;
  return report(at, {
    exchange_order_id: txid,
    trading_pair: s.pair,
    side: s.side,
    signal_id: s.id,
    client_order_id: cl,
    // commission_asset is the pair's "quote" from Kraken's AssetPairs: ZUSD; None when the fee is zero.
    commission_asset: fee !== undefined && Number(fee) !== 0 ? 'ZUSD' : null,
    timestamp_exchange: iso(at - 4000),
    ...f,
  });
}
/** _publish_error_execution_report: the venue refused before the order existed. */
function refusedByVenue(at: number, s: Signal, cl: string, type: string, qty: string, error: string): Dict {
  return report(at, {
    exchange_order_id: 'NO_EXCHANGE_ID',
    trading_pair: s.pair,
    order_status: 'REJECTED',
    order_type: type,
    side: s.side,
    quantity_ordered: qty,
    signal_id: s.id,
    client_order_id: cl,
    error_message: error,
  });
}

const S = (n: number, pair: string, side: 'BUY' | 'SELL', strategy: string): Signal => ({
  id: `5b1d3c9e-0000-4000-9000-00000000000${n}`,
  pair,
  side,
  strategy,
});
const S1 = S(1, 'XRP/USD', 'BUY', 'mr_xrp');
const S2 = S(2, 'XRP/USD', 'SELL', 'mr_xrp');
const S3 = S(3, 'DOGE/USD', 'BUY', 'mom_doge');
const S4 = S(4, 'DOGE/USD', 'SELL', 'mom_doge');
const S5 = S(5, 'XRP/USD', 'BUY', 'mr_xrp');
const S6 = S(6, 'DOGE/USD', 'BUY', 'mom_doge');
const S7 = S(7, 'XRP/USD', 'BUY', 'mr_xrp');

/**
 * The session, in publication order. Hand-worked:
 * - XRP round trip: bought 100 @ 0.500 and 100 @ 0.501 (Kraken's averages 0.50000, then
 *   0.50050 over 200: cost 100.10), sold 200 at the average 0.50550 (101.10): 1.00 gross.
 * - Fees (Kraken's cumulative `fee`, asset ZUSD = USD): 0.05 + 0.06 on the buy, 0.11044 on
 *   the sell = 0.22044 USD. Realized PnL 1.00 − 0.22044 = 0.77956.
 * - DOGE: bought 1000 @ 0.1000 (no fee), marked at the L2 mid (0.10021 + 0.10023)/2 =
 *   0.10022: unrealized 0.22. Cash 0.77956 − 100 = −99.22044; equity −99.22044 + 100.22 = 0.99956.
 *   Daily PnL: from the day's first equity (after the first fill: −0.05) to 0.99956 = 1.04956.
 * - Orders submitted 6 (four placed, two refused by Kraken, each its own order); rejected 2.
 * - Signals: 7 proposed, 6 approved (each published 4×), 1 rejected (published 3×).
 * - Venue errors: the two refusals carry Kraken's own errors; RiskManager's metrics on
 *   SYSTEM_ERROR and its retry events are none.
 */
function session(): Dict[][] {
  const t = (s: number) => T0 + s * 1000;
  return [
    [
      book(t(0), 'XRP/USD', ['0.4995', '0.4990'], ['0.5005', '0.5010']),
      book(t(0), 'DOGE/USD', ['0.09995'], ['0.10005']),
    ],
    [S1, S2, S3, S4, S5, S6, S7].map((s, i) => proposed(t(1) + i, s)),
    [
      ...approvals(t(2), S1),
      placed(t(2), S1, 'OQCLML-BW3P3-BUCMWZ', 'gf-1', 'LIMIT', '200.00000000', '0.50100'),
    ],
    [
      polled(t(7), S1, 'OQCLML-BW3P3-BUCMWZ', 'gf-1', {
        order_status: 'OPEN',
        order_type: 'LIMIT',
        quantity_ordered: '200.00000000',
        quantity_filled: '100.00000000',
        limit_price: '0.50100',
        average_fill_price: '0.50000',
        commission: '0.05000',
      }),
      // A book every 100 ms: sampled to one mark a second.
      ...Array.from({ length: 15 }, (_, i) => book(t(7) + i * 100, 'XRP/USD', ['0.4998'], ['0.5004'])),
    ],
    [
      polled(t(12), S1, 'OQCLML-BW3P3-BUCMWZ', 'gf-1', {
        order_status: 'CLOSED',
        order_type: 'LIMIT',
        quantity_ordered: '200.00000000',
        quantity_filled: '200.00000000',
        limit_price: '0.50100',
        average_fill_price: '0.50050',
        commission: '0.11000',
      }),
    ],
    [
      ...approvals(t(20), S2),
      placed(t(20), S2, 'OB5VQF-7KZ3D-LXEAJ4', 'gf-2', 'MARKET', '200.00000000', null),
    ],
    [
      polled(t(25), S2, 'OB5VQF-7KZ3D-LXEAJ4', 'gf-2', {
        order_status: 'CLOSED',
        order_type: 'MARKET',
        quantity_ordered: '200.00000000',
        quantity_filled: '200.00000000',
        limit_price: '0',
        average_fill_price: '0.50550',
        commission: '0.11044',
      }),
      metricsCalculated(t(60), {}),
      generic(t(61), GF.SYSTEM_ERROR, 'signals.retry.scheduled', {
        type: 'SignalRetryScheduled',
        signal_id: S7.id,
      }),
    ],
    [
      ...approvals(t(70), S3),
      placed(t(70), S3, 'OX3D7C-ABCDE-FGHIJK', 'gf-3', 'MARKET', '1000.00000000', null),
    ],
    [
      polled(t(75), S3, 'OX3D7C-ABCDE-FGHIJK', 'gf-3', {
        order_status: 'CLOSED',
        order_type: 'MARKET',
        quantity_ordered: '1000.00000000',
        quantity_filled: '1000.00000000',
        limit_price: '0',
        average_fill_price: '0.100000',
        commission: '0.00000000',
      }),
    ],
    [
      ...approvals(t(80), S4),
      polled(t(81), S4, 'OTRAIL-12345-ABCDEF', 'gf-4', {
        order_status: 'OPEN',
        order_type: 'TRAILING-STOP',
        quantity_ordered: '1000.00000000',
        limit_price: '0.0050',
      }),
    ],
    [
      ...approvals(t(90), S5),
      refusedByVenue(t(90), S5, 'gf-5', 'LIMIT', '150.0', "['EOrder:Insufficient funds']"),
    ],
    [
      ...approvals(t(95), S6),
      refusedByVenue(
        t(95),
        S6,
        'gf-6',
        'MARKET',
        '10.0',
        "['EGeneral:Invalid arguments:volume minimum not met']",
      ),
    ],
    [...rejections(t(100), S7)],
    [
      polled(t(110), S4, 'OTRAIL-12345-ABCDEF', 'gf-4', {
        order_status: 'CANCELED',
        order_type: 'TRAILING-STOP',
        quantity_ordered: '1000.00000000',
        error_message: 'User requested',
      }),
      metricsCalculated(t(120), { current_drawdown_pct: 1.5, total_exposure_pct: 1.002, risk_score: 9.5 }),
      generic(t(121), GF.SYSTEM_ERROR, 'risk.metrics.updated', {
        type: 'RiskMetricsUpdated',
        metrics: { consecutive_losses: 0, current_drawdown_pct: 1.5, daily_pnl: 0.77956 },
        trigger_report: { order_id: 'OB5VQF-7KZ3D-LXEAJ4', symbol: 'XRP/USD', realized_pnl: 0.77956 },
      }),
      book(t(130), 'DOGE/USD', ['0.10021', '0.10020'], ['0.10023', '0.10030']),
      book(t(130), 'XRP/USD', ['0.5040'], ['0.5060']),
    ],
  ];
}

function setup() {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const adapt = galFridayAdapterFor(store, { engine: 'galfriday', fills: 'execution_report' });
  /** What the ingest service does with ?format=galfriday: adapt, validate, apply (repeated ids once). */
  const post = (dicts: Dict[]) => {
    const adapted = adapt(dicts);
    const batch = validateBatch(adapted.events);
    if (!batch.ok) throw new Error(`adapter produced invalid events: ${JSON.stringify(batch.problems)}`);
    // Through JSON, as the journal keeps them.
    store.apply(JSON.parse(JSON.stringify(batch.events)).filter((e: never) => !store.isDuplicate(e)));
    return adapted;
  };
  const engine = () => store.engine('galfriday');
  const report = () => engineReport(engine(), { windows: [] } as never);
  return { post, engine, report };
}

describe('Gal Friday, its real code: the hand-worked figures', () => {
  const { post, engine, report } = setup();
  const refused = session().flatMap((batch) => post(batch).refused);

  it('refuses nothing of what its real code publishes', () => {
    expect(refused).toEqual([]);
  });

  it('realized PnL 0.77956, fees 0.22044 USD, nothing left out', () => {
    const r = report();
    expect(r.realizedPnl).toBe(0.77956);
    expect(r.feesPaid).toEqual({ USD: 0.22044 });
    expect(r.pnlIncomplete).toBe(false);
    // The fills are the parts Kraken filled: 0.500 and 0.501, not prices off its rounded averages.
    expect(engine().execution.recentFills.map((f) => [f.symbol, f.side, f.quantity, f.price, f.fee])).toEqual(
      [
        ['XRP/USD', 'buy', 100, 0.5, 0.05],
        ['XRP/USD', 'buy', 100, 0.501, 0.06],
        ['XRP/USD', 'sell', 200, 0.5055, 0.11044],
        ['DOGE/USD', 'buy', 1000, 0.1, 0],
      ],
    );
  });

  it('equity 0.99956 (cash in USD only), daily PnL ≈ 1.0 (1.04956) from L2 marks', () => {
    const r = report();
    expect(Object.keys(r.cash)).toEqual(['USD']);
    expect(r.cash.USD).toBe(-99.22044);
    expect(engine().market.marks.get('DOGE/USD')?.price).toBe(0.10022);
    expect(r.equity).toBeCloseTo(0.99956, 12);
    // The day's first equity is the one after the first fill (100 @ 0.500 at the 0.500 mark,
    // fee 0.05): −0.05. Daily PnL 0.99956 − (−0.05) = 1.04956.
    expect(r.dailyPnl).toBeCloseTo(1.04956, 12);
  });

  it('orders submitted 6, rejected 2 (each NO_EXCHANGE_ID refusal its own order)', () => {
    const s = engine();
    expect(s.execution.submitted.total()).toBe(6);
    expect(
      [...s.execution.closed.values()].filter((v) => v.labels.status === 'rejected').map((v) => v.value),
    ).toEqual([1, 1]);
    expect(s.execution.orders.find('gf-5')).toMatchObject({ status: 'rejected', strategy: 'mr_xrp' });
    expect(s.execution.orders.find('gf-6')).toMatchObject({ status: 'rejected', strategy: 'mom_doge' });
    expect(s.execution.orders.find('OTRAIL-12345-ABCDEF')).toMatchObject({
      order_type: 'stop',
      status: 'canceled',
    });
  });

  it('signals approved 6, rejected 1 (each decision once), with strategy and reason', () => {
    const s = engine();
    const by = (decision: string) =>
      [...s.strategy.signals.values()]
        .filter((v) => v.labels.decision === decision)
        .reduce((a, v) => a + v.value, 0);
    expect([by('proposed'), by('approved'), by('rejected')]).toEqual([7, 6, 1]);
    expect(s.strategy.signals.get({ strategy: 'mr_xrp', decision: 'rejected' })).toBe(1);
    expect(s.strategy.signals.get({ strategy: 'mom_doge', decision: 'approved' })).toBe(3);
  });

  it('venue errors: only Kraken’s own two; RiskManager’s metrics are its view of risk', () => {
    const s = engine();
    expect(s.health.venueErrors.total()).toBe(2);
    expect(s.health.venueErrors.get({ venue: 'kraken' })).toBe(2);
    expect(Object.fromEntries(s.risk.riskLimits)).toEqual({
      galfriday_drawdown_ratio: { value: 0.015, limit: 0.15 },
      galfriday_exposure_ratio: { value: 0.01002, limit: 0.25 },
      galfriday_risk_score: { value: 9.5, limit: 100 },
      galfriday_consecutive_losses: { value: 0, limit: 5 },
      galfriday_equity: { value: 10000.99956, limit: 10000.99956 },
    });
  });

  it('no Kraken asset code anywhere a label could take it', () => {
    const s = engine();
    const labels = JSON.stringify([
      [...s.execution.feesPaid.values()],
      [...s.portfolio.cash.keys()],
      [...s.portfolio.positions.keys()],
      [...s.execution.fills.values()],
      [...s.execution.orders.active.values(), ...s.execution.orders.recentlyClosed.values()].map((o) => [
        o.symbol,
        o.fee_currency,
      ]),
    ]);
    expect(labels).not.toMatch(/ZUSD|XXBT|XXRP|XXDG|XDG|XBT/);
  });
});

describe('Gal Friday, its real code: the shapes it also publishes', () => {
  it('Kraken codes and pair names become common codes', () => {
    expect(
      ['ZUSD', 'ZEUR', 'XXBT', 'XBT', 'XETH', 'XXRP', 'XXDG', 'XDG', 'XBT.M', 'usd'].map(commonCurrency),
    ).toEqual(['USD', 'EUR', 'BTC', 'BTC', 'ETH', 'XRP', 'DOGE', 'DOGE', 'BTC.M', 'USD']);
    expect(
      ['XXBTZUSD', 'XBT/USD', 'XDGUSD', 'XXRPZUSD', 'XETHXXBT', 'ETHXBT', 'DOGE/USD'].map(normalizePair),
    ).toEqual(['BTC/USD', 'BTC/USD', 'DOGE/USD', 'XRP/USD', 'ETH/BTC', 'ETH/BTC', 'DOGE/USD']);
  });

  it('Kraken balances (the bridge’s balances()) are one cash balance per common code', () => {
    const { post, engine } = setup();
    const r = post([
      {
        type: 'balance',
        ts: iso(T0),
        balances: {
          ZUSD: '10000.0000',
          USD: '1.5',
          XXBT: '0.0100000000',
          XXDG: '1000.00000000',
          'XBT.M': '0.5',
        },
        engine: 'galfriday',
      },
    ]);
    expect(r.refused).toEqual([]);
    expect(Object.fromEntries([...engine().portfolio.cash].map(([c, v]) => [c, v.toString()]))).toEqual({
      USD: '10001.5',
      BTC: '0.01',
      DOGE: '1000',
      'BTC.M': '0.5',
    });
  });

  it('WebSocket reports: UNKNOWN status keeps the last one; empty side and pair come from the order', () => {
    const { post, engine } = setup();
    post([placed(T0, S1, 'OWS-1', 'gf-ws', 'LIMIT', '200', '0.501')]);
    post([
      polled(T0 + 5000, S1, 'OWS-1', 'gf-ws', {
        order_status: 'OPEN',
        quantity_ordered: '200',
        quantity_filled: '50',
        average_fill_price: '0.5',
        commission: '0.02',
      }),
    ]);
    // _create_execution_report_from_websocket, FILL_NOTIFICATION (ownTrades): no status, no descr
    // (side and order type "UNKNOWN"), the trade's own vol as quantity_ordered, no vol_exec, one trade's fee.
    const ws = report(T0 + 6000, {
      exchange_order_id: 'OWS-1',
      trading_pair: 'UNKNOWN',
      order_status: 'UNKNOWN',
      order_type: 'UNKNOWN',
      side: 'UNKNOWN',
      quantity_ordered: '50',
      quantity_filled: '0',
      average_fill_price: '0.5',
      commission: '0.02',
      commission_asset: null,
      client_order_id: 'gf-ws',
    });
    // ORDER_UPDATE with an empty side and pair and no exchange order id: found by its client order id.
    const wsUpdate = report(T0 + 7000, {
      exchange_order_id: 'UNKNOWN',
      trading_pair: '',
      order_status: 'OPEN',
      order_type: '',
      side: '',
      quantity_ordered: '200',
      quantity_filled: '120',
      average_fill_price: '0.5005',
      commission: '0.048',
      commission_asset: 'ZUSD',
      client_order_id: 'gf-ws',
    });
    const r = post([ws, wsUpdate]);
    expect(r.refused).toEqual([]);
    const s = engine();
    expect(s.execution.orders.find('OWS-1')).toMatchObject({
      status: 'partially_filled',
      side: 'buy',
      symbol: 'XRP/USD',
      quantity: 200,
      filled_quantity: 120,
      fees: 0.048,
    });
    expect(s.execution.orders.find('gf-ws')).toBeUndefined();
    expect(s.portfolio.positions.get('XRP/USD')!.quantity.toString()).toBe('120');
    expect(s.portfolio.positions.get('XRP/USD')!.fees.toString()).toBe('0.048');
  });

  it('a MARKET fill without an average price is refused alone and carried by the next priced report', () => {
    const { post, engine } = setup();
    post([placed(T0, S2, 'OMK-1', 'gf-m', 'MARKET', '200', null)]);
    const r = post([
      report(T0 + 1000, {
        exchange_order_id: 'OMK-1',
        trading_pair: 'XRP/USD',
        order_status: 'CLOSED',
        order_type: 'MARKET',
        side: 'SELL',
        quantity_ordered: '200',
        quantity_filled: '200',
        client_order_id: 'gf-m',
      }),
      book(T0 + 1000, 'XRP/USD', ['0.50'], ['0.51']),
    ]);
    expect(r.refused).toEqual([
      { index: 0, field: 'average_fill_price', reason: expect.stringContaining('no price') },
    ]);
    expect(r.events.map((e) => e.type)).toEqual(['mark']);
    post([
      polled(T0 + 5000, S2, 'OMK-1', 'gf-m', {
        order_status: 'CLOSED',
        order_type: 'MARKET',
        quantity_ordered: '200',
        quantity_filled: '200',
        average_fill_price: '0.5',
        commission: '0.26',
      }),
    ]);
    expect(engine().portfolio.positions.get('XRP/USD')!.quantity.toString()).toBe('-200');
  });

  it('a repeated and an out-of-order report count once', () => {
    const { post, engine } = setup();
    const r1 = polled(T0 + 1000, S1, 'ORO-1', 'gf-r', {
      order_status: 'OPEN',
      quantity_ordered: '200',
      quantity_filled: '100',
      average_fill_price: '0.5',
      commission: '0.05',
    });
    const r2 = polled(T0 + 2000, S1, 'ORO-1', 'gf-r', {
      order_status: 'CLOSED',
      quantity_ordered: '200',
      quantity_filled: '200',
      average_fill_price: '0.5005',
      commission: '0.11',
    });
    post([r2, r1]); // out of order within a batch
    post([r1]); // stale, later
    post([r2]); // repeated (same event id)
    post([{ ...r2, event_id: uuid() }]); // the same state again under a new id
    const s = engine();
    expect(s.execution.fills.total()).toBe(1);
    const p = s.portfolio.positions.get('XRP/USD')!;
    expect([p.quantity.toString(), p.avgPrice.toString(), p.fees.toString()]).toEqual([
      '200',
      '0.5005',
      '0.11',
    ]);
  });

  it('L2 books give sampled mid-price marks: one a second per pair by event time, none from a one-sided book', () => {
    const { post, engine } = setup();
    const r = post([
      book(T0, 'XRP/USD', ['0.50'], ['0.52']),
      book(T0 + 400, 'XRP/USD', ['0.50'], ['0.54']),
      book(T0 + 400, 'XXDG/ZUSD', ['0.1'], ['0.2']),
      book(T0 + 999, 'XRP/USD', ['0.50'], ['0.56']),
      book(T0 + 1000, 'XRP/USD', ['0.50'], ['0.58']),
      book(T0 + 1500, 'XRP/USD', [], ['0.58']),
      book(T0 + 2100, 'XRP/USD', ['0.50'], ['0.60']),
    ]);
    expect(r.events.map((e) => [e.symbol, e.price])).toEqual([
      ['XRP/USD', '0.51'],
      ['DOGE/USD', '0.15'],
      ['XRP/USD', '0.54'],
      ['XRP/USD', '0.55'],
    ]);
    expect(engine().market.marks.get('XRP/USD')?.price).toBe(0.55);
  });

  it('a round trip whose parts have repeating prices is exactly what the cumulative figures say', () => {
    const { post, engine } = setup();
    const parts = (id: string, s: Signal, states: [string, string][]) =>
      states.map(([cum, avg], i) =>
        polled(T0 + Number(id.slice(-1)) * 100_000 + i * 1000, s, id, `cl-${id}`, {
          order_status: i === states.length - 1 ? 'CLOSED' : 'OPEN',
          quantity_ordered: '21000000',
          quantity_filled: cum,
          average_fill_price: avg,
          commission: '0',
        }),
      );
    // Bought 21 M for 21 M × 0.32 = 6 720 000, sold them for 21 M × 0.32000005 = 6 720 001.05:
    // exactly 1.05, though most parts (2.247 M / 7 M, 2.24000032 M / 7 M, …) have no finite price.
    post(
      parts('OX-1', S1, [
        ['1000000', '0.3'],
        ['4000000', '0.31'],
        ['11000000', '0.317'],
        ['21000000', '0.32'],
      ]),
    );
    post(
      parts('OX-2', S2, [
        ['3000000', '0.32000001'],
        ['10000000', '0.320000035'],
        ['21000000', '0.32000005'],
      ]),
    );
    const p = engine().portfolio.positions.get('XRP/USD')!;
    expect(p.quantity.toString()).toBe('0');
    expect(p.realizedNumber).toBe(1.05);
  });
});

describe('any split of the same cumulative reports gives the same position, fees and PnL', () => {
  it('holds for random splits, repeats and orders', () => {
    // One buy of 12 units at a known cumulative notional and fee; split into k reports.
    const cumulative = fc
      .uniqueArray(fc.integer({ min: 1, max: 11 }), { maxLength: 6 })
      .map((cuts) => [...cuts.sort((a, b) => a - b), 12]);
    fc.assert(
      fc.property(cumulative, fc.boolean(), fc.integer({ min: 1, max: 3 }), (cuts, shuffle, batchSize) => {
        const { post, engine } = setup();
        // Each cumulative state as Kraken would report it: average of 0.5 + cum/1000 (rounded to 6 dp), fee 0.26 %.
        const avgAt = (cum: number) => (0.5 + cum / 1000).toFixed(6);
        const reports = cuts.map((cum, i) =>
          polled(T0 + 1000 * (i + 1), S1, 'OPROP', 'gf-p', {
            order_status: cum === 12 ? 'CLOSED' : 'OPEN',
            quantity_ordered: '12',
            quantity_filled: String(cum),
            average_fill_price: avgAt(cum),
            commission: ((cum * Number(avgAt(cum)) * 26) / 10_000).toFixed(8),
          }),
        );
        const order = shuffle ? [...reports.slice(1), reports[0], reports[reports.length - 1]] : reports;
        for (let i = 0; i < order.length; i += batchSize) post(order.slice(i, i + batchSize));
        const close = polled(T0 + 100_000, S2, 'OPROP-2', 'gf-p2', {
          order_status: 'CLOSED',
          quantity_ordered: '12',
          quantity_filled: '12',
          average_fill_price: '0.55',
          commission: '0.01716',
        });
        post([close]);
        const p = engine().portfolio.positions.get('XRP/USD')!;
        const fullAvg = Number(avgAt(12));
        const fee = Number(((12 * fullAvg * 26) / 10_000).toFixed(8));
        expect(p.quantity.toString()).toBe('0');
        expect(p.fees.toNumber()).toBeCloseTo(fee + 0.01716, 12);
        expect(p.realizedNumber).toBeCloseTo(12 * 0.55 - 12 * fullAvg - fee - 0.01716, 12);
      }),
      { numRuns: 60 },
    );
  });
});
