/**
 * Collections that forget their oldest members past a capacity: the idempotency keys
 * (event ids, fill ids) and the per-order memories whose size must stay bounded.
 */
import { OldestKey } from './oldest-key';

/** A set that forgets its oldest members past a capacity (for idempotency keys). */
export class BoundedSet {
  private readonly items = new Set<string>();
  // Derived, not carried by a snapshot (a # field): restarts on a restored `items`.
  readonly #oldest = new OldestKey();
  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.items.has(key);
  }

  add(key: string): void {
    const items = this.items;
    // One hash lookup instead of two (has, then add): a member already held leaves the size
    // as it was (and keeps its place, as Set.add does).
    const before = items.size;
    items.add(key);
    if (items.size === before) return;
    if (items.size > this.capacity) {
      const oldest = this.#oldest.take(items, () => items.values());
      if (oldest !== undefined) items.delete(oldest);
    }
  }

  get size(): number {
    return this.items.size;
  }

  toArray(): string[] {
    return [...this.items];
  }
}

/** A map that forgets its least recently inserted entries past a capacity. */
export class BoundedMap<V> extends Map<string, V> {
  readonly #oldest = new OldestKey();
  constructor(private readonly capacity: number) {
    super();
  }
  override set(key: string, value: V): this {
    if (super.has(key)) super.delete(key);
    super.set(key, value);
    if (this.size > this.capacity) {
      const oldest = this.#oldest.take(this, () => super.keys());
      if (oldest !== undefined) super.delete(oldest);
    }
    return this;
  }
}
