/**
 * A large body decoded in slices gives exactly what decoding it in one go gives: the same
 * values for every valid body, a refusal for every invalid one (checked against JSON.parse
 * on generated arrays with hostile strings, and on the same texts with one character
 * removed, doubled or inserted).
 */
import fc from 'fast-check';
import { decodeEvents, decodeEventsSliced } from './decode';

const noPause = async () => undefined;
const tiny = { minBytes: 0, elementsPerRun: 3 };

const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('"', '\\', '\\"', '[', ']', '{', '}', ',', '\\\\', '"]', '\u2028', '\n'),
);
const element = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(tricky, tie('value'), { maxKeys: 3 }),
  ),
})).value;
/** `text` cut at `cuts` (any offsets; out of range ones clamped) into pieces, as read-body hands a large body over. */
const cutInto = (text: string, cuts: number[]): string[] => {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  return [...at, text.length].map((end, i) => text.slice(i === 0 ? 0 : at[i - 1], end));
};
const cuts = fc.array(fc.nat(), { maxLength: 8 });

const body = fc.tuple(fc.array(element, { maxLength: 12 }), fc.constantFrom('', ' ', '\n', '\t \n'));

describe('decodeEventsSliced', () => {
  it('gives the values JSON.parse gives, for any array body and any run size', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.integer({ min: 1, max: 5 }), cuts, async ([values, pad], perRun, at) => {
        const text = `${pad}${JSON.stringify(values, null, pad.length > 1 ? 1 : undefined)}${pad}`;
        const sizes = { minBytes: 0, elementsPerRun: perRun };
        expect(await decodeEventsSliced(text, false, noPause, sizes)).toEqual(decodeEvents(text, false));
        // The same body in pieces cut anywhere (inside a string, an escape, between a backslash and its quote).
        expect(await decodeEventsSliced(cutInto(text, at), false, noPause, sizes)).toEqual(
          decodeEvents(text, false),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('refuses exactly the bodies JSON.parse refuses (one character removed, doubled or inserted)', async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.nat(),
        fc.constantFrom('remove', 'double', ',', ']', '"', '\\', '{', ' '),
        cuts,
        async ([values], at, edit, pieceCuts) => {
          const valid = JSON.stringify(values);
          const i = at % (valid.length + 1);
          const text =
            edit === 'remove'
              ? valid.slice(0, i) + valid.slice(i + 1)
              : edit === 'double'
                ? valid.slice(0, i) + valid.slice(i, i + 1) + valid.slice(i)
                : valid.slice(0, i) + edit + valid.slice(i);
          const one = decodeEvents(text, false);
          for (const input of [text, cutInto(text, pieceCuts)]) {
            const sliced = await decodeEventsSliced(input, false, noPause, tiny);
            expect(sliced.ok).toBe(one.ok);
            if (one.ok && sliced.ok) expect(sliced.values).toEqual(one.values);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('refuses a stray comma that falls exactly where a run of elements ends', async () => {
    for (const text of ['[1,2,3,]', '[1,2,3,,4]', '[1,2,3, ]', '[,]', '[ , ]'])
      expect(await decodeEventsSliced(text, false, noPause, tiny)).toMatchObject({ ok: false });
    expect(await decodeEventsSliced('[ ]', false, noPause, tiny)).toEqual({ ok: true, values: [] });
  });

  it('decodes NDJSON in slices with the line numbers of the whole body', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ type: 'mark', n: i }));
    lines[4321] = '{"type":';
    const text = lines.join('\n');
    const sliced = await decodeEventsSliced(text, true, noPause, { minBytes: 0, elementsPerRun: 3 });
    expect(sliced).toEqual(decodeEvents(text, true));
    const pieces = cutInto(text, [5, 77_777, 1000, 150_001, 150_002]);
    expect(await decodeEventsSliced(pieces, true, noPause, { minBytes: 0, elementsPerRun: 3 })).toEqual(
      sliced,
    );
    expect(sliced.ok).toBe(false);
    if (!sliced.ok) expect(sliced.problems[0].reason).toMatch(/on line 4322/);
  });
});
