/**
 * The options a source gives the one ingest service instead of checking values itself:
 * `leaveOutInvalid` (replay's lines: an invalid value left out alone, named and counted,
 * the rest applied) and `idFor` (ids from where a record was found, so a second delivery
 * applies nothing twice). Without them one invalid value refuses the whole batch.
 */
import pino from 'pino';
import { Store } from '../state/store';
import { Ingestor } from './ingestor';

const T = Date.parse('2026-03-02T10:00:00Z');
const fill = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'fill',
  ts: T + n,
  engine: 'e1',
  fill_id: `f-${n}`,
  order_id: `o-${n}`,
  symbol: 'BTC/USD',
  side: 'buy',
  price: '64000.5',
  quantity: '0.01',
  ...extra,
});
const invalid = { ...fill(1), price: undefined };

function ingestor(): Ingestor {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  return new Ingestor(store, pino({ level: 'silent' }));
}
/** Events applied so far (the exporter's tradewatch_events_ingested_total). */
const applied = (ing: Ingestor) => ing.ingested.get({ source: 'test' });

test('by default one invalid value refuses the whole batch', async () => {
  const ing = ingestor();
  const r = await ing.ingest({ values: [fill(0), invalid, fill(2)] }, 'test');
  expect(r).toMatchObject({ ok: false, status: 400, reason: 'invalid_event' });
  expect(applied(ing)).toBe(0);
});

test('leaveOutInvalid: the invalid value is left out alone, named by index and counted; the rest is applied', async () => {
  const ing = ingestor();
  const r = await ing.ingest({ values: [fill(0), invalid, 'not an event', fill(3)] }, 'test', {
    leaveOutInvalid: true,
  });
  expect(r).toMatchObject({ ok: true, accepted: 2, applied: 2 });
  expect(r.ok && r.refused?.map((p) => [p.index, p.field])).toEqual([
    [1, 'price'],
    [2, ''],
  ]);
  expect(applied(ing)).toBe(2);
  expect(ing.rejected.get({ reason: 'invalid_event' })).toBe(2);
});

test('idFor names each event without an id by its value index; a second delivery applies nothing', async () => {
  const ing = ingestor();
  const values = [{ ...fill(0), id: 'own' }, invalid, fill(2)];
  const idFor = (i: number) => `file:${i + 1}`;
  const first = await ing.ingest({ values }, 'test', { leaveOutInvalid: true, idFor });
  expect(first).toMatchObject({ ok: true, applied: 2 });
  // The same records again, with new fill ids: only their event ids make them duplicates.
  const again = [{ ...fill(10), id: 'own' }, invalid, fill(12)];
  const second = await ing.ingest({ values: again }, 'test', { leaveOutInvalid: true, idFor });
  expect(second).toMatchObject({ ok: true, applied: 0, duplicates: 2 });
  expect(applied(ing)).toBe(2);
});

test('messages: each all or nothing on its own; a bad one is left out alone, named and counted; the rest is one batch', async () => {
  const ing = ingestor();
  const messages = [
    JSON.stringify(fill(0)),
    '{not json',
    JSON.stringify([fill(2), invalid]),
    JSON.stringify([fill(3), { ...fill(4), id: 'own' }]),
  ];
  const idFor = (i: number, m: number) => `stream:${m}:${i}`;
  const r = await ing.ingest({ messages }, 'test', { idFor });
  expect(r).toMatchObject({ ok: true, accepted: 3, applied: 3 });
  expect(r.ok && r.refusedMessages?.map((m) => [m.message, m.reason])).toEqual([
    [1, 'malformed_json'],
    [2, 'invalid_event'],
  ]);
  expect(ing.rejected.get({ reason: 'malformed_json' })).toBe(1);
  expect(ing.rejected.get({ reason: 'invalid_event' })).toBe(2);
  // Redelivered under new fill ids: the ids from the message and index make them duplicates.
  const again = [JSON.stringify(fill(10)), JSON.stringify([fill(13), { ...fill(14), id: 'own' }])];
  const second = await ing.ingest({ messages: again }, 'test', {
    idFor: (i, m) => idFor(i, m === 0 ? 0 : 3),
  });
  expect(second).toMatchObject({ ok: true, applied: 0, duplicates: 3 });
});
