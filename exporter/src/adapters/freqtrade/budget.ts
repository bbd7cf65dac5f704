/**
 * A token bucket per endpoint: at most `perMinute` requests a minute on average, `burst`
 * at once. freqtrade's newer releases rate-limit some endpoints (`/status` 20 a minute,
 * `/trades` 10 a minute); the source keeps under them so that it never earns a 429.
 */
export class Budget {
  private tokens: number;
  private last: number;

  constructor(
    readonly perMinute: number,
    readonly burst: number,
    /**
     * Tokens at start. One, not the burst: a restarted exporter must not add a full burst to
     * the requests its previous process made in the same minute.
     */
    initial = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = Math.min(initial, burst);
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perMinute) / 60_000);
    this.last = t;
  }

  /** Milliseconds until a request may go (0: now). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
  }

  /** Takes a token if one is there. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
