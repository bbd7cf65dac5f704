/**
 * Reads a request body as text, bounded, as express.text (body-parser 2) read it for the
 * ingest route before it left express: the charset of the Content-Type (UTF-8 when none;
 * any charset iconv-lite knows, a leading BOM dropped), and a body compressed with gzip,
 * deflate or br inflated, the limit counting the inflated bytes. Any other Content-Encoding
 * is refused before a byte is read. Reading stops at the limit: nothing past it is buffered.
 * The bytes are kept as Buffers (outside the JS heap) and decoded at the end, a megabyte at
 * a time with the event loop turning between (decodeInSlices): decoding chunk by chunk as they
 * arrived made strings that lived through the young generation's collections while a 10 MB
 * body arrived (22 MB copied), and decoding 10 MB at once held the loop 20–30 ms.
 */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import getRawBody from 'raw-body';
import { breather, type Pause } from '../ingest/turns';

export type BodyText =
  | { ok: true; text: string }
  | {
      ok: false;
      /** 413 over the limit, 415 an unsupported charset or encoding, 400 a broken or cut body. */
      status: 400 | 413 | 415;
      reason: 'too_large' | 'unsupported_media_type' | 'bad_request';
      error: string;
    };

const INFLATERS: Record<string, (() => Transform) | undefined> = {
  gzip: () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** About 4–6 ms of decoding on this 2-core machine; a string this long is made in V8's large-object space. */
const DECODE_SLICE_BYTES = 1 << 20;

/**
 * `bytes` decoded from `charset` a slice at a time, `pause` offered between slices: one
 * decoder carries a character cut by a slice's end over to the next, and drops a leading BOM,
 * as raw-body's decoding did.
 */
export async function decodeInSlices(
  bytes: Buffer,
  charset: string,
  sliceBytes: number,
  pause: Pause,
): Promise<string> {
  const decoder = iconv.getDecoder(charset);
  if (bytes.length <= sliceBytes) return decoder.write(bytes) + (decoder.end() ?? '');
  // A large body's bytes were just joined (raw-body, in the I/O callback of its end): decode
  // from the next turn. An immediate set from an I/O callback runs before the loop polls again,
  // so it takes two for other clients' requests to be read in between.
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += sliceBytes) {
    parts.push(decoder.write(bytes.subarray(at, at + sliceBytes)));
    await pause();
  }
  parts.push(decoder.end() ?? '');
  return parts.join('');
}

/** The body of `req` as text, decoded from `charset`; at most `limit` bytes (inflated). */
export async function readBodyText(req: IncomingMessage, charset: string, limit: number): Promise<BodyText> {
  const named = charset.toUpperCase(); // (encodingExists narrows charset to never when false)
  if (!iconv.encodingExists(charset))
    return {
      ok: false,
      status: 415,
      reason: 'unsupported_media_type',
      error: `unsupported charset "${named}"`,
    };
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  let inflating: Transform | null = null;
  if (encoding !== 'identity') {
    const inflater = INFLATERS[encoding];
    if (!inflater)
      return {
        ok: false,
        status: 415,
        reason: 'unsupported_media_type',
        error: `unsupported content encoding "${encoding}"`,
      };
    const started = inflater();
    // A client gone mid-body ends nothing the inflater sees: fail it, so the read ends too.
    req.once('close', () => {
      if (!req.complete) started.destroy(new Error('request aborted'));
    });
    inflating = req.pipe(started);
  }
  try {
    const bytes = await getRawBody(inflating ?? req, {
      // The declared length is checked before reading (and a mismatch refused) only when not inflating.
      length: inflating ? undefined : req.headers['content-length'],
      limit,
    });
    return { ok: true, text: await decodeInSlices(bytes, charset, DECODE_SLICE_BYTES, breather()) };
  } catch (err) {
    const type = err instanceof Error && 'type' in err ? err.type : undefined;
    const message = err instanceof Error ? err.message : String(err);
    if (type === 'entity.too.large') return { ok: false, status: 413, reason: 'too_large', error: message };
    return { ok: false, status: 400, reason: 'bad_request', error: message };
  } finally {
    if (inflating) {
      req.unpipe(inflating);
      inflating.on('error', () => {}); // what the inflater says after this is no one's concern
      inflating.destroy();
    }
  }
}
