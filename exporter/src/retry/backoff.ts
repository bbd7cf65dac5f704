/**
 * The one retry schedule of the producers' sources (freqtrade's poller and message socket,
 * Nautilus's Redis reader, Hummingbot's MQTT client) and of the history writer: exponential,
 * capped, with jitter (the history writer's without: below).
 *
 * The n-th wait in a row is drawn from [ceiling / 2, ceiling], ceiling = min(maxMs,
 * initialMs · 2^(n−1)) ("equal jitter"): exporters restarted together, or many bots of one
 * exporter that lost one host, spread their retries over half the ceiling instead of
 * arriving together; and unlike full jitter (0 to ceiling) no wait is near zero, so a peer
 * that is down is never asked again at once.
 */

export interface BackoffOptions {
  /** The first wait's ceiling. */
  initialMs: number;
  /** The cap of every wait. */
  maxMs: number;
  /** A number in [0, 1) (tests pass a fixed one). */
  random?: () => number;
  /**
   * false: every wait is its ceiling (the history writer: one exporter probing its own store,
   * whose waits docs/history.md gives as 0.25 s doubling to 15 s). Default true.
   */
  jitter?: boolean;
}

export class Backoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The wait before the next attempt, one failure more. */
  next(): number {
    this.failures += 1;
    const { initialMs, maxMs, random = Math.random, jitter = true } = this.options;
    // The exponent stops growing once past the cap (2^40 ms is beyond any cap we set).
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 40));
    if (!jitter) return ceiling;
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  }

  /** An attempt succeeded: the next failure starts again from `initialMs`. */
  reset(): void {
    this.failures = 0;
  }
}

/** Waits `ms`, or less when `signal` aborts (a source stopping); never rejects. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
