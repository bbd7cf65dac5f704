/**
 * framePieces writes the very bytes `frame` writes for the joined text: the journal's small
 * records are read back by the same scanner, whichever way they were framed.
 */
import fc from 'fast-check';
import { frame, framePieces, scanAll } from './records';

// Text without raw newlines (a record's JSON never holds one), ASCII and beyond, surrogate pairs included.
const piece = fc.string({
  unit: fc.constantFrom('a', '"', '{', '7', 'é', '€', '\ud83d\ude80', ' '),
  maxLength: 40,
});

test('the bytes of frame(pieces.join("")), for any pieces', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
      expect(framePieces(pieces).equals(frame(pieces.join('')))).toBe(true);
    }),
    { numRuns: 5_000 },
  );
});

test('a framed record reads back as its text', () => {
  const pieces = ['{"v":2,"s":7,"t":1,"sent":', '[{"type":"order","symbol":"€/USD"}]', '}'];
  expect(scanAll(framePieces(pieces))).toEqual([
    { kind: 'record', offset: 0, end: expect.any(Number) as number, json: pieces.join('') },
  ]);
});
