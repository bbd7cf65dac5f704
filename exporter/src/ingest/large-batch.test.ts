/**
 * A large batch shares the event loop (docs/events.md, "Large batches"): decoded, checked,
 * journaled and applied in slices, the loop turning between them, so no step of it keeps
 * other requests waiting long; and it is applied whole under the store's hold, answered once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import type { TradingEvent } from '../events/schema';
import { Store, type StoreOptions } from '../state/store';
import { DurableJournal } from '../storage/journal';
import { Ingestor } from './ingestor';

const OPTIONS: StoreOptions = {
  valuationCurrency: 'USD',
  equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
};
const T = Date.parse('2026-03-02T10:00:00Z');
const EVENTS = 20_000;

/** Orders placed and filled, with decimal strings, as a live engine sends them. */
function body(): string {
  const events: object[] = [];
  for (let n = 0; events.length < EVENTS; n++) {
    const base = { engine: 'bulk', symbol: `S${n % 50}/USD`, side: n % 2 === 0 ? 'buy' : 'sell' };
    events.push({
      type: 'order',
      ts: T + n,
      ...base,
      order_id: `o${n}`,
      order_type: 'limit',
      status: 'new',
      quantity: '1.5',
      limit_price: '100.25',
    });
    events.push({
      type: 'fill',
      ts: T + n,
      ...base,
      fill_id: `f${n}`,
      order_id: `o${n}`,
      price: '100.25',
      quantity: '1.5',
      fee: '0.01',
      fee_currency: 'USD',
    });
  }
  return JSON.stringify(events);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-large-batch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a 20 000-event batch is applied whole, in slices of 128 events, the loop never held long', async () => {
  const store = new Store(OPTIONS);
  const log = pino({ level: 'silent' });
  const journal = await DurableJournal.open(store, {
    dir,
    fsync: 'never',
    snapshotEvery: 1_000_000,
    log,
    version: 'test',
    lastSeen: new Map(),
  });
  const ingestor = new Ingestor(store, log, journal);
  const slices: number[] = [];
  const apply = store.apply.bind(store);
  jest.spyOn(store, 'apply').mockImplementation((events: readonly TradingEvent[], receivedAt?: number) => {
    // Whole or nothing for readers: every slice is applied while the store holds its changes.
    expect(store.isHeld).toBe(true);
    slices.push(events.length);
    return apply(events, receivedAt);
  });
  const text = body();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const result = await ingestor.ingest({ text, ndjson: false }, 'test');
  delay.disable();
  expect(result).toMatchObject({ ok: true, accepted: EVENTS, applied: EVENTS });
  expect(slices.reduce((a, b) => a + b, 0)).toBe(EVENTS);
  // 512 a slice ran a turn to the budget plus one 12–17 ms slice; 128 is about 4 ms of work.
  expect(Math.max(...slices)).toBeLessThanOrEqual(128);
  // Generous (GC pauses, a loaded machine): at load 7.5 the longest stall was 67–204 ms with
  // slices of 128 and 137–150 ms with 512; the bound catches a step that is not sliced at all.
  expect(delay.max / 1e6).toBeLessThan(300);
  await journal.close();
}, 60_000);

describe('a large body validated run by run as it is decoded', () => {
  async function refusal(text: string, ndjson = false) {
    const store = new Store(OPTIONS);
    const ingestor = new Ingestor(store, pino({ level: 'silent' }));
    const result = await ingestor.ingest({ text, ndjson }, 'test');
    // Nothing of a refused batch is applied.
    expect(store.engines.size).toBe(0);
    return result;
  }

  it('names an invalid event by its index in the whole batch, not in its run', async () => {
    const events = JSON.parse(body()) as Record<string, unknown>[];
    events[2_500].side = 'sideways';
    events[15_001].quantity = '-1';
    const result = await refusal(JSON.stringify(events));
    expect(result).toMatchObject({ ok: false, status: 400, reason: 'invalid_event' });
    if (result.ok) return;
    expect(result.problems.map((p) => [p.index, p.field])).toEqual([
      [2_500, 'side'],
      [15_001, 'quantity'],
    ]);
  });

  it('refuses a body malformed after an invalid event as malformed, as when decoded first', async () => {
    const events = JSON.parse(body()) as Record<string, unknown>[];
    events[10].side = 'sideways';
    const text = JSON.stringify(events);
    const tail = text.lastIndexOf('{');
    const result = await refusal(`${text.slice(0, tail)}{"type": nope}]`);
    expect(result).toMatchObject({ ok: false, status: 400, reason: 'malformed_json' });
  });

  it('NDJSON: an invalid line is named by its line, a malformed line refuses the body', async () => {
    const lines = (JSON.parse(body()) as Record<string, unknown>[]).map((e) => JSON.stringify(e));
    const invalid = [...lines];
    invalid[4_100] = JSON.stringify({ ...JSON.parse(lines[4_100]), side: 'sideways' });
    const result = await refusal(invalid.join('\n'), true);
    expect(result).toMatchObject({ ok: false, reason: 'invalid_event', problems: [{ index: 4_100 }] });
    const malformed = [...invalid];
    malformed[9_000] = '{"type":';
    expect(await refusal(malformed.join('\n'), true)).toMatchObject({ ok: false, reason: 'malformed_json' });
  });
});
