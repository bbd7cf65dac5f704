/**
 * The on-disk record format shared by journal segments and snapshot files: one record a
 * line, `<crc32 as 8 hex digits> <JSON>\n`. The checksum covers the JSON bytes, so a
 * record cut short by a crash (no newline, or fewer bytes than written) or damaged on
 * disk is told apart from a good one. Text lines keep the files greppable.
 *
 * Pure: bytes in, records and problems out (I/O lives in journal.ts).
 */
import { crc32 } from 'node:zlib';

const NEWLINE = 0x0a;
const SPACE = 0x20;
const HEX = /^[0-9a-f]{8}$/;

/** One framed line for a JSON payload (which never holds a raw newline). */
export function frame(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const head = Buffer.from(`${crc32(body).toString(16).padStart(8, '0')} `, 'latin1');
  return Buffer.concat([head, body, Buffer.from('\n', 'latin1')]);
}

export interface GoodRecord {
  kind: 'record';
  /** Byte offset of the record in its file. */
  offset: number;
  /** Byte offset just past its newline. */
  end: number;
  json: string;
}

export interface BadRecord {
  kind: 'bad';
  offset: number;
  end: number;
  reason: string;
}

/** Parses complete lines of `chunk` (which starts at file offset `base`); returns what is left over. */
export function scanLines(chunk: Buffer, base: number, out: (GoodRecord | BadRecord)[]): Buffer {
  let start = 0;
  for (;;) {
    const nl = chunk.indexOf(NEWLINE, start);
    if (nl < 0) break;
    out.push(checkLine(chunk.subarray(start, nl), base + start, base + nl + 1));
    start = nl + 1;
  }
  return chunk.subarray(start);
}

/** The bytes after the last newline of a file: a record whose write never finished. */
export function unfinished(rest: Buffer, base: number): BadRecord | null {
  if (rest.length === 0) return null;
  return {
    kind: 'bad',
    offset: base,
    end: base + rest.length,
    reason: `an unfinished record of ${rest.length} bytes (no newline)`,
  };
}

function checkLine(line: Buffer, offset: number, end: number): GoodRecord | BadRecord {
  if (line.length < 10 || line[8] !== SPACE) return { kind: 'bad', offset, end, reason: 'not a record line' };
  const head = line.toString('latin1', 0, 8);
  if (!HEX.test(head)) return { kind: 'bad', offset, end, reason: 'not a record line' };
  const body = line.subarray(9);
  if (crc32(body) !== parseInt(head, 16)) return { kind: 'bad', offset, end, reason: 'checksum mismatch' };
  return { kind: 'record', offset, end, json: body.toString('utf8') };
}

/** Every line of a whole buffer (for snapshot files and tests). */
export function scanAll(buf: Buffer): (GoodRecord | BadRecord)[] {
  const out: (GoodRecord | BadRecord)[] = [];
  const rest = scanLines(buf, 0, out);
  const tail = unfinished(rest, buf.length - rest.length);
  if (tail) out.push(tail);
  return out;
}

const FLAT_SLICE = 5_000;

/**
 * JSON.stringify in pieces (the same text once joined), so that a large snapshot can be
 * written a slice at a time with the event loop turning in between. Flat arrays (of
 * strings, numbers…) go FLAT_SLICE members a piece; objects and nested arrays recurse.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (value === null || typeof value !== 'object') {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      for (let i = 0; i < value.length; i += FLAT_SLICE) {
        const text = JSON.stringify(value.slice(i, i + FLAT_SLICE));
        yield (i > 0 ? ',' : '') + text.slice(1, -1);
      }
    } else {
      for (let i = 0; i < value.length; i++) {
        if (i > 0) yield ',';
        yield* jsonPieces(value[i]);
      }
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    yield (first ? '' : ',') + JSON.stringify(key) + ':';
    first = false;
    yield* jsonPieces(v);
  }
  yield '}';
}
