/**
 * The accounting's Decimal against decimal.js, the reference it must equal digit for digit
 * and in the sign of zero: values, every operation, chains that go from the short form to
 * decimal.js and back, and the average-cost arithmetic of generated fills.
 */
import DecimalJs from 'decimal.js';
import fc from 'fast-check';
import { Decimal, decimalOf } from './decimal';
import { Position } from '../portfolio/positions';

/** Equal as decimal.js tells values apart: digits, −0 (toJSON writes it), the double. */
function expectSame(ours: Decimal, ref: DecimalJs, what: string): void {
  const got = { json: ours.toJSON(), text: ours.toString(), number: ours.toNumber(), neg: ours.isNegative() };
  const want = { json: ref.toJSON(), text: ref.toString(), number: ref.toNumber(), neg: ref.isNegative() };
  if (
    got.json !== want.json ||
    got.text !== want.text ||
    !Object.is(got.number, want.number) ||
    got.neg !== want.neg
  )
    throw new Error(`${what}: got ${JSON.stringify(got)}, decimal.js ${JSON.stringify(want)}`);
}

/** Decimal strings as engines send them and beyond: long, tiny, huge, zeros of both signs. */
const decimalString = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      fc.stringMatching(/^[0-9]{1,22}$/),
      fc.option(fc.stringMatching(/^[0-9]{0,22}$/), { nil: undefined }),
      fc.option(fc.integer({ min: -40, max: 40 }), { nil: undefined }),
    )
    .map(
      ([sign, int, frac, exp]) =>
        `${sign}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : `e${exp}`}`,
    ),
  fc.constantFrom(
    '0',
    '-0',
    '0.000',
    '-0.0',
    '-0e5',
    '1',
    '-1',
    '100.5',
    '0.05',
    '1e-9',
    '9007199254740991',
    '9007199254740993',
  ),
);
const value = fc.oneof(
  decimalString,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1e6, max: 1e6 }).map((i) => i / 100),
);

describe('Decimal against decimal.js', () => {
  it('reads values as decimal.js does (strings, numbers, ±0, non-finite)', () => {
    for (const v of [
      '0',
      '-0',
      '1.50',
      '.5',
      '5.',
      '1e21',
      '1e-7',
      '0x1f',
      'Infinity',
      '-Infinity',
      'NaN',
      -0,
      0,
      1e300,
      5e-324,
    ])
      expectSame(Decimal.from(v), new DecimalJs(v), `from(${String(v)})`);
    fc.assert(
      fc.property(value, (v) => expectSame(Decimal.from(v), new DecimalJs(v), `from(${v})`)),
      {
        numRuns: 2000,
      },
    );
    expect(() => Decimal.from('1.2.3')).toThrow(/Invalid argument/);
  });

  it('adds, subtracts, multiplies, divides and compares as decimal.js does', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const [x, y, rx, ry] = [Decimal.from(a), Decimal.from(b), new DecimalJs(a), new DecimalJs(b)];
        const at = `${String(a)} ${String(b)}`;
        expectSame(x.add(y), rx.add(ry), `add ${at}`);
        expectSame(x.sub(y), rx.sub(ry), `sub ${at}`);
        expectSame(x.mul(y), rx.mul(ry), `mul ${at}`);
        expectSame(x.div(y), rx.div(ry), `div ${at}`);
        expectSame(x.neg(), rx.neg(), `neg ${at}`);
        expectSame(x.abs(), rx.abs(), `abs ${at}`);
        expectSame(Decimal.min(x, y), DecimalJs.min(rx, ry), `min ${at}`);
        expect([x.cmp(y), x.eq(y), x.lte(y)]).toEqual([rx.cmp(ry), rx.eq(ry), rx.lte(ry)]);
        expect([x.isZero(), x.isPositive(), x.isNegative()]).toEqual([
          rx.isZero(),
          rx.isPositive(),
          rx.isNegative(),
        ]);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives decimal.js figures through chains of operations (short form, decimal.js and back)', () => {
    const op = fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'div', 'neg', 'abs') as fc.Arbitrary<Op>, value);
    type Op = 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'abs';
    fc.assert(
      fc.property(value, fc.array(op, { maxLength: 30 }), (start, ops) => {
        let ours = Decimal.from(start);
        let ref = new DecimalJs(start);
        for (const [name, v] of ops) {
          if (name === 'neg' || name === 'abs') {
            ours = ours[name]();
            ref = ref[name]();
          } else {
            ours = ours[name](v);
            ref = ref[name](v);
          }
          expectSame(ours, ref, `${name} ${String(v)}`);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('gives decimal.js figures for generated fills through a position (average cost, fees, flips)', () => {
    // The reference: the same average-cost arithmetic as Position.applyFill, in decimal.js.
    const fill = fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.oneof(
        fc.integer({ min: 1, max: 50_000 }).map((i) => String(i / 1000)),
        fc.constantFrom('0.1', '0.2', '0.3', '1', '2.5', '0.00000001'),
      ),
      price: fc.oneof(
        fc.integer({ min: 1, max: 10_000_000 }).map((i) => String(i / 100)),
        fc.constantFrom('100.5', '0.05', '60000.1', '0.000012'),
      ),
      fee: fc.oneof(
        fc.constant('0'),
        fc.integer({ min: 0, max: 10_000 }).map((i) => String(i / 10_000)),
      ),
    });
    fc.assert(
      fc.property(fc.array(fill, { minLength: 1, maxLength: 25 }), (fills) => {
        const p = new Position('X/USD');
        let q = new DecimalJs(0);
        let avg = new DecimalJs(0);
        let realized = new DecimalJs(0);
        for (const f of fills) {
          const qty = new DecimalJs(f.quantity);
          const px = new DecimalJs(f.price);
          const fee = new DecimalJs(f.fee);
          const signed = f.side === 'buy' ? qty : qty.neg();
          if (q.isZero() || q.isPositive() === signed.isPositive()) {
            const newQty = q.add(signed);
            avg = q.abs().mul(avg).add(qty.mul(px)).div(newQty.abs());
            q = newQty;
            realized = realized.sub(fee);
          } else {
            const dust = qty.mul('1e-9');
            const held = q.abs();
            let closing = DecimalJs.min(qty, held);
            let opening = qty.sub(closing);
            if (!opening.isZero() && opening.lte(dust)) opening = new DecimalJs(0);
            const opens = !opening.isZero();
            if (!opens && held.sub(closing).lte(dust)) closing = held;
            const long = q.isPositive();
            const grossLong = px.sub(avg).mul(closing);
            realized = realized.add((long ? grossLong : grossLong.neg()).sub(fee));
            q = opens ? (long ? opening.neg() : opening) : q.sub(long ? closing : closing.neg());
            if (q.isZero()) avg = new DecimalJs(0);
            else if (opens) avg = px;
          }
          p.applyFill(f.side, f.quantity, f.price, f.fee);
          expectSame(p.quantity, q, 'quantity');
          expectSame(p.avgPrice, avg, 'average price');
          expectSame(p.realized, realized, 'realized');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('decimalOf', () => {
  it('equals Decimal.from(n) and decimal.js, keeping the sign of zero', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expectSame(decimalOf(n), new DecimalJs(n), `decimalOf(${n})`);
      }),
    );
    expect(decimalOf(-0).isNegative()).toBe(true);
    expect(decimalOf(0).isNegative()).toBe(false);
  });
});
