/**
 * The fast path must never disagree with the schema: for every event it answers, zod gives
 * the same object (keys, order, values); for every event zod rejects, it does not answer.
 * Its code made from each shape and its loop over the shape give the same answer.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fastValidate, makeFastValidate } from './fast-validate';
import { tradingEvent } from './schema';

/** The fast path walked field by field, as where code cannot be made from strings. */
const walked = makeFastValidate(false);

function agree(raw: unknown): 'fast' | 'zod' {
  const fast = fastValidate(raw);
  expect(walked(raw)).toStrictEqual(fast);
  const parsed = tradingEvent.safeParse(raw);
  if (fast === undefined) return 'zod';
  expect(parsed.success).toBe(true);
  if (!parsed.success) return 'zod';
  expect(Object.keys(fast)).toEqual(Object.keys(parsed.data));
  expect(fast).toStrictEqual(parsed.data);
  return 'fast';
}

const numberLike = fc.oneof(
  fc.double(),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '0.5',
    '.5',
    '5.',
    '1e3',
    '1E-3',
    '+2',
    ' 1',
    '1_0',
    '0x10',
    'abc',
    '',
    'NaN',
    'Infinity',
    '1e400',
  ),
  fc.constantFrom(null, true, [], {}, Number.NaN, Infinity, -0),
);
const timeLike = fc.oneof(
  fc.integer({ min: -5, max: 2e12 }),
  fc.double(),
  fc.constantFrom(
    '2026-01-02T03:04:05Z',
    '2026-01-02 03:04:05.123+01:00',
    '2026-01-02t03:04:05.5z',
    '2026-13-02T03:04:05Z',
    '2026-01-02T03:04:05',
    '2026-01-02',
    '2026-01-02T03:04:05+0130',
    null,
  ),
);
const stringLike = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom(
    '',
    'x'.repeat(32),
    'x'.repeat(33),
    'y'.repeat(128),
    'y'.repeat(129),
    'z'.repeat(257),
    'w'.repeat(1025),
  ),
  fc.constantFrom('btc/usd', 'BTC/USD', 'BTC-USD', 'a.b/c_d', '/USD', 'BTC/', 'USD', 'buy', 'sell', 'BUY'),
  fc.constantFrom('limit', 'market', 'stop', 'stop_limit', 'new', 'partially_filled', 'filled', 'canceled'),
  fc.constantFrom('maker', 'taker', 'order', 'fill', 'mark', 'ok', 7, null),
);
const KEYS = [
  'type',
  'ts',
  'engine',
  'id',
  'order_id',
  'fill_id',
  'symbol',
  'side',
  'order_type',
  'status',
  'quantity',
  'filled_quantity',
  'avg_fill_price',
  'limit_price',
  'stop_price',
  'fees',
  'fee',
  'fee_currency',
  'strategy',
  'client_order_id',
  'time_in_force',
  'created_at',
  'reason',
  'venue',
  'price',
  'bid',
  'ask',
  'liquidity',
  'extra',
];
const NUMERIC = new Set([
  'quantity',
  'filled_quantity',
  'avg_fill_price',
  'limit_price',
  'stop_price',
  'fees',
  'fee',
  'price',
  'bid',
  'ask',
]);

const valid = {
  order: {
    type: 'order',
    ts: 1_767_225_600_000,
    engine: 'e',
    order_id: 'o1',
    symbol: 'btc/usd',
    side: 'buy',
    order_type: 'limit',
    status: 'new',
    quantity: '2',
    limit_price: 100,
  },
  fill: {
    type: 'fill',
    ts: '2026-01-02T03:04:05Z',
    fill_id: 'f1',
    order_id: 'o1',
    symbol: 'BTC/USD',
    side: 'sell',
    price: 100.5,
    quantity: 1,
    fee: '0.05',
    fee_currency: 'USD',
  },
  mark: { type: 'mark', ts: 1_767_225_600_005, symbol: 'ETH/BTC', price: '0.05', bid: 0.049 },
};

describe('fastValidate', () => {
  it('answers clean events exactly as zod does', () => {
    for (const raw of Object.values(valid)) expect(agree(raw)).toBe('fast');
  });

  it('agrees with zod on events with fields mutated, removed, added or set to undefined', () => {
    const base = fc.constantFrom(...Object.values(valid));
    const mutation = fc.record({
      key: fc.constantFrom(...KEYS),
      kind: fc.constantFrom('set', 'delete', 'undefined'),
      number: numberLike,
      time: timeLike,
      string: stringLike,
    });
    let fast = 0;
    fc.assert(
      fc.property(base, fc.array(mutation, { maxLength: 4 }), (b, mutations) => {
        const raw: Record<string, unknown> = { ...b };
        for (const m of mutations) {
          if (m.kind === 'delete') delete raw[m.key];
          else if (m.kind === 'undefined') raw[m.key] = undefined;
          else
            raw[m.key] = NUMERIC.has(m.key)
              ? m.number
              : m.key === 'ts' || m.key === 'created_at'
                ? m.time
                : m.string;
        }
        if (agree(raw) === 'fast') fast += 1;
      }),
      { numRuns: 4000 },
    );
    // The property means something only if both paths were taken often.
    expect(fast).toBeGreaterThan(400);
    expect(fast).toBeLessThan(3600);
  });

  it('agrees with zod on every event of the demo fixture', () => {
    const file = path.join(__dirname, '..', '..', 'test', 'fixtures', 'demo-2d.jsonl');
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    let fast = 0;
    for (const line of lines) if (agree(JSON.parse(line)) === 'fast') fast += 1;
    expect(fast).toBeGreaterThan(lines.length / 2);
  });

  it('leaves objects that are not plain, and unknown types, to zod', () => {
    expect(fastValidate(Object.assign(Object.create(null) as object, valid.mark))).toBeUndefined();
    expect(fastValidate({ ...valid.mark, type: 'balance' })).toBeUndefined();
    expect(fastValidate([valid.mark])).toBeUndefined();
  });
});
