/**
 * Decimal strings keep every digit into the accounting (issue 11, "Exact figures from
 * exact input"); JSON numbers keep their behaviour.
 */
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { keepsDigits } from './exact';
import { validateBatch } from './validate';
import { Store } from '../state/store';

const T0 = Date.parse('2026-03-02T10:00:00Z');

function storeWith(events: Record<string, unknown>[]) {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const batch = validateBatch(events);
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  // Through JSON, as the journal keeps and restores them.
  store.apply(JSON.parse(JSON.stringify(batch.events)));
  return store.engine('default');
}

const fill = (
  id: string,
  side: string,
  price: unknown,
  quantity: unknown,
  over: Record<string, unknown> = {},
) => ({
  type: 'fill',
  ts: T0 + Number(id) * 1000,
  fill_id: id,
  order_id: `o${id}`,
  symbol: 'XRP/USD',
  side,
  price,
  quantity,
  ...over,
});

describe('exact figures', () => {
  it('a decimal string keeps the digits a double drops', () => {
    const s = storeWith([
      fill('1', 'buy', '0.30000000000000001', '1'),
      fill('2', 'sell', '0.30000000000000002', '1'),
    ]);
    expect(s.portfolio.positions.get('XRP/USD')!.realized.toString()).toBe('1e-17');
  });

  it('a round trip of exactly 1.00 from long derived prices is exactly 1', () => {
    const s = storeWith([
      fill('1', 'buy', '33.333333333333333333333333', '3'),
      fill('2', 'sell', '33.666666666666666666666667', '3'),
    ]);
    const p = s.portfolio.positions.get('XRP/USD')!;
    expect(p.realized.toNumber()).toBe(1);
    expect(p.realizedNumber).toBe(1);
  });

  it('fees and balances keep their digits too', () => {
    const s = storeWith([
      { type: 'balance', ts: T0 + 5000, balances: { USD: '100.000000000000000001' } },
      fill('1', 'buy', '1', '1', { fee: '0.000000000000000001' }),
    ]);
    expect(s.portfolio.positions.get('XRP/USD')!.fees.toString()).toBe('1e-18');
    expect(s.portfolio.cash.get('USD')!.toString()).toBe('100.000000000000000001');
  });

  it('JSON numbers keep today’s behaviour (no exact figures attached)', () => {
    const batch = validateBatch([fill('1', 'buy', 0.30000000000000004, 1), fill('2', 'buy', '0.25', '2')]);
    expect(batch.ok && batch.events.map((e) => 'exact' in e)).toEqual([false, false]);
    const s = storeWith([fill('1', 'buy', 0.1, 3), fill('2', 'sell', 0.2, 3)]);
    expect(s.portfolio.positions.get('XRP/USD')!.realized.toString()).toBe('0.3');
  });
});

describe('keepsDigits', () => {
  // The rule before the loop (a regex and a digit count), then Decimal: the answers must agree.
  const reference = (s: string, n: number): boolean => {
    if (/^[+-]?[0-9.]{1,16}$/.test(s) && s.replace(/[^0-9]/g, '').length <= 15) return true;
    try {
      return new Decimal(s).eq(new Decimal(n));
    } catch {
      return true;
    }
  };
  test('answers as the regex and Decimal did, for decimal-like strings of every length', () => {
    const decimalLike = fc
      .array(fc.constantFrom('0', '1', '3', '9', '.', '+', '-', 'e', '5'), { maxLength: 24 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(decimalLike, (s) => {
        expect(keepsDigits(s, Number(s))).toBe(reference(s, Number(s)));
      }),
      { numRuns: 20_000 },
    );
  });
  test('a 16th significant digit the double drops is noticed', () => {
    expect(keepsDigits('0.1234567890123456', 0.1234567890123456)).toBe(
      new Decimal('0.1234567890123456').eq(new Decimal(0.1234567890123456)),
    );
    expect(keepsDigits('0.30000000000000001', 0.3)).toBe(false);
    expect(keepsDigits('100.5', 100.5)).toBe(true);
  });
});
