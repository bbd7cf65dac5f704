/**
 * isStorableText's loop must judge every string as the rule's regular expression does (the
 * check it replaced): a NUL, or a surrogate half without its other half, is unstorable.
 */
import fc from 'fast-check';
import { isStorableText } from './storable-text';

// eslint-disable-next-line no-control-regex
const RULE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Code units biased towards the edges the rule is about: NUL and both surrogate ranges.
const unit = fc.oneof(
  fc.constantFrom(0, 0x41, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000),
  fc.integer({ min: 0xd800, max: 0xdfff }),
  fc.integer({ min: 0, max: 0xffff }),
);
const text = fc.array(unit, { maxLength: 12 }).map((units) => String.fromCharCode(...units));

test('the loop judges every string as the rule does', () => {
  fc.assert(
    fc.property(text, (s) => {
      expect(isStorableText(s)).toBe(!RULE.test(s));
    }),
    { numRuns: 20_000 },
  );
});

test('examples: NUL and lone halves refused, a pair and plain text kept', () => {
  expect(['a\u0000', '\ud800', 'x\udc00', '\udc00\ud800', 'a\ud83d'].map(isStorableText)).toEqual([
    false,
    false,
    false,
    false,
    false,
  ]);
  expect(['', 'BTC/USD', 'ok \ud83d\ude80', '\ud83d\ude80\ud83d\ude80'].map(isStorableText)).toEqual([
    true,
    true,
    true,
    true,
  ]);
});
