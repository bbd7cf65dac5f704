/**
 * The one rate limiter of the exporter: a token bucket, alone (a freqtrade endpoint's
 * request budget) or one per key (the ingest rate per token, the wrong secrets per address).
 *
 * Ours rather than rate-limiter-flexible's in-memory limiters (bench/limits/limits.bench.ts
 * measures both in one run) because every user here needs what a fixed window lacks:
 * - a balance that earns back continuously, so no window boundary lets twice the rate
 *   through (freqtrade's 20 a minute on /status must hold over any minute);
 * - a start below the burst (a restarted exporter must not add a full burst to what its
 *   previous process sent in the same minute);
 * - a debt: ingest charges a batch once applied, and a large batch is paid back over
 *   time instead of being forgotten at the next window;
 * - a synchronous answer and a caller's clock: the token check runs on every request and
 *   WebSocket upgrade before any await, and tests move time by passing `now`.
 */

export interface BucketShape {
  /** Tokens earned back per second. */
  perSecond: number;
  /** The most tokens a bucket holds (what may go at once after a quiet spell). */
  burst: number;
  /** Tokens at the start; the burst unless given. */
  initial?: number;
}

export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly shape: BucketShape,
    now = Date.now(),
  ) {
    this.tokens = Math.min(shape.initial ?? shape.burst, shape.burst);
    this.at = now;
  }

  /** Tokens held now; below zero while a debt is being paid back. */
  balance(now = Date.now()): number {
    const earned = ((now - this.at) / 1000) * this.shape.perSecond;
    if (earned > 0) this.tokens = Math.min(this.shape.burst, this.tokens + earned);
    this.at = Math.max(this.at, now);
    return this.tokens;
  }

  /** Takes one token if one is there. */
  take(now = Date.now()): boolean {
    if (this.balance(now) < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Charges work already done: the balance may go below zero (a debt paid back over time). */
  charge(cost: number, now = Date.now()): void {
    this.balance(now);
    this.tokens -= cost;
  }

  /** Milliseconds until one token is there (0: now). */
  waitMs(now = Date.now()): number {
    const missing = 1 - this.balance(now);
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / this.shape.perSecond);
  }

  /** Whether the bucket has earned back its whole burst (then it is the same as a new one). */
  isFull(now = Date.now()): boolean {
    return this.balance(now) >= this.shape.burst;
  }
}

/**
 * A bucket per key. A key never charged holds the initial balance without taking memory;
 * past `maxKeys` (a spray of addresses) full buckets are dropped, and if that is not enough
 * every bucket is: the memory stays bounded whatever the keys.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly shape: BucketShape,
    private readonly maxKeys = 100_000,
  ) {}

  balance(key: string, now = Date.now()): number {
    const bucket = this.buckets.get(key);
    return bucket ? bucket.balance(now) : Math.min(this.shape.initial ?? this.shape.burst, this.shape.burst);
  }

  /** Milliseconds until the key's bucket holds one token (0: now). */
  waitMs(key: string, now = Date.now()): number {
    return (this.buckets.get(key) ?? new TokenBucket(this.shape, now)).waitMs(now);
  }

  charge(key: string, cost: number, now = Date.now()): void {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.shape, now);
      this.buckets.set(key, bucket);
    }
    bucket.charge(cost, now);
    if (this.buckets.size > this.maxKeys) this.shed(now);
  }

  /** Buckets held (tests: the memory bound). */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops full buckets; unless that frees half the room, drops all (so a spray costs O(1) a key). */
  private shed(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
    if (this.buckets.size > this.maxKeys / 2) this.buckets.clear();
  }
}
