/**
 * How long a server keeps others waiting while it works: `path` is polled every `everyMs`
 * while `during` runs, and the longest answer time is kept. Used by the large-batch test
 * (tests/exporter/large-batch.test.ts) and bench/ingest/issue23.bench.ts.
 */
export async function longestAnswer<T>(
  baseUrl: string,
  path: string,
  during: () => Promise<T>,
  everyMs = 20,
): Promise<{ result: T; longestMs: number; polls: number }> {
  let done = false;
  let longestMs = 0;
  let polls = 0;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${baseUrl}${path}`);
      await res.text();
      longestMs = Math.max(longestMs, performance.now() - started);
      polls += 1;
      const wait = everyMs - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  try {
    const result = await during();
    return { result, longestMs, polls };
  } finally {
    done = true;
    await poller;
  }
}
