/**
 * A request body's bytes, bounded, kept as the chunks they arrived in. It keeps raw-body's
 * contracts (what express.text used): 413 as soon as the limit is passed (at once when the
 * declared length is over it), 400 when the body ends short of or past its declared length
 * or the client goes away, the stream paused and unpiped on a refusal. Hand-written, where
 * raw-body would do, because raw-body hands back one Buffer.concat of the chunks: for a 10 MB
 * body that fresh allocation held the event loop 44–57 ms on this machine (bench/stalls,
 * docs/events.md "Large batches"), and nothing needs the bytes in one piece.
 */
import type { Readable } from 'node:stream';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Chunks arrive as the socket gives them (a few bytes each from a client that sends slowly):
 * past this many, adjacent small ones are joined into pieces of up to COMPACT_BYTES, so what a
 * body costs beyond its bytes stays bounded (at most two pieces per COMPACT_BYTES, plus one).
 */
const COMPACT_AT_CHUNKS = 1024;
const COMPACT_BYTES = 64 * 1024;

/** The body of `stream`, at most `limit` bytes; `length` is the declared Content-Length, when known. */
export function collectBody(stream: Readable, length: number | null, limit: number): Promise<Buffer[]> {
  if (length !== null && length > limit)
    return Promise.reject(new BodyError(413, 'request entity too large'));
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let received = 0;
    let compactAt = COMPACT_AT_CHUNKS;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('aborted', onAborted);
      stream.off('close', onAborted);
    };
    const refuse = (err: Error) => {
      cleanup();
      stream.unpipe();
      stream.pause();
      reject(err);
    };
    function onData(chunk: Buffer) {
      received += chunk.length;
      if (received > limit) return refuse(new BodyError(413, 'request entity too large'));
      chunks.push(chunk);
      if (chunks.length >= compactAt) {
        chunks = compact(chunks);
        compactAt = Math.max(COMPACT_AT_CHUNKS, 2 * chunks.length);
      }
    }
    function onEnd() {
      if (length !== null && received !== length)
        return refuse(new BodyError(400, 'request size did not match content length'));
      cleanup();
      resolve(chunks);
    }
    function onError(err: Error) {
      refuse(new BodyError(400, err.message));
    }
    function onAborted() {
      refuse(new BodyError(400, 'request aborted'));
    }
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('aborted', onAborted);
    stream.on('close', onAborted); // ('end' comes before 'close' for a body read whole)
  });
}

/** `chunks` with runs of adjacent ones joined while a run stays within COMPACT_BYTES. */
export function compact(chunks: readonly Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let run: Buffer[] = [];
  let runBytes = 0;
  const close = () => {
    if (run.length > 0) out.push(run.length === 1 ? run[0] : Buffer.concat(run, runBytes));
    run = [];
    runBytes = 0;
  };
  for (const chunk of chunks) {
    if (runBytes + chunk.length > COMPACT_BYTES) close();
    run.push(chunk);
    runBytes += chunk.length;
  }
  close();
  return out;
}
