/**
 * The one JSONL reader: a file of one JSON value a line, read as a stream. Blank lines are
 * skipped; a line that is not JSON is given with its number and the parser's reason, and
 * the reading goes on. Pure I/O and parsing: what the values mean is the caller's.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export type JsonlLine = { line: number; value: unknown } | { line: number; malformed: string };

/** Parses one line (surrounding whitespace, a byte-order mark included, ignored). */
export function parseJsonLine(text: string, line: number): JsonlLine | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return null;
  try {
    return { line, value: JSON.parse(trimmed) as unknown };
  } catch (err) {
    return { line, malformed: `malformed JSON: ${(err as Error).message}` };
  }
}

/** The non-blank lines of `file`, in order, numbered from 1. Rejects when the file cannot be read. */
export async function* readJsonl(file: string): AsyncGenerator<JsonlLine> {
  const input = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const text of input) {
      lineNo += 1;
      const parsed = parseJsonLine(text, lineNo);
      if (parsed) yield parsed;
    }
  } finally {
    input.close();
  }
}
