/**
 * Cheaper conversions between numbers and decimal.js values, each giving exactly what
 * decimal.js itself gives (the accounting's figures must not move by a digit):
 *
 * - `decimalToNumber(d)` equals `d.toNumber()` (the correctly rounded double of `d`), but
 *   skips the string round trip when the decimal's digits fit a double exactly: an integer
 *   mantissa below 2^53 times a power of ten up to 10^22 is one correctly rounded
 *   multiplication or division of two exact doubles (Clinger's fast path).
 * - `decimalOf(n)` equals `new Decimal(n)`; decimals are immutable, so recent values
 *   (prices, quantities and fees repeat) are shared instead of parsed again.
 */
import Decimal from 'decimal.js';

const TWO_53 = 2 ** 53;
/** Powers of ten that are exact doubles (10^22 is the last). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

export function decimalToNumber(d: Decimal): number {
  const words = d.d as number[] | null;
  // NaN and ±Infinity have no digits; three words or more rarely fit 53 bits.
  if (words === null || words.length > 3) return d.toNumber();
  let mantissa = words[0];
  for (let i = 1; i < words.length; i++) mantissa = mantissa * 1e7 + words[i];
  if (mantissa >= TWO_53) return d.toNumber();
  // decimal.js keeps base-1e7 words; the first holds (e mod 7) + 1 digits.
  const leadDigits = (((d.e % 7) + 7) % 7) + 1;
  const exponent = d.e - (leadDigits - 1) - 7 * (words.length - 1);
  let n: number;
  if (exponent >= 0) {
    if (exponent > 22) return d.toNumber();
    n = mantissa * POW10[exponent];
  } else {
    if (exponent < -22) return d.toNumber();
    n = mantissa / POW10[-exponent];
  }
  return d.s < 0 ? -n : n;
}

const SHARED_LIMIT = 4096;
let shared = new Map<number, Decimal>();

export function decimalOf(n: number): Decimal {
  // ±0 are one key to a Map but two decimals: they are built each time.
  if (n === 0) return new Decimal(n);
  let d = shared.get(n);
  if (d === undefined) {
    d = new Decimal(n);
    // Bounded: a stream of ever new values starts the table afresh.
    if (shared.size >= SHARED_LIMIT) shared = new Map();
    shared.set(n, d);
  }
  return d;
}

/**
 * An event's figure as a decimal: the exact decimal string the event carries for it
 * (events/exact.ts) when there is one, else its number, as `decimalOf` gives it.
 */
export function figureOf(n: number, exact: string | undefined): Decimal {
  return exact === undefined ? decimalOf(n) : new Decimal(exact);
}

/** One figure's number, remembered for the decimal it was taken from (they are immutable). */
export class NumberOf {
  #from: Decimal | null = null;
  #number = 0;
  of(d: Decimal): number {
    if (this.#from !== d) {
      this.#from = d;
      this.#number = decimalToNumber(d);
    }
    return this.#number;
  }
}
