/**
 * Body decoding: a JSON array, a single JSON object, or NDJSON (one object a line).
 * Pure: bytes in, values or a located problem out.
 */
import type { EventProblem } from './validate';

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
  text: string,
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
 * refused whole; NDJSON's runs stop being taken at its first malformed line.
 */
export async function decodeEventsInRuns(
  text: string,
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
  if (text.length < sizes.minBytes) return whole(decodeEvents(text, ndjson));
  const trimmed = text.trimStart();
  if (!ndjson && trimmed.startsWith('['))
    return decodeArrayInRuns(text, text.length - trimmed.length, sizes.elementsPerRun, pause, take);
  if (!ndjson && !(trimmed.startsWith('{') && text.includes('\n'))) return whole(decodeEvents(text, ndjson));
  const lines = text.split('\n');
  let count = 0;
  const problems: EventProblem[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SLICE) {
    const run: unknown[] = [];
    decodeLinesInto(lines.slice(i, i + LINES_PER_SLICE), i, run, problems, count);
    if (problems.length === 0 && run.length > 0) await take(run, count);
    count += run.length;
    await pause();
  }
  if (problems.length > 0) return { ok: false, problems };
  if (count === 0)
    return { ok: false, problems: [{ index: 0, field: '', reason: 'the body holds no events' }] };
  return { ok: true, count };
}

async function decodeArrayInRuns(
  text: string,
  open: number,
  perRun: number,
  pause: () => Promise<void>,
  take: RunTaker,
): Promise<RunsResult> {
  const malformed = (reason: string): RunsResult => ({
    ok: false,
    problems: [{ index: 0, field: '', reason: `malformed JSON: ${reason}` }],
  });
  const runs = await arrayRuns(text, open, perRun, pause);
  if (typeof runs === 'string') return malformed(runs);
  let count = 0;
  for (const [start, end] of runs) {
    let run: unknown[];
    try {
      run = JSON.parse(`[${text.slice(start, end)}]`) as unknown[];
    } catch (err) {
      return malformed(`${(err as Error).message} (in the elements from offset ${start})`);
    }
    await take(run, count);
    count += run.length;
    await pause();
  }
  return { ok: true, count };
}

/**
 * The [start, end) of runs of `perRun` top-level elements of the array that
 * opens at `open` (the commas between runs left out), or why it is not a closed array.
 */
async function arrayRuns(
  text: string,
  open: number,
  perRun: number,
  pause: () => Promise<void>,
): Promise<[number, number][] | string> {
  const runs: [number, number][] = [];
  let depth = 0;
  let elements = 0;
  let runStart = open + 1;
  const endRun = (end: number): string | null => {
    // An empty run other than the whole of `[]` is a stray comma (`[1,]`, `[1,,2]`).
    if (text.slice(runStart, end).trim().length === 0 && !(runs.length === 0 && elements === 0))
      return 'Unexpected "," or "]"';
    runs.push([runStart, end]);
    return null;
  };
  for (let i = open + 1; i < text.length; i++) {
    if ((i & 0xffff) === 0) await pause();
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const close = stringEnd(text, i);
      if (close < 0) return 'Unterminated string';
      i = close;
    } else if (c === 0x7b || c === 0x5b) depth += 1;
    else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) {
        depth -= 1;
        continue;
      }
      if (c !== 0x5d) return `Unexpected "}" at offset ${i}`;
      const stray = endRun(i);
      if (stray) return stray;
      if (text.slice(i + 1).trim().length > 0)
        return `Unexpected non-whitespace after the array at offset ${i + 1}`;
      return runs;
    } else if (c === 0x2c && depth === 0) {
      elements += 1;
      if (elements % perRun === 0) {
        const stray = endRun(i);
        if (stray) return stray;
        runStart = i + 1;
      }
    }
  }
  return 'Unexpected end of JSON input';
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let from = open + 1; ;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/**
 * The values of a body that decoded to `count` values, as one JSON array's text on one line
 * (what the journal keeps of a batch as sent: storage/journal-files.ts, format 2). No value is
 * re-encoded: an array body is kept as it is, an object wrapped, NDJSON's lines joined.
 * A raw newline in JSON text is whitespace (a string cannot hold one), so it becomes a space.
 */
export function sentArrayText(text: string, ndjson: boolean, count: number): string {
  const trimmed = text.trimStart();
  let array: string;
  if (!ndjson && trimmed.startsWith('[')) array = text;
  // One value: a lone object (which may span lines), or NDJSON of one line.
  else if (count === 1) array = `[${text}]`;
  else {
    const lines: string[] = [];
    for (const line of text.split('\n')) {
      const value = line.trim();
      if (value.length > 0) lines.push(value);
    }
    return `[${lines.join(',')}]`;
  }
  return array.includes('\n') ? array.replaceAll('\n', ' ') : array;
}
