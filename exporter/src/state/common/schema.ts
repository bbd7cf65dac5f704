/**
 * The shape of a snapshot schema (snapshot.ts): each slice lists what a snapshot carries of
 * its classes in its own schema.ts, with these types; snapshot-schemas.ts gathers them.
 */

/** The JSON-compatible tree a snapshot is made of. */
export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

export type Fields = { [key: string]: Encoded };

export interface ClassSchema {
  /** Raised when the list changes; each raise comes with the migration from the one before. */
  readonly version: number;
  /** The fields a snapshot carries (KEEP fields and callbacks are never carried). */
  readonly fields: readonly string[];
  /**
   * `migrations[v]` turns the encoded fields of version v into those of v + 1. `target`:
   * the instance they will be laid over, as the running process built it (its configuration);
   * `resolve`: the value a reference points at (shared values are written once).
   */
  readonly migrations?: Readonly<
    Record<number, (fields: Fields, target: object, resolve: (value: Encoded) => Encoded) => Fields>
  >;
  /** The fields as a snapshot writes them, when not the instance's own values. */
  readonly written?: (instance: object) => Record<string, unknown>;
  /** Called once a restored instance's fields are laid (to bind what the snapshot leaves to code). */
  readonly restore?: (instance: object, note: (message: string) => void) => void;
}

/**
 * A field list: the public fields of T are checked by the compiler (a rename is a compile
 * error); the private ones are checked by the snapshot test against a fresh instance.
 */
export function fieldsOf<T>() {
  return <K extends keyof T & string>(publicFields: readonly K[], privateFields: readonly string[] = []) => [
    ...publicFields,
    ...privateFields,
  ];
}
