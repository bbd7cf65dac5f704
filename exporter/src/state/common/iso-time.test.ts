import fc from 'fast-check';
import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('writes what Date#toISOString writes, at the edges of its range', () => {
    const edges = [
      0, -1, 1, 86_399_999, 86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000,
      -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 1_795_316_359_108,
      1.5, -1.5, 8.64e15,
    ];
    for (const ms of edges) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes what Date#toISOString writes, for any time Date can hold', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws, even for a time Date cannot write (validation refuses those; an old journal may hold one)', () => {
    expect(isoTime(Number.NaN)).toBe('invalid time');
    expect(isoTime(1_772_445_600_000_000_000)).toBe('invalid time');
  });
});
