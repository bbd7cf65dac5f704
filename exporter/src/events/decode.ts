/**
 * Body decoding: a JSON array, a single JSON object, or NDJSON (one object a line).
 * Pure: bytes in, values or a located problem out.
 */
import type { EventProblem } from './validate';
import { firstNonSpace, hasNewline, piecesOf, textLength, wholeText, type BodyText } from './body-text';

export type DecodeResult = { ok: true; values: unknown[] } | { ok: false; problems: EventProblem[] };

export function decodeEvents(text: string, ndjson: boolean): DecodeResult {
  if (!ndjson) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
      try {
        const value: unknown = JSON.parse(text);
        return { ok: true, values: Array.isArray(value) ? value : [value] };
      } catch (err) {
        // A body of several objects, one a line, is NDJSON even when labelled application/json.
        if (!trimmed.startsWith('{') || !text.includes('\n')) {
          return {
            ok: false,
            problems: [{ index: 0, field: '', reason: `malformed JSON: ${(err as Error).message}` }],
          };
        }
      }
    } else if (trimmed.length === 0) {
      return { ok: false, problems: [{ index: 0, field: '', reason: 'the body is empty' }] };
    } else {
      return {
        ok: false,
        problems: [{ index: 0, field: '', reason: 'malformed JSON: expected an array or an object' }],
      };
    }
  }
  return decodeLines(text);
}

/** NDJSON: blank lines are skipped; the index of a problem is the event's position (line order). */
export function decodeLines(text: string): DecodeResult {
  const values: unknown[] = [];
  const problems: EventProblem[] = [];
  decodeLinesInto(text.split('\n'), 0, values, problems);
  return linesResult(values, problems);
}

/** Parses `lines` (the first being line `first` + 1 of the body) into `values`, or notes `problems`. */
function decodeLinesInto(
  lines: readonly string[],
  first: number,
  values: unknown[],
  problems: EventProblem[],
  /** Values decoded before `values` (a problem's index counts them). */
  before = 0,
) {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length === 0) continue;
    try {
      values.push(JSON.parse(line));
    } catch (err) {
      problems.push({
        index: before + values.length + problems.length,
        field: '',
        reason: `malformed JSON on line ${first + i + 1}: ${(err as Error).message}`,
      });
    }
  }
}

function linesResult(values: unknown[], problems: EventProblem[]): DecodeResult {
  if (problems.length > 0) return { ok: false, problems };
  if (values.length === 0)
    return { ok: false, problems: [{ index: 0, field: '', reason: 'the body holds no events' }] };
  return { ok: true, values };
}

/** Bodies from this size on are decoded in slices (below it, one JSON.parse is cheaper). */
export const SLICED_DECODE_BYTES = 1 << 20;
const LINES_PER_SLICE = 2048;
const ELEMENTS_PER_RUN = 1024;

/** Takes the values of a body a run at a time; `first` is the index of the run's first value. */
export type RunTaker = (run: unknown[], first: number) => void | Promise<void>;

/** What `decodeEventsInRuns` gives: how many values were taken, or why the body is refused. */
export type RunsResult = { ok: true; count: number } | { ok: false; problems: EventProblem[] };

/**
 * `decodeEvents` for a large body, a slice at a time, pausing between slices so the event
 * loop turns: the same values and the same refusals (a problem's position within the
 * array is that of the run of elements it was found in). A JSON array is cut at its
 * top-level commas into runs of elements, each parsed by JSON.parse.
 */
export async function decodeEventsSliced(
  text: BodyText,
  ndjson: boolean,
  pause: () => Promise<void>,
  sizes: RunSizes = DEFAULT_SIZES,
): Promise<DecodeResult> {
  const values: unknown[] = [];
  const runs = await decodeEventsInRuns(
    text,
    ndjson,
    pause,
    (run) => {
      for (const value of run) values.push(value);
    },
    sizes,
  );
  return runs.ok ? { ok: true, values } : runs;
}

export interface RunSizes {
  minBytes: number;
  elementsPerRun: number;
}
const DEFAULT_SIZES: RunSizes = { minBytes: SLICED_DECODE_BYTES, elementsPerRun: ELEMENTS_PER_RUN };

/**
 * `decodeEventsSliced` handing each run of values to `take` as soon as it is parsed, so a
 * caller that keeps less than the values (the ingest service keeps the validated events)
 * lets each run die young instead of holding the whole body's values through the batch:
 * the garbage collector's scavenges cost in proportion to what survives them (docs/events.md,
 * "Large batches"). A body that turns out malformed after some runs were taken is still
 * refused whole; NDJSON's runs stop being taken at its first malformed line. A large body in
 * pieces is read in its pieces (body-text.ts): a run or a line cut by a piece's end is put
 * together, nothing larger.
 */
export async function decodeEventsInRuns(
  text: BodyText,
  ndjson: boolean,
  pause: () => Promise<void>,
  take: RunTaker,
  sizes: RunSizes = DEFAULT_SIZES,
): Promise<RunsResult> {
  const whole = async (decoded: DecodeResult): Promise<RunsResult> => {
    if (!decoded.ok) return decoded;
    await take(decoded.values, 0);
    return { ok: true, count: decoded.values.length };
  };
  if (textLength(text) < sizes.minBytes) return whole(decodeEvents(wholeText(text), ndjson));
  const first = firstNonSpace(text);
  if (!ndjson && first === '[') return decodeArrayInRuns(piecesOf(text), sizes.elementsPerRun, pause, take);
  if (!ndjson && !(first === '{' && hasNewline(text))) return whole(decodeEvents(wholeText(text), ndjson));
  let count = 0;
  const problems: EventProblem[] = [];
  for await (const [lines, at] of lineRuns(piecesOf(text), LINES_PER_SLICE)) {
    const run: unknown[] = [];
    decodeLinesInto(lines, at, run, problems, count);
    if (problems.length === 0 && run.length > 0) await take(run, count);
    count += run.length;
    await pause();
  }
  if (problems.length > 0) return { ok: false, problems };
  if (count === 0)
    return { ok: false, problems: [{ index: 0, field: '', reason: 'the body holds no events' }] };
  return { ok: true, count };
}

/** The lines of `pieces` (split at raw newlines), `perRun` at a time, each run with the index of its first line. */
function* lineRuns(pieces: readonly string[], perRun: number): Generator<[string[], number]> {
  let run: string[] = [];
  let first = 0;
  let carry = '';
  for (const piece of pieces) {
    const lines = piece.split('\n');
    lines[0] = carry + lines[0];
    carry = lines.pop() ?? '';
    for (const line of lines) {
      run.push(line);
      if (run.length === perRun) {
        yield [run, first];
        first += run.length;
        run = [];
      }
    }
  }
  run.push(carry);
  yield [run, first];
}

async function decodeArrayInRuns(
  pieces: readonly string[],
  perRun: number,
  pause: () => Promise<void>,
  take: RunTaker,
): Promise<RunsResult> {
  const malformed = (reason: string): RunsResult => ({
    ok: false,
    problems: [{ index: 0, field: '', reason: `malformed JSON: ${reason}` }],
  });
  let count = 0;
  for await (const run of arrayRuns(pieces, perRun, pause)) {
    if (run.fault !== undefined) return malformed(run.fault);
    let values: unknown[];
    try {
      values = JSON.parse(`[${run.text}]`) as unknown[];
    } catch (err) {
      return malformed(`${(err as Error).message} (in the elements from offset ${run.offset})`);
    }
    await take(values, count);
    count += values.length;
    await pause();
  }
  return { ok: true, count };
}

/** A run of top-level elements (their text, the commas between runs left out), or why the array is not one. */
type ArrayRun = { text: string; offset: number; fault?: undefined } | { fault: string };

/** Where a run starts: a piece, and an offset in it. */
interface Mark {
  piece: number;
  at: number;
  /** Offset in the whole text (for messages). */
  offset: number;
}

/**
 * The runs of `perRun` top-level elements of the JSON array that `pieces` hold (it opens at
 * the first character that is not whitespace), each as soon as it is scanned, or, last, why it
 * is not a closed array: a scan of the structural characters, which are never inside a string;
 * each run is then parsed whole by JSON.parse, which judges everything else.
 */
async function* arrayRuns(
  pieces: readonly string[],
  perRun: number,
  pause: () => Promise<void>,
): AsyncGenerator<ArrayRun> {
  let depth = 0;
  let elements = 0;
  let runs = 0;
  let inString = false;
  let escaped = false;
  let opened = false;
  let start: Mark = { piece: 0, at: 0, offset: 0 };
  let offset = 0; // of the current piece in the whole text
  const textFrom = (from: Mark, piece: number, at: number): string => {
    if (from.piece === piece) return pieces[piece].slice(from.at, at);
    const parts = [pieces[from.piece].slice(from.at)];
    for (let p = from.piece + 1; p < piece; p++) parts.push(pieces[p]);
    parts.push(pieces[piece].slice(0, at));
    return parts.join('');
  };
  // An empty run other than the whole of `[]` is a stray comma (`[1,]`, `[1,,2]`).
  const endRun = (piece: number, at: number): ArrayRun => {
    const text = textFrom(start, piece, at);
    if (!/\S/.test(text) && !(runs === 0 && elements === 0)) return { fault: 'Unexpected "," or "]"' };
    runs += 1;
    return { text, offset: start.offset };
  };
  for (let p = 0; p < pieces.length; offset += pieces[p].length, p++) {
    const s = pieces[p];
    let i = 0;
    if (!opened) {
      i = s.search(/\S/);
      if (i < 0) continue;
      opened = true; // at the '[' the caller found
      start = { piece: p, at: i + 1, offset: offset + i + 1 };
      i += 1;
    }
    for (; i < s.length; i++) {
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        const quote = s.indexOf('"', i);
        const end = quote < 0 ? s.length : quote;
        let backslashes = 0;
        while (end - 1 - backslashes >= i && s.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes += 1;
        if (quote < 0) {
          escaped = backslashes % 2 === 1; // the piece ends in an escape: the next character is escaped
          break;
        }
        if (backslashes % 2 === 0) inString = false;
        i = quote;
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth += 1;
      else if (c === 0x7d || c === 0x5d) {
        if (depth > 0) {
          depth -= 1;
          continue;
        }
        if (c !== 0x5d) {
          yield { fault: `Unexpected "}" at offset ${offset + i}` };
          return;
        }
        const run = endRun(p, i);
        yield run;
        if (run.fault !== undefined) return;
        if (/\S/.test(s.slice(i + 1)) || pieces.slice(p + 1).some((rest) => /\S/.test(rest)))
          yield { fault: `Unexpected non-whitespace after the array at offset ${offset + i + 1}` };
        return;
      } else if (c === 0x2c && depth === 0) {
        elements += 1;
        if (elements % perRun === 0) {
          const run = endRun(p, i);
          yield run;
          if (run.fault !== undefined) return;
          start = { piece: p, at: i + 1, offset: offset + i + 1 };
        }
      }
    }
    await pause();
  }
  yield { fault: inString ? 'Unterminated string' : 'Unexpected end of JSON input' };
}

/**
 * The values of a body that decoded to `count` values, as one JSON array's text on one line,
 * in pieces (what the journal keeps of a batch as sent: storage/journal-files.ts, format 2).
 * No value is re-encoded: an array body is kept as it is, an object wrapped, NDJSON's lines
 * joined. A raw newline in JSON text is whitespace (a string cannot hold one), so it becomes a space.
 */
export function sentArrayText(text: BodyText, ndjson: boolean, count: number): readonly string[] {
  const oneLine = (piece: string) => (piece.includes('\n') ? piece.replaceAll('\n', ' ') : piece);
  if (!ndjson && firstNonSpace(text) === '[') return piecesOf(text).map(oneLine);
  // One value: a lone object (which may span lines), or NDJSON of one line.
  if (count === 1) return ['[', ...piecesOf(text).map(oneLine), ']'];
  const out: string[] = [];
  let lines: string[] = [];
  let chars = 0;
  for (const [run] of lineRuns(piecesOf(text), LINES_PER_SLICE)) {
    for (const line of run) {
      const value = line.trim();
      if (value.length === 0) continue;
      lines.push(value);
      chars += value.length;
      if (chars >= SENT_PIECE_CHARS) {
        out.push((out.length === 0 ? '[' : ',') + lines.join(','));
        lines = [];
        chars = 0;
      }
    }
  }
  if (lines.length > 0) out.push((out.length === 0 ? '[' : ',') + lines.join(','));
  out.push(out.length === 0 ? '[]' : ']');
  return out;
}

/** NDJSON's lines are joined into pieces of about this many characters for the journal. */
const SENT_PIECE_CHARS = 64 * 1024;
