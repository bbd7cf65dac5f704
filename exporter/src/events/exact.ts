/**
 * Exact figures from exact input (docs/events.md: quantities and prices are JSON
 * numbers or decimal strings). A validated event carries each figure as a number: metrics,
 * the feed and storage read numbers. When a decimal string holds digits that number
 * drops ("0.30000000000000001" is the double 0.3), the string itself rides along in the
 * event's `exact` (field path → the decimal string as sent), and the accounting (state/)
 * takes its decimal from there. It is part of the validated event, so the journal keeps it
 * and a restore applies the same digits. JSON numbers never get an entry: their figures
 * are what they were.
 *
 * `exact` is never read from a client: zod and the fast path drop unknown keys, and
 * `withExact` builds it from the raw input alone.
 */
import Decimal from 'decimal.js';

/** Field path (e.g. `price`, `balances.USD`, `positions.0.quantity`) → decimal string. */
export type ExactFigures = Record<string, string>;
export interface Exactly {
  exact?: ExactFigures;
}

/** The decimal fields of each event type that the accounting reads. */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  order: ['quantity', 'filled_quantity', 'avg_fill_price', 'fees'],
  fill: ['price', 'quantity', 'fee'],
  mark: ['price', 'bid', 'ask'],
};
/**
 * True for a sign, then 1 to 16 characters of digits and dots, of which at most 15 digits
 * (what /^[+-]?[0-9.]{1,16}$/ and a digit count said): a loop, without the regex and the
 * digits-only copy, as every decimal string of every fill and order passes here.
 */
function isPlainShort(s: string): boolean {
  const first = s.charCodeAt(0);
  const from = first === 0x2b || first === 0x2d ? 1 : 0;
  if (s.length - from < 1 || s.length - from > 16) return false;
  let digits = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits += 1;
    else if (c !== 0x2e) return false;
  }
  return digits <= 15;
}

/** True when `n` (the double `s` became) is printed as the same decimal number as `s`. */
export function keepsDigits(s: string, n: number): boolean {
  // Up to 15 significant digits without an exponent always survive the double's round trip.
  if (isPlainShort(s)) return true;
  try {
    return new Decimal(s).eq(new Decimal(n));
  } catch {
    return true; // not a decimal string: the schema has judged it already
  }
}

function note(
  exact: ExactFigures | undefined,
  path: string,
  raw: unknown,
  n: unknown,
): ExactFigures | undefined {
  if (typeof raw !== 'string' || typeof n !== 'number' || keepsDigits(raw, n)) return exact;
  const out = exact ?? {};
  out[path] = raw;
  return out;
}

function noteRecord(exact: ExactFigures | undefined, prefix: string, raw: unknown, out: unknown) {
  if (typeof raw !== 'object' || raw === null || typeof out !== 'object' || out === null) return exact;
  const numbers = out as Record<string, unknown>;
  for (const [key, v] of Object.entries(raw)) exact = note(exact, `${prefix}.${key}`, v, numbers[key]);
  return exact;
}

/** Adds `exact` to a freshly validated event (mutates and returns it) when its input needs one. */
export function withExact<T extends object>(raw: unknown, event: T): T {
  const input = raw as Record<string, unknown>;
  const out = event as Record<string, unknown>;
  let exact: ExactFigures | undefined;
  const fields = FIELDS[out.type as string];
  if (fields !== undefined) {
    for (const f of fields) exact = note(exact, f, input[f], out[f]);
  } else if (out.type === 'balance' || out.type === 'snapshot') {
    exact = noteRecord(exact, 'balances', input.balances, out.balances);
    if (Array.isArray(input.positions) && Array.isArray(out.positions)) {
      const positions = out.positions as Record<string, unknown>[];
      (input.positions as unknown[]).forEach((p, i) => {
        if (typeof p !== 'object' || p === null) return;
        const position = p as Record<string, unknown>;
        exact = note(exact, `positions.${i}.quantity`, position.quantity, positions[i]?.quantity);
        exact = note(exact, `positions.${i}.avg_price`, position.avg_price, positions[i]?.avg_price);
      });
    }
  }
  if (exact !== undefined) out.exact = exact;
  return event;
}
