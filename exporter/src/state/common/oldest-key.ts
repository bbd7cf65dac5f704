/**
 * The oldest key of an insertion-ordered Set or Map, found in amortized constant time, for
 * the structures that forget their oldest members past a bound.
 *
 * Why not `set.keys().next()`: V8 leaves a deleted entry as a hole at the front of its
 * hash table until the next rehash, and a fresh iterator walks every hole. A bounded set
 * that evicts its oldest member on each add therefore walked up to half its size per add
 * (1 M ids: ingest sixteen times slower, a 1,000-fill batch held the loop 1.5 s; issue 25).
 *
 * One iterator kept across calls never walks a hole twice: by the language's rules a live
 * Set/Map iterator skips deleted entries and reaches entries added after it was made, and
 * V8 carries a live iterator over a rehash. Every key before its position was taken here
 * and then deleted by the caller, and every key added later lies after it, so the next key
 * it yields is the oldest one present. A ring of keys beside the set would do the same at
 * the cost of a second array as large as the set (8 MB per million ids).
 */
export class OldestKey<K = string> {
  #of: object | undefined;
  #cursor: Iterator<K> | undefined;

  /**
   * The oldest key of `keys` (which must be the collection `iterate` walks); the caller
   * deletes it before asking again. Undefined when the collection is empty.
   */
  take(collection: object, iterate: () => Iterator<K>): K | undefined {
    if (this.#of !== collection || this.#cursor === undefined) {
      // A collection replaced under us (a snapshot restore sets the field): start over.
      this.#of = collection;
      this.#cursor = iterate();
    }
    let next = this.#cursor.next();
    if (next.done === true) {
      // An exhausted iterator stays done even when keys are added later.
      this.#cursor = iterate();
      next = this.#cursor.next();
    }
    return next.done === true ? undefined : next.value;
  }
}
