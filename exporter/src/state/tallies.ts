/**
 * Counting structures the domain keeps for itself (no prom-client here): a counter per
 * label set and a bucketed distribution. Metrics collectors read them at scrape.
 */

export type Labels = Readonly<Record<string, string>>;

/** Monotonic counts keyed by a small, bounded label set. */
export class LabeledCounter {
  private readonly entries = new Map<string, { labels: Labels; value: number }>();

  inc(labels: Labels, by = 1): void {
    const key = labelKey(labels);
    const entry = this.entries.get(key);
    if (entry) entry.value += by;
    else this.entries.set(key, { labels: { ...labels }, value: by });
  }

  get(labels: Labels): number {
    return this.entries.get(labelKey(labels))?.value ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const e of this.entries.values()) sum += e.value;
    return sum;
  }

  values(): IterableIterator<{ labels: Labels; value: number }> {
    return this.entries.values();
  }
}

/** Observations in cumulative buckets, as a Prometheus histogram reports them. */
export class Distribution {
  readonly counts: number[];
  count = 0;
  sum = 0;

  constructor(readonly buckets: readonly number[]) {
    this.counts = new Array<number>(buckets.length).fill(0);
  }

  observe(value: number): void {
    this.count += 1;
    this.sum += value;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) this.counts[i] += 1;
  }
}

export class LabeledDistribution {
  private readonly entries = new Map<string, { labels: Labels; dist: Distribution }>();

  constructor(readonly buckets: readonly number[]) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { labels: { ...labels }, dist: new Distribution(this.buckets) };
      this.entries.set(key, entry);
    }
    entry.dist.observe(value);
  }

  values(): IterableIterator<{ labels: Labels; dist: Distribution }> {
    return this.entries.values();
  }
}

function labelKey(labels: Labels): string {
  let key = '';
  for (const k in labels) key += k + '\u0001' + labels[k] + '\u0002';
  return key;
}

/** A set that forgets its oldest members past a capacity (for idempotency keys). */
export class BoundedSet {
  private readonly items = new Set<string>();
  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.items.has(key);
  }

  add(key: string): void {
    if (this.items.has(key)) return;
    this.items.add(key);
    if (this.items.size > this.capacity) {
      const oldest = this.items.values().next().value as string;
      this.items.delete(oldest);
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
  constructor(private readonly capacity: number) {
    super();
  }
  override set(key: string, value: V): this {
    if (super.has(key)) super.delete(key);
    super.set(key, value);
    if (this.size > this.capacity) super.delete(this.keys().next().value as string);
    return this;
  }
}
