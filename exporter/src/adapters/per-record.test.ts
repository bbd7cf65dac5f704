/** adaptEach: a bad record is refused alone, by cause; the rest of the batch goes on. */
import { adaptEach, causeOf, Refusal, type Outcome } from './per-record';

interface Rec {
  price: string;
}
const isRec = (raw: unknown): raw is Rec => typeof raw === 'object' && raw !== null && 'price' in raw;
const mark = (price: string) => ({
  type: 'mark',
  ts: Date.parse('2026-03-02T10:00:00Z'),
  engine: 'e',
  symbol: 'BTC/USD',
  price,
});

test('refuses alone what is not a record, what the adapter refuses, and a derived event the schema refuses', () => {
  const seen: string[] = [];
  const adapt = (raw: Rec): Outcome<string[]> => {
    if (raw.price === 'refuse') throw new Refusal('unknown_type', 'type', 'no such event');
    return { events: [mark(raw.price)], commit: (view) => view.push(raw.price) };
  };
  const result = adaptEach(
    [{ price: '1' }, 'junk', { price: 'refuse' }, { price: '-5x' }, { price: '2' }],
    seen,
    isRec,
    'test record',
    adapt,
  );
  expect(result.events).toEqual([mark('1'), mark('2')]);
  // Only valid records update the batch view.
  expect(seen).toEqual(['1', '2']);
  expect(result.refused.map((p) => [p.index, causeOf(p)])).toEqual([
    [1, 'malformed_record'],
    [2, 'unknown_type'],
    [3, 'invalid_event'],
  ]);
  expect(result.refused[2].field).toBe('price');
});

test('anything but a Refusal is a bug and propagates', () => {
  expect(() =>
    adaptEach([{ price: '1' }], [], isRec, 'test record', () => {
      throw new TypeError('boom');
    }),
  ).toThrow(TypeError);
});
