/**
 * A large body is read in pieces (issue 23): over 1 MB, the exporter keeps the chunks the
 * socket gave, decodes each to a piece of text, finds the array's runs or NDJSON's lines
 * across the pieces, and journals the pieces without ever joining them (docs/events.md,
 * "Large batches"). Against the real exporter: bodies of both shapes whose free text is
 * dense with characters of 2, 3 and 4 bytes (so chunk ends fall inside them) are applied
 * exactly, and restored exactly from their journal records after a crash (kill -9, so no
 * snapshot is taken at the stop and the records themselves are replayed).
 */
import { orderFillBatch } from '../../bench/ingest/workload';
import { parseMetrics, postEvents, startExporter, sumOf, type RunningExporter } from '../support/exporter';

jest.setTimeout(120_000);

// Dense with multi-byte characters, so that the ends of the socket's chunks fall inside some.
const STRATEGIES = [`naïve-${'ß'.repeat(30)}`, `café-€-${'日本'.repeat(10)}`, `emoji-${'😀𝔅'.repeat(5)}`];
const ENV = { TRADEWATCH_SOURCE: 'none', TRADEWATCH_INGEST_RATE_LIMIT: '1000000000' };

/** Events of `engine` whose strategies are the multi-byte names above, and how many fills each has. */
function batch(b: number, size: number, engine: string) {
  const events = orderFillBatch(b, size, { engine, strategies: STRATEGIES });
  const fills = new Map<string, number>();
  for (const e of events)
    if (e.type === 'fill') fills.set(e.strategy as string, (fills.get(e.strategy as string) ?? 0) + 1);
  return { events, fills };
}

async function fillsByStrategy(ex: RunningExporter, engine: string) {
  const samples = parseMetrics(await (await fetch(`${ex.baseUrl}/metrics`)).text());
  return new Map(STRATEGIES.map((s) => [s, sumOf(samples, 'trading_fills_total', { engine, strategy: s })]));
}

let ex: RunningExporter | undefined;
afterEach(async () => {
  await ex?.stop();
  ex = undefined;
});

it('applies a large array body and a large NDJSON body exactly, and restores both from the journal after kill -9', async () => {
  const array = batch(0, 8_000, 'pieces-array');
  const ndjson = batch(100, 8_000, 'pieces-ndjson');
  const arrayBody = JSON.stringify(array.events);
  const ndjsonBody = ndjson.events.map((e) => JSON.stringify(e)).join('\n');
  // Past 1 MB (in bytes and in characters) a body is read in pieces.
  for (const body of [arrayBody, ndjsonBody]) expect(body.length).toBeGreaterThan(1.5 * (1 << 20));

  const first = await startExporter({ env: ENV });
  ex = first;
  expect(await postEvents(first, arrayBody)).toMatchObject({ status: 200, body: { applied: 8_000 } });
  const posted = await postEvents(first, ndjsonBody, { contentType: 'application/x-ndjson' });
  expect(posted).toMatchObject({ status: 200, body: { applied: 8_000 } });
  expect(await fillsByStrategy(first, 'pieces-array')).toEqual(array.fills);
  expect(await fillsByStrategy(first, 'pieces-ndjson')).toEqual(ndjson.fills);

  await first.kill();
  const second = await startExporter({ env: ENV, dataDir: first.dataDir });
  ex = second;
  expect(await fillsByStrategy(second, 'pieces-array')).toEqual(array.fills);
  expect(await fillsByStrategy(second, 'pieces-ndjson')).toEqual(ndjson.fills);
  // The journal replayed the fills as sent: posted again, every one of them is a duplicate.
  const fills = [...array.fills.values()].reduce((a, b) => a + b, 0);
  expect(await postEvents(second, arrayBody)).toMatchObject({ status: 200, body: { duplicates: fills } });
});
