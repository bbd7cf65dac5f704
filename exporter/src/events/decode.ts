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
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length === 0) continue;
    try {
      values.push(JSON.parse(line));
    } catch (err) {
      problems.push({
        index: values.length + problems.length,
        field: '',
        reason: `malformed JSON on line ${i + 1}: ${(err as Error).message}`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (values.length === 0)
    return { ok: false, problems: [{ index: 0, field: '', reason: 'the body holds no events' }] };
  return { ok: true, values };
}
