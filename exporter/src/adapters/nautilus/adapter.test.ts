/**
 * The Nautilus adapter and its pure parts on literal records shaped as NautilusTrader's
 * code writes them (the Python node's to_dict JSON, the Rust node's serde JSON).
 */
import { createNautilusAdapter, causeOf, type KnownNtOrder, type NautilusAdapterDeps } from './adapter';
import { parseJsonExact } from './exact-json';
import { nanosToMs } from './nanos';
import { decodePayload, instrumentOf, type NautilusRecord } from './records';
import { parseReadReply, traderOfKey } from './stream-reply';

const T = 1_796_630_000_000; // epoch ms within the bounds

function record(topic: string, payload: string, extra: Record<string, string> = {}): NautilusRecord {
  return {
    trader: 'TRADER-001',
    stream: 'trader-TRADER-001:stream',
    entry: '1-0',
    fields: { topic, payload, ...extra },
  };
}

function deps(over: Partial<NautilusAdapterDeps> = {}): NautilusAdapterDeps {
  return {
    knownOrder: () => undefined,
    seenEvent: () => false,
    seenFill: () => false,
    reportedRealized: () => undefined,
    lastMarkMs: () => undefined,
    valuationCurrency: 'USDT',
    markIntervalMs: 1000,
    ...over,
  };
}

function adapt(d: NautilusAdapterDeps, records: NautilusRecord[]) {
  const out = createNautilusAdapter(d)(records);
  if (!out.ok) throw new Error('the adapter refused the batch');
  return { events: out.events as Record<string, unknown>[], refused: out.refused ?? [] };
}

/** A Python node's OrderFilled (to_dict, ts_* as nanosecond strings). */
function pyFill(trade: string, qty: string, px: string, fee: string, eventId: string) {
  return record(
    'events.order.EMACross-001',
    JSON.stringify({
      type: 'OrderFilled',
      trader_id: 'TRADER-001',
      strategy_id: 'EMACross-001',
      instrument_id: 'ETHUSDT.BINANCE',
      client_order_id: 'O-1',
      venue_order_id: 'V-1',
      account_id: 'BINANCE-001',
      trade_id: trade,
      position_id: 'P-1',
      order_side: 'BUY',
      order_type: 'LIMIT',
      last_qty: qty,
      last_px: px,
      currency: 'USDT',
      commission: fee,
      liquidity_side: 'MAKER',
      event_id: eventId,
      ts_event: `${T + 1000}123456`,
      ts_init: `${T + 1000}123456`,
      info: {},
      reconciliation: false,
    }),
  );
}

const known: KnownNtOrder = {
  symbol: 'ETH/USDT',
  venue: 'BINANCE',
  side: 'buy',
  order_type: 'limit',
  status: 'partially_filled',
  quantity: '2',
  filled_quantity: '0.5',
  avg_fill_price: '2000',
  limit_price: '2000',
  fees: '0.2',
  fee_currency: 'USDT',
  strategy: 'EMACross-001',
  created_at: T,
};

describe('exact JSON and nanoseconds', () => {
  test('integers past 2^53 stay exact; fractions, exponents and strings are left alone', () => {
    const parsed = parseJsonExact(
      '{"ts":1796630000123999999,"r":0.016666666666666666,"e":1e1234567890123456,"s":"1796630000123999999 x","n":-1234567890123456789}',
    );
    expect(parsed).toEqual({
      ts: '1796630000123999999',
      r: 0.016666666666666666,
      e: Infinity,
      s: '1796630000123999999 x',
      n: '-1234567890123456789',
    });
  });

  test('nanoseconds to the millisecond they fall in, from digits, safe integers and ISO 8601', () => {
    expect(nanosToMs('1796630000123999999')).toBe(1_796_630_000_123);
    expect(nanosToMs(1_796_630_000_123_000)).toBe(1_796_630_000); // a small integer: still nanoseconds
    expect(nanosToMs(Number('1796630000123999999'))).toBeNull(); // rounded already: refused, never guessed
    expect(nanosToMs('2026-12-07T10:00:00.123999999Z')).toBe(Date.UTC(2026, 11, 7, 10, 0, 0, 123));
    expect(nanosToMs('2026-12-07T10:00:00.5+01:00')).toBe(Date.UTC(2026, 11, 7, 9, 0, 0, 500));
    expect(nanosToMs('yesterday')).toBeNull();
    expect(nanosToMs(-5)).toBeNull();
  });
});

describe('instrument ids and stream keys', () => {
  test.each([
    ['BTCUSDT.BINANCE', 'BTC/USDT', 'BINANCE'],
    ['ETHUSDT-PERP.BINANCE', 'ETH/USDT', 'BINANCE'],
    ['BTC/USD.SIM', 'BTC/USD', 'SIM'],
    ['BTC-USD.COINBASE', 'BTC/USD', 'COINBASE'],
    ['ETH-USD-PERP.DYDX', 'ETH/USD', 'DYDX'],
    ['XBTUSD.BITMEX', 'XBT/USD', 'BITMEX'],
    ['BTCTUSD.BINANCE', 'BTC/TUSD', 'BINANCE'],
    ['OPUSDT.BINANCE', 'OP/USDT', 'BINANCE'],
    ['AAPL.XNAS', 'AAPL/XNAS', 'XNAS'],
  ])('%s is %s on %s', (id, symbol, venue) => {
    expect(instrumentOf(id)).toEqual({ symbol, venue });
  });

  test('the trader id of a key, with or without the trader- prefix', () => {
    expect(traderOfKey('trader-TRADER-001:stream:events.order.S-1')).toBe('TRADER-001');
    expect(traderOfKey('TRADER-002:stream')).toBe('TRADER-002');
    expect(traderOfKey('trader-:stream')).toBeNull();
  });

  test('XREADGROUP replies: entries, and a pending entry trimmed away (null fields)', () => {
    expect(
      parseReadReply([
        [
          'k',
          [
            ['1-0', ['topic', 't', 'payload', '{}']],
            ['2-0', null],
          ],
        ],
      ]),
    ).toEqual([
      {
        key: 'k',
        entries: [
          { id: '1-0', fields: { topic: 't', payload: '{}' } },
          { id: '2-0', fields: null },
        ],
      },
    ]);
    expect(parseReadReply(null)).toEqual([]);
    expect(() => parseReadReply([['k', [['1-0', ['odd']]]]])).toThrow(/field\/value pairs/);
  });
});

describe('record shapes', () => {
  test('a Rust OrderEventAny is unwrapped by variant; a Python dict names its type', () => {
    const rust = record('events.order.S', '{"Canceled":{"type":"OrderCanceled","client_order_id":"O-1"}}', {
      type: 'OrderEventAny',
      encoding: 'json',
    });
    expect(decodePayload(rust)).toEqual({
      type: 'OrderCanceled',
      body: { type: 'OrderCanceled', client_order_id: 'O-1' },
    });
    const closed = record('events.position.S', '{"PositionClosed":{"realized_pnl":"1.00 USD"}}');
    expect(decodePayload(closed).type).toBe('PositionClosed');
    const py = record('events.order.S', '{"type":"OrderAccepted","client_order_id":"O-1"}');
    expect(decodePayload(py).type).toBe('OrderAccepted');
  });

  test("the Rust AccountState is named by the record's type field, or by its topic before v1.229", () => {
    const body = '{"account_id":"A-1","balances":[]}';
    expect(decodePayload(record('events.account.A-1', body, { type: 'AccountState' })).type).toBe(
      'AccountState',
    );
    expect(decodePayload(record('events.account.A-1', body)).type).toBe('AccountState');
  });

  test('msgpack and truncated JSON are refused with their cause', () => {
    expect(() => decodePayload(record('events.order.S', '\x85\xa4type', { encoding: 'msgpack' }))).toThrow(
      expect.objectContaining({ why: 'unsupported_encoding' }),
    );
    expect(() => decodePayload(record('events.order.S', '{"type":"OrderFilled","last_q'))).toThrow(
      expect.objectContaining({ why: 'malformed_json' }),
    );
  });
});

describe('the adapter', () => {
  test("a fill already applied, then a new one in the same batch: the order's cumulative state counts each once", () => {
    const d = deps({
      knownOrder: (_e, id) => (id === 'O-1' ? known : undefined),
      seenFill: (_e, fillId) => fillId === 'O-1:T-1',
    });
    const { events, refused } = adapt(d, [
      // Reported again by a reconciliation: a new event id, the same trade.
      pyFill('T-1', '0.500', '2000.00', '0.20000000 USDT', 'e-1-reconciled'),
      pyFill('T-2', '1.500', '1999.50', '0.59985000 USDT', 'e-2'),
    ]);
    expect(refused).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'fill',
        id: 'nt:e-2',
        fill_id: 'O-1:T-2',
        quantity: '1.500',
        fee: '0.59985000',
        ts: T + 1000,
      }),
      expect.objectContaining({
        type: 'order',
        id: 'nt:e-2:order',
        status: 'filled',
        filled_quantity: '2',
        avg_fill_price: '1999.625',
        fees: '0.79985',
      }),
    ]);
  });

  test('two copies of one fill in one batch (the single-stream mode): one fill', () => {
    const d = deps({ knownOrder: () => ({ ...known, filled_quantity: '0', fees: '0', status: 'new' }) });
    const copy = pyFill('T-1', '0.500', '2000.00', '0.20000000 USDT', 'e-1');
    const { events } = adapt(d, [
      copy,
      { ...copy, fields: { ...copy.fields, topic: 'events.order.EMACross-001' } },
    ]);
    expect(events.filter((e) => e.type === 'fill')).toHaveLength(1);
    expect(events.find((e) => e.type === 'order')).toMatchObject({
      filled_quantity: '0.5',
      status: 'partially_filled',
    });
  });

  test('bad records are refused alone, each with its cause; the good one goes on', () => {
    const d = deps({ knownOrder: () => known });
    const wrongType = JSON.parse(pyFill('T-9', '1', '1', '0 USDT', 'e-9').fields.payload) as Record<
      string,
      unknown
    >;
    wrongType.last_qty = 1.5; // a number where Nautilus writes a string
    const { events, refused } = adapt(d, [
      record('events.order.S', '{"type":"OrderFilled"'),
      record('events.order.S', '{"type":"OrderTeleported","event_id":"e-5"}'),
      record('events.order.S', JSON.stringify(wrongType)),
      pyFill('T-2', '1.500', '1999.50', '0.59985000 USDT', 'e-2'),
      { trader: 'TRADER-001', stream: 's', entry: '9-0', fields: { payload: '{}' } },
    ]);
    expect(refused.map((p) => [p.index, causeOf(p), p.field])).toEqual([
      [0, 'malformed_json', 'payload'],
      [1, 'unknown_type', 'type'],
      [2, 'schema', 'last_qty'],
      [4, 'malformed_record', 'fields'],
    ]);
    expect(events.map((e) => e.type)).toEqual(['fill', 'order']);
  });

  test('a maker rebate (negative commission) keeps its fill, without a fee', () => {
    const { events } = adapt(deps(), [pyFill('T-1', '1', '2000', '-0.10000000 USDT', 'e-1')]);
    expect(events).toHaveLength(1);
    expect(events[0]).not.toHaveProperty('fee');
  });

  test('a flood of quotes: one mark per symbol per mark interval of event time', () => {
    const quotes: NautilusRecord[] = [];
    for (let i = 0; i < 3000; i++)
      quotes.push(
        record(
          'data.quotes.BINANCE.BTCUSDT',
          `{"type":"QuoteTick","instrument_id":"BTCUSDT.BINANCE","bid_price":"100.0","ask_price":"100.2","bid_size":"1","ask_size":"1","ts_event":${T + i}000000,"ts_init":${T + i}000000}`,
        ),
      );
    const { events } = adapt(deps({ lastMarkMs: () => T - 200 }), quotes);
    // The store's mark is 200 ms old: the next at T + 800, then every 1,000 ms.
    expect(events.map((e) => [e.ts, e.price])).toEqual([
      [T + 800, '100.1'],
      [T + 1800, '100.1'],
      [T + 2800, '100.1'],
    ]);
  });

  test("PositionClosed adds Nautilus's realized PnL (valuation currency only) to the reported figure", () => {
    const closed = (pnl: string, id: string) =>
      record(
        'events.position.S',
        `{"PositionClosed":{"realized_pnl":"${pnl}","event_id":"${id}","ts_event":${T}000000,"ts_closed":${T}000000}}`,
        { type: 'PositionEvent' },
      );
    const { events } = adapt(deps({ reportedRealized: () => '10.5' }), [
      closed('19.14615000 USDT', 'p-1'),
      closed('3.00 EUR', 'p-2'),
      closed('-1.14615000 USDT', 'p-3'),
    ]);
    expect(
      events.map((e) => (e.limits as Record<string, { value: number }>).engine_reported_realized_pnl.value),
    ).toEqual([29.64615, 28.5]);
  });
});
