import { Rates } from './rates';

function ratesOf(entries: [string, number][]) {
  const marks = new Map(entries.map(([s, price]) => [s, { price }]));
  return { marks, rates: new Rates(() => marks) };
}

describe('conversion through chains of marks', () => {
  test('direct, inverse, two and three hops', () => {
    const { rates } = ratesOf([
      ['BTC/USD', 40000],
      ['ETH/BTC', 0.05],
      ['SOL/ETH', 0.1],
      ['USD/JPY', 150],
    ]);
    expect(rates.rate('BTC', 'USD')).toBe(40000);
    expect(rates.rate('USD', 'BTC')).toBe(1 / 40000);
    expect(rates.rate('JPY', 'USD')).toBe(1 / 150);
    // ETH → BTC → USD: 0.05 · 40 000 = 2000
    expect(rates.rate('ETH', 'USD')).toBeCloseTo(2000, 9);
    expect(rates.chain('ETH', 'USD')).toEqual(['ETH/BTC', 'BTC/USD']);
    // SOL → ETH → BTC → USD: 0.1 · 0.05 · 40 000 = 200; and on to JPY: · 150
    expect(rates.rate('SOL', 'USD')).toBeCloseTo(200, 9);
    expect(rates.rate('SOL', 'JPY')).toBeCloseTo(30000, 6);
    expect(rates.decimalRate('ETH', 'USD')!.toString()).toBe('2000');
    expect(rates.rate('DOGE', 'USD')).toBeUndefined();
  });

  test('the shortest chain wins, and later prices are read at each call', () => {
    const { marks, rates } = ratesOf([
      ['ETH/BTC', 0.05],
      ['BTC/USD', 40000],
    ]);
    expect(rates.chain('ETH', 'USD')).toEqual(['ETH/BTC', 'BTC/USD']);
    marks.set('ETH/USD', { price: 2100 });
    expect(rates.chain('ETH', 'USD')).toEqual(['ETH/USD']);
    marks.set('ETH/USD', { price: 2200 });
    expect(rates.rate('ETH', 'USD')).toBe(2200);
  });
});
