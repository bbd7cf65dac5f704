/**
 * Text both history stores keep as it was sent (docs/events.md, "Text"): no NUL character
 * (PostgreSQL's `text` refuses 0x00, so one NUL once blocked every later write) and well-formed
 * UTF-16 (a lone surrogate has no UTF-8 form: a store would keep U+FFFD instead). An event
 * holding other text is refused at ingest, naming the field, so SQLite and PostgreSQL keep
 * the same characters and no acknowledged row is one the store cannot take.
 */

/**
 * No NUL and no surrogate half without its other half (the NUL is what the rule is about).
 * A loop over the code units, not a regular expression: every string of every event passes
 * here, and the loop took a fraction of the regex's time on short text.
 */
export function isStorableText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return false;
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return false; // a low half with no high half before it
    const next = s.charCodeAt(i + 1); // NaN past the end
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i += 1;
  }
  return true;
}

export const UNSTORABLE_TEXT_REASON =
  'must not hold a NUL character (\\u0000) or an unpaired surrogate (text the history stores cannot keep)';

/**
 * The dotted path of the first string in `value` (a value or an object key, at any depth)
 * that is not storable, or null when all are. Paths name keys as the batch's problems do
 * (`labels.host`, `orders.0.reason`).
 */
export function unstorableTextPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextPath(value[i], path === '' ? String(i) : `${path}.${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (!isStorableText(key)) return at;
    const found = unstorableTextPath((value as Record<string, unknown>)[key], at);
    if (found !== null) return found;
  }
  return null;
}
