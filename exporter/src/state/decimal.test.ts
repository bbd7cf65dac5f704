import Decimal from 'decimal.js';
import fc from 'fast-check';
import { decimalOf, decimalToNumber } from './decimal';

describe('decimalToNumber', () => {
  it('equals toNumber on hand-picked values (fast path and fallbacks)', () => {
    const values = [
      '0',
      '-0',
      '100.5',
      '0.05',
      '-3.2e-12',
      '1e-7',
      '0.30000000000000004',
      '12345678901234567890',
      '9007199254740993',
      '1e22',
      '1e23',
      '1.5e-22',
      '1e-30',
      '123456.7890123',
      '-0.1',
      '1e300',
      'Infinity',
      '-Infinity',
      'NaN',
    ];
    for (const v of values) {
      const d = new Decimal(v);
      expect(Object.is(decimalToNumber(d), d.toNumber())).toBe(true);
    }
  });

  it('equals toNumber on the results of decimal arithmetic', () => {
    const num = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 100),
      fc.integer({ min: 1, max: 1e6 }).map((i) => i / 1e8),
    );
    fc.assert(
      fc.property(num, num, (a, b) => {
        const x = new Decimal(a);
        const y = new Decimal(b);
        const results = [x, x.add(y), x.sub(y), x.mul(y)];
        if (!y.isZero()) results.push(x.div(y));
        for (const r of results) expect(Object.is(decimalToNumber(r), r.toNumber())).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decimalOf', () => {
  it('equals new Decimal(n), keeping the sign of zero', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(decimalOf(n).toString()).toBe(new Decimal(n).toString());
        expect(decimalOf(n).isNegative()).toBe(new Decimal(n).isNegative());
      }),
    );
    expect(decimalOf(-0).isNegative()).toBe(true);
    expect(decimalOf(0).isNegative()).toBe(false);
  });
});
