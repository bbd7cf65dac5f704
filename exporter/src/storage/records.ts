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

/**
 * `frame` of the JSON that `pieces` join to (the same bytes), encoded straight into the one
 * buffer of the frame: no joined string to flatten, no second copy to concatenate. A 1,000-event
 * batch's record is its head, the body's text as sent, and a brace: in a profile of the
 * exporter under 1,000-event batches, `frame` of the joined text took 0.7 of JSON.parse's time.
 */
export function framePieces(pieces: readonly string[]): Buffer {
  let bytes = 0;
  for (const piece of pieces) bytes += Buffer.byteLength(piece, 'utf8');
  const out = Buffer.allocUnsafe(9 + bytes + 1);
  let at = 9;
  for (const piece of pieces) at += out.write(piece, at, 'utf8');
  out.write(`${crc32(out.subarray(9, at)).toString(16).padStart(8, '0')} `, 0, 'latin1');
  out[at] = NEWLINE;
  return out;
}

/** Text pieces are encoded a run of about this many characters at a time. */
const FRAME_RUN_CHARS = 256 * 1024;

/**
 * `frame` of the JSON that `pieces` join to, made a run of pieces at a time with `pause`
 * between pieces: the text is encoded and checksummed a run at a time, so no step handles
 * the whole record at once. Earned by a measure (a 43 k-event, 10 MB batch, docs/events.md
 * "Large batches"): joining the pieces, then encoding and checksumming the whole record in
 * one go held the event loop 120–380 ms. The frame comes back as its runs, in order (the head
 * first, the newline last: their bytes in a row are `frame`'s), to be written one after the
 * other: joining them into one fresh 10 MB buffer held the loop another 36–64 ms (the copy,
 * and the page faults of memory never touched before).
 */
export async function frameInPieces(pieces: Iterable<string>, pause: () => Promise<void>): Promise<Buffer[]> {
  const runs: Buffer[] = [];
  let crc = 0;
  let pending: string[] = [];
  let pendingChars = 0;
  const encode = () => {
    const run = Buffer.from(pending.join(''), 'utf8');
    crc = crc32(run, crc);
    runs.push(run);
    pending = [];
    pendingChars = 0;
  };
  for (const piece of pieces) {
    pending.push(piece);
    pendingChars += piece.length;
    if (pendingChars >= FRAME_RUN_CHARS) encode();
    await pause();
  }
  encode();
  const head = Buffer.from(`${crc.toString(16).padStart(8, '0')} `, 'latin1');
  return [head, ...runs, Buffer.from('\n', 'latin1')];
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

/** About how many values one piece holds (a piece is one native JSON.stringify call). */
const PIECE_VALUES = 4_000;

/**
 * JSON.stringify in pieces (the same text once joined), so that a large snapshot can be
 * written a slice at a time with the event loop turning in between. A run of members
 * (array elements, object entries) worth up to `pieceValues` values in all is one native
 * JSON.stringify; only a member larger than that is descended into. Earned by a measure
 * (bench:durable, 100 k events of the bench workload, a 5.5 MB snapshot): a piece for
 * every value wrote it in 0.87 s, 6.1× encoding and stringifying it in one go; this way
 * (and the encoder's plain path for scalars) 0.22 s, 1.4–1.6×. Ingest waits while a
 * snapshot is written (docs/durability.md).
 */
export function* jsonPieces(value: unknown, pieceValues = PIECE_VALUES): Generator<string> {
  if (value === null || typeof value !== 'object' || valuesUpTo(value, pieceValues) <= pieceValues) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  const array = Array.isArray(value);
  // The members in their order (JSON.stringify's: an object's own enumerable keys). An
  // array's indices are not listed: spreading a million of them held the loop 150–200 ms.
  const keys = array ? null : Object.keys(value);
  const count = keys === null ? (value as unknown[]).length : keys.length;
  const at = (k: string | number) => (value as Record<string | number, unknown>)[k];
  yield array ? '[' : '{';
  let first = true;
  let run: (string | number)[] = [];
  let runValues = 0;
  function* flush(): Generator<string> {
    if (run.length === 0) return;
    let text: string;
    if (array) text = JSON.stringify(run.map(at)).slice(1, -1);
    else {
      const group: Record<string, unknown> = {};
      for (const k of run) group[k] = at(k);
      text = JSON.stringify(group).slice(1, -1); // "" when every member is left out (undefined, a function)
    }
    run = [];
    runValues = 0;
    if (text === '') return;
    yield (first ? '' : ',') + text;
    first = false;
  }
  for (let i = 0; i < count; i++) {
    const k = keys === null ? i : keys[i];
    const member = at(k);
    const size = valuesUpTo(member, pieceValues);
    if (size > pieceValues) {
      yield* flush();
      yield (first ? '' : ',') + (array ? '' : JSON.stringify(k) + ':');
      first = false;
      yield* jsonPieces(member, pieceValues);
      continue;
    }
    if (runValues + size > pieceValues) yield* flush();
    run.push(k);
    runValues += size;
  }
  yield* flush();
  yield array ? ']' : '}';
}

/** How many values `value` holds (itself included), counting no further than past `limit`. */
function valuesUpTo(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 1;
  let n = 1;
  const members = Array.isArray(value) ? value : Object.values(value);
  for (const m of members) {
    n += m === null || typeof m !== 'object' ? 1 : valuesUpTo(m, limit - n);
    if (n > limit) return n;
  }
  return n;
}
