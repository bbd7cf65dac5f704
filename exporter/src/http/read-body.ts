/**
 * Reads a request body as text, bounded, as express.text (body-parser 2) read it for the
 * ingest route before it left express: the charset of the Content-Type (UTF-8 when none;
 * any charset iconv-lite knows, a leading BOM dropped), and a body compressed with gzip,
 * deflate or br inflated, the limit counting the inflated bytes. Any other Content-Encoding
 * is refused before a byte is read. Reading stops at the limit: nothing past it is buffered.
 * The bytes are kept as the chunks they came in (outside the JS heap; collect-body.ts) and
 * decoded at the end, a large body into a piece a chunk, never joined (events/body-text.ts),
 * the event loop turning every megabyte (decodeInSlices): decoding chunk by chunk as they
 * arrived made strings that lived through the young generation's collections while a 10 MB
 * body arrived (22 MB copied), and decoding 10 MB at once held the loop 20–30 ms.
 */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import type { BodyText } from '../events/body-text';
import { breather, type Pause } from '../ingest/turns';
import { BodyError, collectBody } from './collect-body';

export type ReadBody =
  | { ok: true; text: BodyText }
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

/**
 * Bodies up to this are decoded into one string in one go (about 4–6 ms of decoding on this
 * 2-core machine); larger ones into pieces, about this much between turns of the loop.
 */
const DECODE_SLICE_BYTES = 1 << 20;

/**
 * `chunks` decoded from `charset`: one string for a body up to `sliceBytes`, else a piece a
 * chunk, `pause` offered every `sliceBytes`; one decoder carries a character cut by a chunk's
 * end over to the next, and drops a leading BOM, as raw-body's decoding did.
 */
export async function decodeInSlices(
  chunks: readonly Buffer[],
  charset: string,
  sliceBytes: number,
  pause: Pause,
): Promise<BodyText> {
  const decoder = iconv.getDecoder(charset);
  let bytes = 0;
  for (const chunk of chunks) bytes += chunk.length;
  if (bytes <= sliceBytes) {
    const whole = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes);
    return decoder.write(whole) + (decoder.end() ?? '');
  }
  // The last chunk came in an I/O callback: decode from the next turn. An immediate set from
  // an I/O callback runs before the loop polls again, so it takes two for other clients'
  // requests to be read in between.
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  const pieces: string[] = [];
  let sinceTurn = 0;
  for (const chunk of chunks) {
    const piece = decoder.write(chunk);
    if (piece.length > 0) pieces.push(piece);
    sinceTurn += chunk.length;
    if (sinceTurn >= sliceBytes) {
      await pause();
      sinceTurn = 0;
    }
  }
  const rest = decoder.end();
  if (rest) pieces.push(rest);
  return pieces;
}

/** The body of `req` as text, decoded from `charset`; at most `limit` bytes (inflated). */
export async function readBodyText(req: IncomingMessage, charset: string, limit: number): Promise<ReadBody> {
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
    // The declared length is checked before reading (and a mismatch refused) only when not inflating.
    const declared = inflating ? null : declaredLength(req.headers['content-length']);
    const chunks = await collectBody(inflating ?? req, declared, limit);
    return { ok: true, text: await decodeInSlices(chunks, charset, DECODE_SLICE_BYTES, breather()) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof BodyError && err.status === 413)
      return { ok: false, status: 413, reason: 'too_large', error: message };
    return { ok: false, status: 400, reason: 'bad_request', error: message };
  } finally {
    if (inflating) {
      req.unpipe(inflating);
      inflating.on('error', () => {}); // what the inflater says after this is no one's concern
      inflating.destroy();
    }
  }
}

/** A Content-Length header as a number (node's parser has refused a malformed one already). */
function declaredLength(header: string | undefined): number | null {
  if (header === undefined) return null;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}
