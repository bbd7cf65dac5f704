/**
 * Decimal strings keep every digit into the accounting (issue 11, "Exact figures from
 * exact input"); JSON numbers keep their behaviour.
 */
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
