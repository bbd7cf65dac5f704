/** pg's parameter encoding (what `query` applies to each value); the package ships no types for it. */
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): unknown;
}
