/**
 * What the journal keeps of a batch as sent (record format 2) must read back as exactly the
 * values the body decoded to, on one line, whatever the body's shape.
 */
import fc from 'fast-check';
import { decodeEvents, sentArrayText } from './decode';

type Shape = 'array' | 'pretty array' | 'object' | 'pretty object' | 'ndjson' | 'ndjson as json';

function body(values: object[], shape: Shape): { text: string; ndjson: boolean } {
  const lines = () => values.map((v) => JSON.stringify(v)).join('\n\r\n\n');
  switch (shape) {
    case 'array':
      return { text: JSON.stringify(values), ndjson: false };
    case 'pretty array':
      return { text: `\n ${JSON.stringify(values, null, 2)}\n`, ndjson: false };
    case 'object':
      return { text: JSON.stringify(values[0]), ndjson: false };
    case 'pretty object':
      return { text: JSON.stringify(values[0], null, 2), ndjson: false };
    case 'ndjson':
      return { text: `\n${lines()}\n`, ndjson: true };
    case 'ndjson as json':
      return { text: lines(), ndjson: false };
  }
}

/** `text` cut at `cuts` into pieces, as read-body hands a large body over. */
const cutInto = (text: string, cuts: number[]): string[] => {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  return [...at, text.length].map((end, i) => text.slice(i === 0 ? 0 : at[i - 1], end));
};

describe('sentArrayText', () => {
  it('reads back as the values the body decoded to, on one line, for every shape of body', () => {
    const event = fc.dictionary(
      fc.string(),
      fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
    );
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 6 }),
        fc.constantFrom<Shape>(
          'array',
          'pretty array',
          'object',
          'pretty object',
          'ndjson',
          'ndjson as json',
        ),
        fc.array(fc.nat(), { maxLength: 6 }),
        (values, shape, at) => {
          const { text, ndjson } = body(values, shape);
          const decoded = decodeEvents(text, ndjson);
          if (!decoded.ok) return; // NDJSON labelled JSON of one line is one object: judged elsewhere
          for (const input of [text, cutInto(text, at)]) {
            const sent = sentArrayText(input, ndjson, decoded.values.length).join('');
            expect(sent).not.toContain('\n');
            expect(JSON.parse(sent)).toEqual(decoded.values);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
