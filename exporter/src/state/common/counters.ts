/**
 * Counting structures the domain keeps for itself (no prom-client here): a counter per
 * label set and a bucketed distribution. Metrics collectors read them at scrape.
 */

export type Labels = Readonly<Record<string, string>>;

/**
 * Entries found by their labels without building a key string: one map lookup per label
 * value (their hashes are cached in the strings). Derived: it holds what `entries` holds,
 * and is filled from it on a miss (after a snapshot restore, say).
 */
class LabelIndex<E> {
  private readonly root: IndexNode<E> = newNode();

  get(labels: Labels): E | undefined {
    let node: IndexNode<E> | undefined = this.root;
    for (const k in labels) {
      // Earned by a measure: a node's one label name compared by identity instead of a map
      // lookup by name (the label sets of a counter have one shape): 0.74 of the counters' CPU
      // before (inc, has, observe on the bench workload's label sets).
      const byValue: Map<string, IndexNode<E>> | undefined =
        node.name === k ? node.byValue : node.others?.get(k);
      node = byValue?.get(labels[k]);
      if (node === undefined) return undefined;
    }
    return node.entry;
  }

  set(labels: Labels, entry: E): void {
    let node = this.root;
    for (const k in labels) {
      let byValue: Map<string, IndexNode<E>> | undefined;
      if (node.name === undefined) {
        node.name = k;
        byValue = node.byValue;
      } else if (node.name === k) byValue = node.byValue;
      else {
        node.others ??= new Map();
        byValue = node.others.get(k);
        if (byValue === undefined) node.others.set(k, (byValue = new Map()));
      }
      let child = byValue.get(labels[k]);
      if (child === undefined) byValue.set(labels[k], (child = newNode()));
      node = child;
    }
    node.entry = entry;
  }
}
/** A node of the index: its children by the value of `name` (the first label name met here), the others by name then value. */
interface IndexNode<E> {
  name: string | undefined;
  readonly byValue: Map<string, IndexNode<E>>;
  others: Map<string, Map<string, IndexNode<E>>> | undefined;
  entry: E | undefined;
}
function newNode<E>(): IndexNode<E> {
  return { name: undefined, byValue: new Map(), others: undefined, entry: undefined };
}

/** Monotonic counts keyed by a small, bounded label set. */
export class LabeledCounter {
  private readonly entries = new Map<string, { labels: Labels; value: number }>();
  // Private: a snapshot carries `entries` only (its format is unchanged).
  readonly #index = new LabelIndex<{ labels: Labels; value: number }>();

  inc(labels: Labels, by = 1): void {
    const entry = this.#index.get(labels);
    if (entry) {
      entry.value += by;
      return;
    }
    const key = labelKey(labels);
    const known = this.entries.get(key);
    if (known) known.value += by;
    const indexed = known ?? { labels: { ...labels }, value: by };
    if (!known) this.entries.set(key, indexed);
    this.#index.set(labels, indexed);
  }

  get(labels: Labels): number {
    return (this.#index.get(labels) ?? this.entries.get(labelKey(labels)))?.value ?? 0;
  }

  /** True when the label set has a series (whatever its value). */
  has(labels: Labels): boolean {
    return (this.#index.get(labels) ?? this.entries.get(labelKey(labels))) !== undefined;
  }

  /** Label sets held (series written at a scrape). */
  get size(): number {
    return this.entries.size;
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

/** Cumulative counts keyed by their bucket bound (the number as a string): what a snapshot carries. */
export type CountsByBound = Record<string, number>;

/**
 * Observations in cumulative buckets, as a Prometheus histogram reports them. The bounds
 * come from code, never from a snapshot (a # field): a snapshot carries the counts by
 * bound, and `rebind` lays them onto the code's bounds, so changing a bucket needs no
 * snapshot migration.
 */
export class Distribution {
  counts: number[];
  count = 0;
  sum = 0;
  #bounds: readonly number[];

  constructor(buckets: readonly number[]) {
    this.#bounds = buckets;
    this.counts = new Array<number>(buckets.length).fill(0);
  }

  get buckets(): readonly number[] {
    return this.#bounds;
  }

  observe(value: number): void {
    this.count += 1;
    this.sum += value;
    const bounds = this.#bounds;
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) this.counts[i] += 1;
  }

  countsByBound(): CountsByBound {
    const out: CountsByBound = {};
    for (let i = 0; i < this.#bounds.length; i++) out[String(this.#bounds[i])] = this.counts[i];
    return out;
  }

  /**
   * Binds counts restored by bound (`written`) to `bounds`, the code's. A bound written too
   * keeps its count exactly; a bound not written takes the count of the largest written
   * bound below it (observations known to be at or under it: a lower bound, 0 below them
   * all); count and sum stay exact. Returns false when the bounds differed.
   */
  rebind(bounds: readonly number[], written: CountsByBound): boolean {
    const known = Object.entries(written)
      .map(([bound, n]) => [Number(bound), n] as const)
      .sort((a, b) => a[0] - b[0]);
    for (const [bound, n] of known)
      if (Number.isNaN(bound) || typeof n !== 'number')
        throw new Error(`a histogram count is malformed at ${bound}`);
    this.#bounds = bounds;
    this.counts = bounds.map((b) => {
      let n = 0;
      for (const [bound, c] of known) if (bound <= b) n = c;
      return n;
    });
    return known.length === bounds.length && known.every(([bound], i) => bound === bounds[i]);
  }
}

export class LabeledDistribution {
  private readonly entries = new Map<string, { labels: Labels; dist: Distribution }>();
  readonly #index = new LabelIndex<{ labels: Labels; dist: Distribution }>();

  constructor(readonly buckets: readonly number[]) {}

  observe(labels: Labels, value: number): void {
    let entry = this.#index.get(labels);
    if (!entry) {
      const key = labelKey(labels);
      entry = this.entries.get(key);
      if (!entry) {
        entry = { labels: { ...labels }, dist: new Distribution(this.buckets) };
        this.entries.set(key, entry);
      }
      this.#index.set(labels, entry);
    }
    entry.dist.observe(value);
  }

  values(): IterableIterator<{ labels: Labels; dist: Distribution }> {
    return this.entries.values();
  }

  /**
   * After a snapshot restore: each distribution's counts, which the decoder left as written
   * (by bound), bound to this one's bucket bounds (Distribution.rebind). Returns false when
   * some were written at other bounds.
   */
  restoreCounts(): boolean {
    let same = true;
    for (const { dist } of this.entries.values()) {
      const written: unknown = dist.counts;
      if (written === null || typeof written !== 'object' || Array.isArray(written))
        throw new Error('a restored histogram holds no counts by bound');
      if (!dist.rebind(this.buckets, written as CountsByBound)) same = false;
    }
    return same;
  }
}

function labelKey(labels: Labels): string {
  let key = '';
  for (const k in labels) key += k + '\u0001' + labels[k] + '\u0002';
  return key;
}
