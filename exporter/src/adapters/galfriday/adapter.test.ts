/**
 * Gal Friday dictionaries built as its `Event.to_dict()` writes them (dataclass fields in
 * declaration order; event_id and UUIDs as str(); timestamp.isoformat(); Decimals as
 * str(); None as null; event_type as the enum's integer), applied to a real Store through
 * the adapter, exactly as POST /api/v1/events?format=galfriday does.
 */
import { validateBatch } from '../../events/validate';
import { GF, normalizePair, parseIsoTime, type GalFridayOptions } from './adapter';
import { Store } from '../../state/store';
import { galFridayAdapterFor } from './wiring';

const T0 = Date.parse('2026-03-02T10:00:00Z');
let uuidCounter = 0;
const uuid = () => `6f1c2a4e-0000-4000-8000-${String(++uuidCounter).padStart(12, '0')}`;
/** datetime.isoformat() of an aware UTC datetime with microseconds. */
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '000+00:00');

/** ExecutionReportEvent.to_dict(): every dataclass field, in order. */
function executionReport(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source_module: 'ExecutionHandler',
    event_id: uuid(),
    timestamp: iso(T0),
    exchange_order_id: 'OQCLML-BW3P3-BUCMWZ',
    trading_pair: 'XRP/USD',
    exchange: 'kraken',
    order_status: 'NEW',
    order_type: 'LIMIT',
    side: 'BUY',
    quantity_ordered: '300.00000000',
    signal_id: 'a1b2c3d4-0000-4000-8000-000000000001',
    client_order_id: 'gf-1',
    quantity_filled: '0',
    average_fill_price: null,
    limit_price: '0.51230',
    stop_price: null,
    commission: null,
    commission_asset: null,
    timestamp_exchange: iso(T0 - 5),
    error_message: null,
    event_type: GF.EXECUTION_REPORT,
    ...over,
  };
}

function setup(options: Partial<Omit<GalFridayOptions, 'knownOrder'>> = {}) {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const adapt = galFridayAdapterFor(store, {
    engine: 'galfriday',
    fills: 'execution_report',
    ...options,
  });
  /** What the HTTP route does: adapt, validate, apply (duplicates by event id skipped). */
  const post = (dicts: Record<string, unknown>[]) => {
    const adapted = adapt(dicts);
    const batch = validateBatch(adapted.events);
    if (!batch.ok) throw new Error(`adapter produced invalid events: ${JSON.stringify(batch.problems)}`);
    store.apply(batch.events.filter((e) => !store.isDuplicate(e)));
    return adapted;
  };
  const engine = () => store.engine('galfriday');
  return { store, adapt, post, engine };
}

describe('Gal Friday adapter', () => {
  it('derives fills from a partially filled order reported three times with cumulative figures', () => {
    const { post, engine } = setup();
    post([executionReport()]);
    post([
      executionReport({
        timestamp: iso(T0 + 1000),
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '100',
        average_fill_price: '0.5120',
        commission: '0.13312',
        commission_asset: 'USD',
      }),
    ]);
    post([
      executionReport({
        timestamp: iso(T0 + 2000),
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '250',
        average_fill_price: '0.5122',
        commission: '0.33293',
        commission_asset: 'USD',
      }),
    ]);
    post([
      executionReport({
        timestamp: iso(T0 + 3000),
        order_status: 'FILLED',
        quantity_filled: '300.00000000',
        average_fill_price: '0.51223',
        commission: '0.39952',
        commission_asset: 'USD',
      }),
    ]);

    const s = engine();
    const position = s.portfolio.positions.get('XRP/USD')!;
    expect(position.quantity.toString()).toBe('300');
    // Cost = 300 × 0.51223 exactly, whatever the parts were.
    expect(position.avgPrice.toNumber()).toBeCloseTo(0.51223, 12);
    expect(position.fees.toNumber()).toBeCloseTo(0.39952, 12);
    expect(s.execution.fills.total()).toBe(3);
    expect(s.execution.recentFills.map((f) => [f.quantity, f.fee])).toEqual([
      [100, 0.13312],
      [150, expect.closeTo(0.19981, 12)],
      [50, expect.closeTo(0.06659, 12)],
    ]);
    // Part prices implied by the averages: 0.5120, then (250·0.5122 − 100·0.5120)/150, then (300·0.51223 − 250·0.5122)/50.
    expect(s.execution.recentFills[1].price).toBeCloseTo((250 * 0.5122 - 100 * 0.512) / 150, 10);
    expect(s.execution.recentFills[2].price).toBeCloseTo((300 * 0.51223 - 250 * 0.5122) / 50, 10);
    expect(s.execution.orders.active.size).toBe(0);
    expect(s.execution.orders.find('OQCLML-BW3P3-BUCMWZ')).toMatchObject({
      status: 'filled',
      filled_quantity: 300,
      fees: 0.39952,
      venue: 'kraken',
    });
  });

  it('counts a duplicate report once, and a stale or out-of-order one not at all', () => {
    const { post, engine } = setup();
    const second = executionReport({
      timestamp: iso(T0 + 2000),
      order_status: 'PARTIALLY_FILLED',
      quantity_filled: '250',
      average_fill_price: '0.5122',
      commission: '0.33293',
      commission_asset: 'USD',
    });
    post([
      executionReport({
        timestamp: iso(T0 + 1000),
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '100',
        average_fill_price: '0.5120',
        commission: '0.13312',
        commission_asset: 'USD',
      }),
    ]);
    post([second]);
    post([second]); // the same event again (same event_id)
    post([{ ...second, event_id: uuid() }]); // the same report republished under a new event id
    // A late copy of the first report: lower cumulative figures.
    post([
      executionReport({
        timestamp: iso(T0 + 3000),
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '100',
        average_fill_price: '0.5120',
        commission: '0.13312',
        commission_asset: 'USD',
      }),
    ]);
    const s = engine();
    expect(s.portfolio.positions.get('XRP/USD')!.quantity.toString()).toBe('250');
    expect(s.execution.fills.total()).toBe(2);
    expect(s.portfolio.positions.get('XRP/USD')!.fees.toNumber()).toBeCloseTo(0.33293, 12);
    // The order keeps its highest cumulative state.
    expect(s.execution.orders.find('OQCLML-BW3P3-BUCMWZ')).toMatchObject({
      filled_quantity: 250,
      fees: 0.33293,
      status: 'partially_filled',
    });

    // Reports out of order inside one batch: the higher one first.
    const { post: post2, engine: engine2 } = setup();
    post2([
      executionReport({
        timestamp: iso(T0 + 2000),
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '250',
        average_fill_price: '0.5122',
        commission: '0.33293',
        commission_asset: 'USD',
      }),
      executionReport({
        timestamp: iso(T0 + 1000),
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '100',
        average_fill_price: '0.5120',
        commission: '0.13312',
        commission_asset: 'USD',
      }),
    ]);
    expect(engine2().portfolio.positions.get('XRP/USD')!.quantity.toString()).toBe('250');
    expect(engine2().execution.fills.total()).toBe(1);
  });

  it('maps each status alias', () => {
    const { adapt } = setup();
    const cases: [string, string, string][] = [
      ['NEW', '0', 'new'],
      ['PENDING', '0', 'new'],
      ['OPEN', '0', 'new'],
      ['OPEN', '10', 'partially_filled'], // Kraken "open" with something executed
      ['PARTIALLY_FILLED', '10', 'partially_filled'],
      ['FILLED', '300', 'filled'],
      ['CLOSED', '300', 'filled'],
      ['CANCELED', '0', 'canceled'],
      ['CANCELLED', '10', 'canceled'],
      ['REJECTED', '0', 'rejected'],
      ['EXPIRED', '0', 'expired'],
    ];
    for (const [status, filled, expected] of cases) {
      const r = adapt([
        executionReport({
          order_status: status,
          quantity_filled: filled,
          average_fill_price: filled === '0' ? null : '0.5',
        }),
      ]);
      expect(r.ok && r.events[0]).toMatchObject({ type: 'order', status: expected });
    }
  });

  it('reads upper-case enums, exponent Decimals, naive and offset times', () => {
    const { adapt } = setup();
    const r = adapt([
      executionReport({
        side: 'SELL',
        order_type: 'STOP_LIMIT',
        quantity_ordered: '3E+2',
        stop_price: '0.50',
        timestamp: '2026-03-02T10:00:00.250000',
      }),
    ]);
    expect(r.ok).toBe(true);
    expect(r.ok && r.events[0]).toMatchObject({
      side: 'sell',
      order_type: 'stop_limit',
      quantity: '300',
      stop_price: '0.5',
      ts: T0 + 250,
    });
    expect(parseIsoTime('2026-03-02T12:00:00+02:00')).toBe(T0);
    expect(parseIsoTime('2026-03-02T10:00:00')).toBe(T0);
    expect(parseIsoTime('yesterday')).toBeUndefined();
    expect(normalizePair('XRPUSD')).toBe('XRP/USD');
    expect(normalizePair('doge/usd')).toBe('DOGE/USD');
  });

  it('maps market data, signals, halts, errors and risk alerts; ignores what it cannot observe', () => {
    const { adapt } = setup();
    const common = (type: number) => ({
      source_module: 'X',
      event_id: uuid(),
      timestamp: iso(T0),
      event_type: type,
    });
    const r = adapt([
      {
        ...common(GF.MARKET_DATA_TICKER),
        trading_pair: 'DOGE/USD',
        exchange: 'kraken',
        timestamp_exchange: iso(T0),
        bid: '0.16010',
        bid_size: '1000',
        ask: '0.16020',
        ask_size: '900',
        last_price: '0.16015',
        last_size: '50',
        volume_24h: '1',
        vwap_24h: '0.16',
        high_24h: '0.17',
        low_24h: '0.15',
        trades_24h: 10,
      },
      {
        ...common(GF.MARKET_DATA_L2),
        trading_pair: 'XRP/USD',
        exchange: 'kraken',
        bids: [
          ['0.5100', '10'],
          ['0.5110', '5'],
        ],
        asks: [
          ['0.5130', '7'],
          ['0.5120', '3'],
        ],
        is_snapshot: true,
        timestamp_exchange: null,
      },
      {
        ...common(GF.TRADE_SIGNAL_PROPOSED),
        signal_id: 'sig-1',
        trading_pair: 'XRP/USD',
        exchange: 'kraken',
        side: 'BUY',
        entry_type: 'LIMIT',
        proposed_sl_price: '0.50',
        proposed_tp_price: '0.53',
        strategy_id: 'mr_v2',
        proposed_entry_price: '0.512',
        triggering_prediction_event_id: null,
        triggering_prediction: null,
      },
      {
        ...common(GF.TRADE_SIGNAL_APPROVED),
        signal_id: 'sig-1',
        trading_pair: 'XRP/USD',
        exchange: 'kraken',
        side: 'BUY',
        order_type: 'LIMIT',
        quantity: '300',
        sl_price: '0.50',
        tp_price: '0.53',
        risk_parameters: { risk_pct: '0.5' },
        limit_price: '0.512',
      },
      {
        ...common(GF.TRADE_SIGNAL_REJECTED),
        signal_id: 'sig-2',
        trading_pair: 'DOGE/USD',
        exchange: 'kraken',
        side: 'SELL',
        reason: 'max exposure',
      },
      {
        ...common(GF.TRADE_SIGNAL_APPROVED),
        trading_pair: 'XRP/USD',
        quantity: '300',
        side: 'SELL',
        order_type: 'MARKET',
      }, // ClosePositionCommand
      {
        ...common(GF.SYSTEM_STATE_CHANGE),
        new_state: 'HALTED',
        reason: 'max drawdown 10% reached',
        halt_action: 'LIQUIDATE_POSITIONS',
      },
      {
        ...common(GF.SYSTEM_STATE_CHANGE),
        new_state: 'maintenance',
        reason: 'Kraken WS Status Update: maintenance',
        halt_action: null,
      },
      { ...common(GF.POTENTIAL_HALT_TRIGGER), reason: 'API error rate 12%' },
      {
        ...common(GF.SYSTEM_ERROR),
        error_message: 'EAPI:Rate limit exceeded',
        http_status: 429,
        endpoint: '/0/private/AddOrder',
        request_data: null,
        retry_attempted: true,
      },
      {
        ...common(GF.RISK_LIMIT_ALERT),
        event_name: 'risk.threshold.alerts',
        data: {
          type: 'RiskThresholdAlerts',
          alerts: [{ level: 'CRITICAL', message: 'Drawdown 10.2% over 10%', metric: 'drawdown' }],
          metrics: { drawdown_pct: 10.2 },
        },
      },
      {
        ...common(GF.PREDICTION_GENERATED),
        trading_pair: 'XRP/USD',
        exchange: 'kraken',
        timestamp_prediction_for: iso(T0),
        model_id: 'm',
        prediction_target: 't',
        prediction_value: 0.6,
        confidence: null,
        associated_features: null,
      },
      { ...common(GF.PORTFOLIO_UPDATE) },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.ignored).toBe(3); // ClosePositionCommand, prediction, portfolio update
    const byType = (t: string) => r.events.filter((e) => e.type === t);
    expect(byType('mark')).toEqual([
      expect.objectContaining({ symbol: 'DOGE/USD', price: '0.16015', bid: '0.1601', ask: '0.1602' }),
      expect.objectContaining({ symbol: 'XRP/USD', price: '0.5115', bid: '0.511', ask: '0.512' }),
    ]);
    expect(byType('signal')).toEqual([
      expect.objectContaining({ signal_id: 'sig-1', decision: 'proposed', strategy: 'mr_v2', side: 'buy' }),
      expect.objectContaining({ signal_id: 'sig-1', decision: 'approved', strategy: 'mr_v2' }),
      expect.objectContaining({
        signal_id: 'sig-2',
        decision: 'rejected',
        reason: 'max exposure',
        side: 'sell',
      }),
    ]);
    expect(byType('risk')).toEqual([
      expect.objectContaining({ halted: true, halt_reason: 'max drawdown 10% reached' }),
    ]);
    expect(byType('health')).toEqual([
      expect.objectContaining({ component: 'X', status: 'down' }),
      expect.objectContaining({
        component: 'X',
        error: 'EAPI:Rate limit exceeded',
        endpoint: '/0/private/AddOrder',
      }),
    ]);
    expect(byType('alert')).toEqual([
      expect.objectContaining({ name: 'potential_halt_trigger', severity: 'warning' }),
      expect.objectContaining({ name: 'drawdown', severity: 'critical', message: 'Drawdown 10.2% over 10%' }),
    ]);
  });

  it('takes fills from FILL events instead when told, and then never from reports', () => {
    const { post, engine } = setup({ fills: 'fill_event' });
    post([
      executionReport({
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '100',
        average_fill_price: '0.5120',
        commission: '0.13',
        commission_asset: 'USD',
      }),
      {
        source_module: 'KrakenWS',
        event_id: uuid(),
        timestamp: iso(T0 + 10),
        order_id: 'OQCLML-BW3P3-BUCMWZ',
        fill_id: 'TDLH43-DVQXD-2KHVYY',
        trading_pair: 'XRP/USD',
        side: 'BUY',
        price: '0.5120',
        quantity: '100',
        fee: '0.13',
        event_type: GF.FILL,
      },
    ]);
    expect(engine().execution.fills.total()).toBe(1);
    expect(engine().portfolio.positions.get('XRP/USD')!.quantity.toString()).toBe('100');
    // In the default mode the same FILL event is left out (the report already counted it).
    const other = setup();
    const r = other.adapt([
      {
        source_module: 'KrakenWS',
        event_id: uuid(),
        timestamp: iso(T0),
        order_id: 'o',
        fill_id: 'f',
        trading_pair: 'XRP/USD',
        side: 'BUY',
        price: '1',
        quantity: '1',
        fee: '0',
        event_type: GF.FILL,
      },
    ]);
    expect(r.ok && r.events).toEqual([]);
  });

  it('refuses a report whose cumulative notional falls while its quantity rises; the next report books the quantity at a sane price', () => {
    // Issue 25: 100 @ 0.5, then 200 with an average of 0.1 (the notional falls from 50 to 20),
    // then 300 @ 0.5: the rise was booked at 0.1 and the next part at 13.1, 26x the limit.
    const { post, engine } = setup();
    const report = (ms: number, filled: string, avg: string, status = 'PARTIALLY_FILLED') =>
      executionReport({
        timestamp: iso(T0 + ms),
        order_status: status,
        quantity_filled: filled,
        average_fill_price: avg,
        limit_price: '0.5',
      });
    expect(post([report(1000, '100', '0.5')]).refused).toEqual([]);
    expect(post([report(2000, '200', '0.1')]).refused).toEqual([
      {
        index: 0,
        field: 'average_fill_price',
        reason: expect.stringContaining(
          'cumulative notional fell from 50 to 20 while quantity_filled rose to 200',
        ),
      },
    ]);
    expect(post([report(3000, '300', '0.5', 'FILLED')]).refused).toEqual([]);
    const s = engine();
    expect(s.execution.recentFills.map((f) => [f.quantity, f.price])).toEqual([
      [100, 0.5],
      [200, 0.5],
    ]);
    expect(s.portfolio.positions.get('XRP/USD')!.avgPrice.toNumber()).toBe(0.5);
  });

  it('still books a tiny part whose rounded average implies a price of zero, at the average', () => {
    const { post, engine } = setup();
    post([
      executionReport({
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '100',
        average_fill_price: '0.51230',
      }),
    ]);
    // 100.001 at an average rounded down by one in the fifth digit: the notional falls by 0.00087.
    const r = post([
      executionReport({
        timestamp: iso(T0 + 1000),
        order_status: 'PARTIALLY_FILLED',
        quantity_filled: '100.001',
        average_fill_price: '0.51229',
      }),
    ]);
    expect(r.refused).toEqual([]);
    expect(engine().execution.recentFills.map((f) => [f.quantity, f.price])).toEqual([
      [100, 0.5123],
      [0.001, 0.51229],
    ]);
  });

  it('refuses a report that fills more than the order, naming quantity_filled', () => {
    const { post, engine } = setup();
    post([executionReport()]);
    const r = post([
      executionReport({
        timestamp: iso(T0 + 1000),
        order_status: 'FILLED',
        quantity_filled: '400',
        average_fill_price: '0.5123',
      }),
    ]);
    expect(r.refused).toEqual([
      {
        index: 0,
        field: 'quantity_filled',
        reason: expect.stringContaining("400 exceeds the order's quantity 300"),
      },
    ]);
    expect(engine().execution.fills.total()).toBe(0);
    expect(engine().execution.orders.find('OQCLML-BW3P3-BUCMWZ')).toMatchObject({
      status: 'new',
      filled_quantity: 0,
    });
  });

  it('refuses each unusable dictionary alone, by index and Gal Friday field; the rest of the batch applies', () => {
    const { post, engine } = setup();
    const r = post([
      executionReport(),
      executionReport({ exchange_order_id: 'O-2', order_status: 'UNKNOWN' }),
      executionReport({ quantity_ordered: 'lots' }),
      executionReport({
        quantity_filled: '10',
        average_fill_price: null,
        limit_price: null,
        order_type: 'MARKET',
      }),
      executionReport({ event_type: 'EXECUTION_REPORT' }),
      executionReport({ timestamp: 'now' }),
      executionReport({ quantity_ordered: '-1' }),
      'not an object',
    ]);
    expect(r.refused).toEqual([
      { index: 2, field: 'quantity_ordered', reason: expect.stringContaining('Decimal string') },
      { index: 3, field: 'average_fill_price', reason: expect.stringContaining('no price') },
      { index: 4, field: 'event_type', reason: expect.stringContaining('integer EventType') },
      { index: 5, field: 'timestamp', reason: expect.stringContaining('isoformat()') },
      { index: 6, field: 'quantity_ordered', reason: expect.stringContaining('greater than 0') },
      { index: 7, field: '', reason: expect.stringContaining('JSON object') },
    ]);
    // The usable ones applied: the first report, and the UNKNOWN status of a new order taken as new.
    expect([...engine().execution.orders.active.values()].map((o) => [o.order_id, o.status])).toEqual([
      ['OQCLML-BW3P3-BUCMWZ', 'new'],
      ['O-2', 'new'],
    ]);
    expect(engine().execution.fills.total()).toBe(0);
  });
});
