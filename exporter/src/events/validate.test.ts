import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateBatch, validateEvent } from './validate';
import { decodeEvents } from './decode';

const TS = '2026-03-02T10:00:00Z';
const TS_MS = Date.parse(TS);

/** One valid example of every event type (the same ones docs/events.md shows). */
export const VALID: Record<string, Record<string, unknown>> = {
  order: {
    type: 'order',
    ts: TS,
    engine: 'e1',
    order_id: 'o-1',
    symbol: 'BTC/USD',
    side: 'buy',
    order_type: 'limit',
    status: 'new',
    quantity: '0.5',
    limit_price: '64000',
  },
  fill: {
    type: 'fill',
    ts: TS,
    engine: 'e1',
    fill_id: 'f-1',
    order_id: 'o-1',
    symbol: 'BTC/USD',
    side: 'buy',
    price: 64000,
    quantity: 0.25,
    fee: '4.16',
    fee_currency: 'USD',
    liquidity: 'maker',
  },
  mark: { type: 'mark', ts: TS_MS, symbol: 'BTC/USD', price: 64010.5, bid: 64010, ask: 64011 },
  balance: { type: 'balance', ts: TS, balances: { USD: '100000.00', BTC: 0 }, valuation_currency: 'USD' },
  risk: {
    type: 'risk',
    ts: TS,
    halted: true,
    halt_reason: 'max drawdown',
    limits: { drawdown: { value: 0.04, limit: 0.1 } },
  },
  strategy: {
    type: 'strategy',
    ts: TS,
    strategy: 'momentum',
    state: 'active',
    from_strategy: 'mean_reversion',
    to_strategy: 'momentum',
  },
  signal: {
    type: 'signal',
    ts: TS,
    signal_id: 's-1',
    symbol: 'XRP/USD',
    side: 'sell',
    decision: 'rejected',
    strategy: 'momentum',
    reason: 'exposure limit',
  },
  health: {
    type: 'health',
    ts: TS,
    component: 'kraken_api',
    status: 'degraded',
    latency_seconds: 0.42,
    error: 'EAPI:Rate limit exceeded',
    endpoint: 'AddOrder',
    venue: 'kraken',
  },
  alert: {
    type: 'alert',
    ts: TS,
    name: 'stale_market_data',
    severity: 'warning',
    message: 'no book update for 60 s',
    labels: { symbol: 'XRP/USD' },
  },
  snapshot: {
    type: 'snapshot',
    ts: TS,
    orders: [
      {
        order_id: 'o-2',
        symbol: 'ETH/USD',
        side: 'sell',
        order_type: 'limit',
        status: 'partially_filled',
        quantity: 2,
        filled_quantity: 1,
        limit_price: 3300,
      },
    ],
    positions: [{ symbol: 'ETH/USD', quantity: -1, avg_price: 3300 }],
    balances: { USD: 50000 },
  },
};

const problemsOf = (raw: unknown) => {
  const r = validateEvent(raw, 0);
  if (!Array.isArray(r)) throw new Error(`expected problems, got a valid ${r.type} event`);
  return r;
};

describe('event schema v1: every type validates and normalizes', () => {
  it.each(Object.entries(VALID))('%s', (type, raw) => {
    const r = validateEvent(raw, 0);
    expect(Array.isArray(r)).toBe(false);
    if (Array.isArray(r)) return;
    expect(r.type).toBe(type);
    expect(r.ts).toBe(TS_MS); // RFC 3339 and epoch ms both become epoch ms
  });

  it('defaults the engine to "default" and converts decimal strings to numbers', () => {
    const r = validateEvent(VALID.balance, 0);
    if (Array.isArray(r) || r.type !== 'balance') throw new Error('invalid');
    expect(r.engine).toBe('default');
    expect(r.balances).toEqual({ USD: 100000, BTC: 0 });
    const o = validateEvent(VALID.order, 0);
    if (Array.isArray(o) || o.type !== 'order') throw new Error('invalid');
    expect(o.quantity).toBe(0.5);
    expect(o.filled_quantity).toBe(0);
    expect(o.fees).toBe(0);
  });

  it('upper-cases symbols so BTC/usd and BTC/USD are one market', () => {
    const r = validateEvent({ ...VALID.mark, symbol: 'btc/usd' }, 0);
    expect(!Array.isArray(r) && r.type === 'mark' && r.symbol).toBe('BTC/USD');
  });
});

describe('event schema v1: bad input names the field and the reason', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['not an object', 42, '', /JSON object/],
    ['an array as an event', [VALID.mark], '', /JSON object/],
    ['missing type', { ts: TS }, 'type', /required/],
    ['unknown type', { ...VALID.mark, type: 'trade' }, 'type', /unknown event type "trade"/],
    ['missing ts', { ...VALID.mark, ts: undefined }, 'ts', /required/],
    ['bad ts string', { ...VALID.mark, ts: 'yesterday' }, 'ts', /RFC 3339/],
    ['fractional epoch', { ...VALID.mark, ts: 1.5 }, 'ts', /integer/],
    ['missing order_id', { ...VALID.order, order_id: undefined }, 'order_id', /required/],
    ['missing quantity', { ...VALID.order, quantity: undefined }, 'quantity', /required/],
    ['quantity as a word', { ...VALID.order, quantity: 'lots' }, 'quantity', /decimal/],
    ['quantity a boolean', { ...VALID.order, quantity: true }, 'quantity', /./],
    ['negative quantity', { ...VALID.order, quantity: -1 }, 'quantity', /greater than 0/],
    ['zero quantity', { ...VALID.order, quantity: 0 }, 'quantity', /greater than 0/],
    ['zero price', { ...VALID.fill, price: '0' }, 'price', /greater than 0/],
    ['negative price', { ...VALID.mark, price: -3 }, 'price', /greater than 0/],
    ['infinite quantity', { ...VALID.fill, quantity: '1e400' }, 'quantity', /finite/],
    ['NaN as a string', { ...VALID.fill, quantity: 'NaN' }, 'quantity', /decimal/],
    [
      'filled above quantity',
      { ...VALID.order, status: 'partially_filled', filled_quantity: 0.6 },
      'filled_quantity',
      /must not exceed quantity/,
    ],
    ['negative fee', { ...VALID.fill, fee: -1 }, 'fee', /negative/],
    ['unknown side', { ...VALID.order, side: 'BUY' }, 'side', /./],
    ['unknown status', { ...VALID.order, status: 'open' }, 'status', /./],
    ['unknown order_type', { ...VALID.order, order_type: 'iceberg' }, 'order_type', /./],
    ['unknown severity', { ...VALID.alert, severity: 'page' }, 'severity', /./],
    ['unknown decision', { ...VALID.signal, decision: 'maybe' }, 'decision', /./],
    ['unknown strategy state', { ...VALID.strategy, state: 'paused' }, 'state', /./],
    ['bad symbol', { ...VALID.mark, symbol: 'BTCUSD' }, 'symbol', /BASE\/QUOTE/],
    ['empty order id', { ...VALID.order, order_id: '' }, 'order_id', /empty/],
    ['halted not boolean', { ...VALID.risk, halted: 'yes' }, 'halted', /./],
    ['balance not a number', { ...VALID.balance, balances: { USD: 'many' } }, 'balances.USD', /decimal/],
    [
      'snapshot order invalid',
      { ...VALID.snapshot, orders: [{ order_id: 'x' }] },
      'orders.0.symbol',
      /required/,
    ],
  ];
  it.each(cases)('%s', (_name, raw, field, reason) => {
    const problems = problemsOf(raw);
    const hit = problems.find((p) => p.field === field);
    expect(hit).toBeDefined();
    expect(hit!.reason).toMatch(reason);
    expect(hit!.index).toBe(0);
  });

  it('reports each bad event of a batch by index, and accepts nothing', () => {
    const r = validateBatch([
      VALID.mark,
      { ...VALID.order, quantity: -1 },
      VALID.fill,
      { type: 'nope', ts: TS },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.index, p.field])).toEqual([
      [1, 'quantity'],
      [3, 'type'],
    ]);
  });
});

describe('decoding bodies', () => {
  it('takes a JSON array, a single object and NDJSON', () => {
    expect(decodeEvents('[{"a":1},{"a":2}]', false)).toEqual({ ok: true, values: [{ a: 1 }, { a: 2 }] });
    expect(decodeEvents('{"a":1}', false)).toEqual({ ok: true, values: [{ a: 1 }] });
    expect(decodeEvents('{"a":1}\n\n{"a":2}\n', true)).toEqual({ ok: true, values: [{ a: 1 }, { a: 2 }] });
    // NDJSON sent as application/json is still understood.
    expect(decodeEvents('{"a":1}\n{"a":2}', false)).toEqual({ ok: true, values: [{ a: 1 }, { a: 2 }] });
  });

  it('names the line of malformed NDJSON and the problem of malformed JSON', () => {
    const nd = decodeEvents('{"a":1}\n{"a":\n', true);
    expect(nd.ok).toBe(false);
    if (!nd.ok) expect(nd.problems[0].reason).toMatch(/line 2/);
    const js = decodeEvents('[{"a":1},', false);
    expect(js.ok).toBe(false);
    if (!js.ok) expect(js.problems[0].reason).toMatch(/malformed JSON/);
    const empty = decodeEvents('   ', false);
    expect(empty.ok).toBe(false);
  });
});

describe('docs/events.md', () => {
  it('every JSON example in it is a valid event', () => {
    const text = readFileSync(path.resolve(__dirname, '../../../docs/events.md'), 'utf8');
    const examples = [...text.matchAll(/```json\n(\{"type".*\})\n```/g)].map(
      (m) => JSON.parse(m[1]) as unknown,
    );
    expect(examples.length).toBe(10);
    const r = validateBatch(examples);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });
});

describe('text the history stores cannot keep (storable-text.ts)', () => {
  test('a NUL or an unpaired surrogate in any string, value or key, is refused naming the field', () => {
    for (const [raw, field] of [
      [{ ...VALID.alert, message: 'a\u0000b' }, 'message'],
      [{ ...VALID.alert, labels: { 'k\u0000': 'v' } }, 'labels.k\u0000'],
      [{ ...VALID.fill, strategy: '\udc00x' }, 'strategy'],
      [{ ...VALID.order, reason: 'x\ud800' }, 'reason'],
    ] as const) {
      const result = validateEvent(raw, 3);
      expect(result).toEqual([expect.objectContaining({ index: 3, field })]);
    }
  });
  test('a whole surrogate pair is ordinary text', () => {
    expect(Array.isArray(validateEvent({ ...VALID.alert, message: 'ok \ud83d\ude80' }, 0))).toBe(false);
  });
});
