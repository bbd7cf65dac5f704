import { Backoff, pause } from './backoff';

test('waits double from the first ceiling up to the cap, each drawn from the upper half of its ceiling', () => {
  const lowest = new Backoff({ initialMs: 250, maxMs: 5000, random: () => 0 });
  const highest = new Backoff({ initialMs: 250, maxMs: 5000, random: () => 0.999999 });
  const seven = (b: Backoff) => Array.from({ length: 7 }, () => b.next());
  expect(seven(lowest)).toEqual([125, 250, 500, 1000, 2000, 2500, 2500]);
  expect(seven(highest)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
});

test('a success starts the schedule again; a long outage never overflows the cap', () => {
  const b = new Backoff({ initialMs: 1000, maxMs: 60_000, random: () => 0.5 });
  for (let i = 0; i < 5000; i++) b.next();
  expect(b.next()).toBe(45_000);
  b.reset();
  expect(b.next()).toBe(750);
});

test('two sources failing together do not retry together', () => {
  const waits = new Set(
    Array.from({ length: 20 }, () => new Backoff({ initialMs: 1000, maxMs: 30_000 }).next()),
  );
  expect(waits.size).toBeGreaterThan(10);
});

test('a pause ends at once when its signal aborts, and at its time otherwise', async () => {
  const stopping = new AbortController();
  const started = performance.now();
  const long = pause(60_000, stopping.signal);
  stopping.abort();
  await long;
  await pause(60_000, stopping.signal); // already aborted: does not wait either
  expect(performance.now() - started).toBeLessThan(1000);
  const t = performance.now();
  await pause(30);
  expect(performance.now() - t).toBeGreaterThanOrEqual(25);
});

test('without jitter every wait is its ceiling: the history writer probes a store that is down at fixed times', () => {
  const b = new Backoff({ initialMs: 250, maxMs: 15_000, jitter: false });
  expect(Array.from({ length: 9 }, () => b.next())).toEqual([
    250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
  ]);
});
