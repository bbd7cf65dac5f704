/**
 * Issue 11, "the equity case left open": an engine trading BTC/USD and ETH/BTC. BTC is a
 * position currency (the BTC/USD position), and also the quote of ETH/BTC: the BTC its
 * ETH/BTC fills spend or receive must stay in equity (docs/metrics.md, "Equity").
 */
import { validateBatch } from '../events/validate';
import { Store } from './store';

const T0 = Date.parse('2026-03-02T10:00:00Z');

function engineAfter(events: Record<string, unknown>[]) {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const batch = validateBatch(events.map((e, i) => ({ ts: T0 + i * 1000, ...e })));
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  store.apply(batch.events);
  return store.engine('default');
}
const marks = [
  { type: 'mark', symbol: 'BTC/USD', price: '50000' },
  { type: 'mark', symbol: 'ETH/BTC', price: '0.05' },
];
const fill = (id: string, symbol: string, side: string, price: string, quantity: string, fee = '0') => ({
  type: 'fill',
  fill_id: id,
  order_id: id,
  symbol,
  side,
  price,
  quantity,
  fee,
});

describe('equity with a position currency that is also a quote currency', () => {
  it('keeps the BTC legs of ETH/BTC fills (no balances reported)', () => {
    const s = engineAfter([
      ...marks,
      fill('1', 'BTC/USD', 'buy', '50000', '1'), // USD −50 000, BTC/USD position +1
      fill('2', 'ETH/BTC', 'buy', '0.05', '10', '0.001'), // BTC −0.501, ETH/BTC position +10
    ]);
    // USD −50 000 + BTC −0.501 × 50 000 + 1 BTC × 50 000 + 10 ETH × 0.05 × 50 000 = −50.
    expect(s.portfolio.equity.current).toBe(-50);
    expect(s.portfolio.equityNow()).toBe(-50);
  });

  it('takes a reported balance of a position currency as the position, and counts what fills moved since', () => {
    const s = engineAfter([
      ...marks,
      fill('1', 'BTC/USD', 'buy', '50000', '1'),
      fill('2', 'ETH/BTC', 'buy', '0.05', '10'),
      // The venue: 50 000 USD left, 0.5 BTC (1 bought − 0.5 spent on ETH), 10 ETH.
      { type: 'balance', balances: { USD: '50000', BTC: '0.5', ETH: '10' } },
      fill('3', 'ETH/BTC', 'buy', '0.05', '10'), // BTC −0.5 after the balance
      fill('4', 'ETH/BTC', 'sell', '0.06', '4'), // BTC +0.24
    ]);
    // The venue holds, in the end: 50 000 USD, 0.5 − 0.5 + 0.24 = 0.24 BTC and 16 ETH, worth
    // 50 000 + 12 000 + 40 000 = 102 000. The positions hold 1 BTC and 16 ETH; the reported
    // 0.5 BTC held the 1 BTC position and −0.5 BTC besides, and fills since moved −0.26 BTC:
    // 50 000 + 50 000 + 40 000 − 0.76 × 50 000 = 102 000.
    expect(s.portfolio.equityNow()).toBe(102_000);
    expect(s.portfolio.equity.current).toBe(102_000);
  });
});
