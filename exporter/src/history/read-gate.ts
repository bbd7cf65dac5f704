/**
 * A bound on concurrent history reads, per client and in total, shared by the history API
 * and the feed's `fills` snapshots (docs/history.md, "Reads"): a flood of reads never queues
 * unbounded work, and one client cannot take every slot. The API asks for a slot and answers
 * 429 when there is none; the feed waits for one (within its snapshot timeout).
 */

/** Reads running at once, in all (the read worker runs one at a time; the rest wait their turn). */
export const HISTORY_READS_TOTAL = 8;
/** Reads running at once for one token (or the feed): the others keep their share. */
export const HISTORY_READS_PER_CLIENT = 4;

export type Release = () => void;

export class ReadGate {
  private total = 0;
  private readonly perClient = new Map<string, number>();
  private readonly waiters: { client: string; grant: (release: Release) => void }[] = [];

  constructor(
    readonly maxTotal = HISTORY_READS_TOTAL,
    readonly maxPerClient = HISTORY_READS_PER_CLIENT,
  ) {}

  /** A slot for `client` now, or null when it has its share or all are taken. */
  tryAcquire(client: string): Release | null {
    const mine = this.perClient.get(client) ?? 0;
    if (this.total >= this.maxTotal || mine >= this.maxPerClient) return null;
    this.total += 1;
    this.perClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left === 0) this.perClient.delete(client);
      else this.perClient.set(client, left);
      this.wake();
    };
  }

  /** A slot for `client`, waiting up to `timeoutMs` for one; null when none came in time. */
  acquire(client: string, timeoutMs: number): Promise<Release | null> {
    const now = this.tryAcquire(client);
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter = {
        client,
        grant: (release: Release) => {
          clearTimeout(timer);
          resolve(release);
        },
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(null);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  get running(): number {
    return this.total;
  }

  private wake(): void {
    for (let i = 0; i < this.waiters.length; i++) {
      const release = this.tryAcquire(this.waiters[i].client);
      if (!release) continue;
      const [waiter] = this.waiters.splice(i, 1);
      waiter.grant(release);
      return;
    }
  }
}
