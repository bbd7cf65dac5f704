/**
 * JSON.parse that keeps integers beyond 2^53 exact. The Rust node writes its nanosecond
 * times as JSON integers (1.7e18 today); a double holds them only to ±256 ns, which can move
 * a time across a millisecond. Every integer literal of 16 digits or more outside a string
 * becomes a decimal string before parsing; strings are matched whole, so nothing inside
 * one is touched, and the digits of a fraction or an exponent are not an integer (serde
 * writes f64 such as 0.016666666666666666 beside them).
 */
const TOKENS = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g;

export function parseJsonExact(text: string): unknown {
  const quoted = text.replace(TOKENS, (token: string, big: string | undefined) =>
    big === undefined ? token : `"${big}"`,
  );
  return JSON.parse(quoted) as unknown;
}
