/**
 * bench/limits: the exporter's token bucket (exporter/src/limits/token-bucket.ts) against
 * rate-limiter-flexible's RateLimiterMemory, the library issue 24 suggested, in one run.
 * - steady: a caller trying every 100 ms for ten simulated minutes.
 * - boundary: freqtrade's /status allows 20 requests a minute; the source budgets 15 a
 *   minute. A caller that is quiet most of a minute and busy across its end (WebSocket
 *   triggers piling up) tries every 100 ms from 58 s to 62 s of each minute, for ten
 *   simulated minutes. Printed: the most requests let through in any 60 s.
 * - cost: one decision (is this key under its rate? charge it) over 1,000 keys, a million
 *   times; ns per decision, and the memory one key holds (100,000 keys).
 * The library is not a dependency: install it for the run only,
 *   npm install --no-save rate-limiter-flexible@11.4.0 && NODE_OPTIONS=--expose-gc npx tsx bench/limits/limits.bench.ts
 */
import { TokenBucket, TokenBuckets } from '../../exporter/src/limits/token-bucket';

/** The part of rate-limiter-flexible's RateLimiterMemory this bench calls. */
interface MemoryLimiter {
  consume(key: string, points?: number): Promise<unknown>;
}
type MemoryLimiterClass = new (options: { points: number; duration: number }) => MemoryLimiter;

async function loadLibrary(): Promise<MemoryLimiterClass> {
  const name = 'rate-limiter-flexible';
  let lib: { RateLimiterMemory?: unknown };
  try {
    lib = (await import(name)) as { RateLimiterMemory?: unknown };
  } catch {
    console.error(`${name} is not installed: npm install --no-save ${name}@11.4.0`);
    process.exit(2);
  }
  if (typeof lib.RateLimiterMemory !== 'function') throw new Error(`${name}: no RateLimiterMemory`);
  return lib.RateLimiterMemory as MemoryLimiterClass;
}

/** The most timestamps (ms) inside any window of `windowMs`. */
function mostInAnyWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** The tries of a steady caller: every 100 ms. */
function steadyTries(minutes: number): number[] {
  return Array.from({ length: minutes * 600 }, (_, i) => i * 100);
}

/** The tries of the boundary caller: one at each minute's start, then every 100 ms from 58 s to 62 s. */
function boundaryTries(minutes: number): number[] {
  const tries: number[] = [];
  for (let m = 0; m < minutes; m++) {
    tries.push(m * 60_000);
    for (let t = 58_000; t < 62_000; t += 100) tries.push(m * 60_000 + t);
  }
  return [...new Set(tries)].sort((a, b) => a - b);
}

/** The most requests of `tries` let through in any 60 s under a budget of 15 a minute. */
async function mostPerMinute(
  Library: MemoryLimiterClass,
  tries: number[],
): Promise<{ ours: number; library: number }> {
  const bucket = new TokenBucket({ perSecond: 15 / 60, burst: 2, initial: 1 }, 0);
  const ours = tries.filter((t) => bucket.take(t));

  // The library reads Date.now(): the simulated clock is put in its place for this part only.
  const realNow = Date.now;
  let clock = 0;
  Date.now = () => clock;
  const limiter = new Library({ points: 15, duration: 60 });
  const library: number[] = [];
  try {
    for (const t of tries) {
      clock = t;
      const granted = await limiter.consume('status').then(
        () => true,
        () => false,
      );
      if (granted) library.push(t);
    }
  } finally {
    Date.now = realNow;
  }
  return { ours: mostInAnyWindow(ours, 60_000), library: mostInAnyWindow(library, 60_000) };
}

async function cost(Library: MemoryLimiterClass): Promise<{ ours: number; library: number }> {
  const N = 1_000_000;
  const keys = Array.from({ length: 1000 }, (_, i) => `token-${i}`);
  const buckets = new TokenBuckets({ perSecond: 1e9, burst: 2e9 });
  let t = performance.now();
  let refused = 0;
  for (let i = 0; i < N; i++) {
    const key = keys[i % keys.length];
    if (buckets.balance(key) <= 0) refused++;
    else buckets.charge(key, 1);
  }
  const ours = ((performance.now() - t) * 1e6) / N;

  const limiter = new Library({ points: 2e9, duration: 1 });
  t = performance.now();
  for (let i = 0; i < N; i++)
    await limiter.consume(keys[i % keys.length], 1).catch(() => {
      refused++;
    });
  const library = ((performance.now() - t) * 1e6) / N;
  if (refused > 0) throw new Error('no decision should have refused');
  return { ours, library };
}

/** Heap and external bytes one key holds, measured over 100,000 keys. */
async function memory(Library: MemoryLimiterClass): Promise<{ ours: number; library: number }> {
  const K = 100_000;
  const used = () => {
    global.gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  let before = used();
  const buckets = new TokenBuckets({ perSecond: 1, burst: 10 }, 2 * K);
  for (let i = 0; i < K; i++) buckets.charge(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 1);
  const ours = (used() - before) / K;
  before = used();
  const limiter = new Library({ points: 10, duration: 60 });
  for (let i = 0; i < K; i++) await limiter.consume(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
  const library = (used() - before) / K;
  // Both held to here, so neither was collected before its figure was read.
  if (buckets.size !== K || !limiter) throw new Error('keys lost');
  return { ours, library };
}

async function main(): Promise<void> {
  const Library = await loadLibrary();
  for (const [name, tries] of [
    ['steady', steadyTries(10)],
    ['boundary', boundaryTries(10)],
  ] as const) {
    const b = await mostPerMinute(Library, tries);
    console.log(
      `${name}: most /status requests in any 60 s (budget 15/min, freqtrade refuses past 20): ours ${b.ours}, rate-limiter-flexible ${b.library}`,
    );
  }
  const c = await cost(Library);
  console.log(
    `cost: ns per decision: ours ${c.ours.toFixed(0)}, rate-limiter-flexible ${c.library.toFixed(0)} (library/ours ${(c.library / c.ours).toFixed(1)}×)`,
  );
  const m = await memory(Library);
  console.log(
    `memory: bytes per key: ours ${m.ours.toFixed(0)}, rate-limiter-flexible ${m.library.toFixed(0)} (library/ours ${(m.library / m.ours).toFixed(1)}×)${global.gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
  );
}

void main();
