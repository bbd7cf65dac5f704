import { TokenBucket, TokenBuckets } from './token-bucket';

test('a bucket lets its burst go at once, then one token per 1/rate, never more than the burst', () => {
  const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, 0);
  expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
  expect(bucket.waitMs(0)).toBe(500);
  expect(bucket.take(499)).toBe(false);
  expect(bucket.take(500)).toBe(true);
  // A long quiet spell earns back the burst, not more.
  expect(bucket.balance(60_000)).toBe(3);
});

test('over any window a bucket lets through at most burst + rate × window (no boundary doubles it)', () => {
  // freqtrade's /status: 15 a minute, burst 2, starting with one token.
  const bucket = new TokenBucket({ perSecond: 15 / 60, burst: 2, initial: 1 }, 0);
  const granted: number[] = [];
  for (let t = 0; t < 5 * 60_000; t += 100) if (bucket.take(t)) granted.push(t);
  for (const start of granted) {
    const inMinute = granted.filter((t) => t >= start && t < start + 60_000).length;
    expect(inMinute).toBeLessThanOrEqual(15 + 1);
  }
  expect(granted.filter((t) => t < 60_000)).toHaveLength(15); // the one at start, then one every 4 s
});

test('a charge may go below zero, and the debt is paid back over time', () => {
  const bucket = new TokenBucket({ perSecond: 100, burst: 200 }, 0);
  bucket.charge(1200, 0); // six seconds' worth of work at once
  expect(bucket.balance(0)).toBe(-1000);
  expect(bucket.balance(9_999)).toBeLessThan(0);
  expect(bucket.balance(10_000)).toBeCloseTo(0, 9);
});

test('keyed buckets are apart; an unknown key holds the initial balance', () => {
  const buckets = new TokenBuckets({ perSecond: 1, burst: 5, initial: 2 });
  buckets.charge('a', 2, 0);
  expect(buckets.balance('a', 0)).toBe(0);
  expect(buckets.balance('b', 0)).toBe(2);
  expect(buckets.size).toBe(1); // reading a key takes no memory
});

test('keyed buckets bound their memory under a spray of keys', () => {
  const buckets = new TokenBuckets({ perSecond: 1, burst: 2 }, 1000);
  for (let i = 0; i < 10_000; i++) buckets.charge(`x${i}`, 1, 0);
  expect(buckets.size).toBeLessThanOrEqual(1000);
  // Full buckets go first: a key still in debt survives when the others have earned back.
  const kept = new TokenBuckets({ perSecond: 1, burst: 2 }, 10);
  kept.charge('attacker', 100, 0);
  for (let i = 0; i < 9; i++) kept.charge(`k${i}`, 1, 0);
  kept.charge('late', 1, 5_000); // the 11th key: the nine others are full again by now
  expect(kept.size).toBe(2);
  expect(kept.balance('attacker', 5_000)).toBeLessThan(0);
});
