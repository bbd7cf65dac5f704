import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { wholeText } from '../events/body-text';
import { noPause } from '../ingest/turns';
import { BodyError, collectBody } from './collect-body';
import { decodeInSlices } from './read-body';

// Engines and symbols are free text: a character of 2, 3 or 4 bytes may fall across a chunk's end.
const TEXT = '\uFEFF[{"engine":"café-€-𝔅","symbol":"ÄÖÜ/日本"},"naïve ß 😀 ok"]';

/** `bytes` cut into chunks of `size` bytes, as a socket might hand them over. */
const chunked = (bytes: Buffer, size: number) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

describe('decodeInSlices', () => {
  it.each([1, 2, 3, 5, 7, 64])(
    'gives what one decode gives, from chunks of %i bytes (UTF-8), in pieces or whole',
    async (size) => {
      const bytes = Buffer.from(TEXT, 'utf8');
      for (const sliceBytes of [4, 1 << 20]) {
        const text = wholeText(await decodeInSlices(chunked(bytes, size), 'utf-8', sliceBytes, noPause));
        expect(text).toBe(TEXT.slice(1)); // the byte order mark dropped, every character whole
        expect(text).toBe(iconv.decode(bytes, 'utf-8'));
      }
    },
  );

  it('keeps a large body in pieces, one string for a small one', async () => {
    const bytes = Buffer.from(TEXT, 'utf8');
    expect(typeof (await decodeInSlices(chunked(bytes, 8), 'utf-8', 1 << 20, noPause))).toBe('string');
    const pieces = await decodeInSlices(chunked(bytes, 8), 'utf-8', 16, noPause);
    expect(Array.isArray(pieces) && pieces.length).toBeGreaterThan(5);
  });

  it('decodes another charset the same way', async () => {
    const latin1 = '[{"engine":"café","note":"ÿ±µ"}]';
    const bytes = iconv.encode(latin1, 'latin1');
    expect(wholeText(await decodeInSlices(chunked(bytes, 4), 'iso-8859-1', 4, noPause))).toBe(latin1);
    const utf16 = iconv.encode(latin1, 'utf-16le');
    expect(wholeText(await decodeInSlices(chunked(utf16, 3), 'utf-16le', 3, noPause))).toBe(latin1);
  });

  it('lets the loop turn every slice', async () => {
    let pauses = 0;
    await decodeInSlices(chunked(Buffer.alloc(10, 0x20), 1), 'utf-8', 3, async () => {
      pauses += 1;
    });
    expect(pauses).toBe(3);
  });
});

/** A stream that hands over `chunks`, then ends (or, with `endEarly`, closes without ending). */
function stream(chunks: Buffer[], endEarly = false): Readable {
  const r = new Readable({ read() {} });
  setImmediate(() => {
    for (const c of chunks) r.push(c);
    if (endEarly) r.destroy();
    else r.push(null);
  });
  return r;
}

describe('collectBody', () => {
  it('keeps every byte, in order, and a bounded number of pieces however small the chunks', async () => {
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const chunks = await collectBody(stream(chunked(bytes, 3)), bytes.length, 1 << 20);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(chunks.length).toBeLessThanOrEqual(1024); // 100,000 chunks arrived
  });

  it('refuses past the limit (413), and at once when the declared length is over it', async () => {
    const over = collectBody(stream(chunked(Buffer.alloc(100), 10)), null, 50);
    await expect(over).rejects.toEqual(new BodyError(413, 'request entity too large'));
    await expect(collectBody(stream([]), 51, 50)).rejects.toMatchObject({ status: 413 });
  });

  it('refuses a body short of its declared length, or cut off (400)', async () => {
    await expect(collectBody(stream([Buffer.alloc(10)]), 11, 50)).rejects.toMatchObject({ status: 400 });
    await expect(collectBody(stream([Buffer.alloc(10)], true), null, 50)).rejects.toEqual(
      new BodyError(400, 'request aborted'),
    );
  });
});
