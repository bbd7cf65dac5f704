import iconv from 'iconv-lite';
import { noPause } from '../ingest/turns';
import { decodeInSlices } from './read-body';

// Engines and symbols are free text: a character of 2, 3 or 4 bytes may fall across a slice's end.
const TEXT = '\uFEFF[{"engine":"café-€-𝔅","symbol":"ÄÖÜ/日本"},"naïve ß 😀 ok"]';

describe('decodeInSlices', () => {
  it.each([1, 2, 3, 5, 7, 64])(
    'gives what one decode gives, in slices of %i bytes (UTF-8)',
    async (slice) => {
      const bytes = Buffer.from(TEXT, 'utf8');
      const text = await decodeInSlices(bytes, 'utf-8', slice, noPause);
      expect(text).toBe(TEXT.slice(1)); // the byte order mark dropped, every character whole
      expect(text).toBe(iconv.decode(bytes, 'utf-8'));
    },
  );

  it('decodes another charset the same way', async () => {
    const latin1 = '[{"engine":"café","note":"ÿ±µ"}]';
    const bytes = iconv.encode(latin1, 'latin1');
    expect(await decodeInSlices(bytes, 'iso-8859-1', 4, noPause)).toBe(latin1);
    const utf16 = iconv.encode(latin1, 'utf-16le');
    expect(await decodeInSlices(utf16, 'utf-16le', 3, noPause)).toBe(latin1);
  });

  it('lets the loop turn between slices', async () => {
    let pauses = 0;
    await decodeInSlices(Buffer.alloc(10, 0x20), 'utf-8', 3, async () => {
      pauses += 1;
    });
    expect(pauses).toBe(4);
  });
});
