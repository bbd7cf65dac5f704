/**
 * Text and parameters the history stores cannot take, on the real exporter with each store
 * (SQLite, PostgreSQL): a NUL or an unpaired surrogate in any text of an event is refused at
 * ingest with a 400 naming the field (once, one NUL in an alert was accepted and every later
 * PostgreSQL write failed for good); the history API answers 400, never 503, for times past
 * JavaScript's date range and for such text in its parameters.
 */
import { Client } from 'pg';
import { encodeCursor } from '../../exporter/src/history/store';
import { postEvents, startExporter, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const T0 = Date.parse('2026-03-02T10:00:00Z');
const SCHEMA = `tw_text_${process.pid}`;

const fill = (i: number, extra: Record<string, unknown> = {}) => ({
  type: 'fill',
  ts: T0 + i * 1000,
  engine: 'txt',
  fill_id: `f${i}`,
  order_id: `o${i}`,
  symbol: 'BTC/USD',
  side: i % 2 === 0 ? 'buy' : 'sell',
  price: 100 + i,
  quantity: 1,
  ...extra,
});
const alert = (message: string, labels: Record<string, string> = {}) => ({
  type: 'alert',
  ts: T0,
  engine: 'txt',
  name: 'Drawdown',
  severity: 'warning',
  message,
  labels,
});
const order = (reason: string) => ({
  type: 'order',
  ts: T0,
  engine: 'txt',
  order_id: 'o-r',
  symbol: 'BTC/USD',
  side: 'buy',
  order_type: 'limit',
  status: 'rejected',
  quantity: 1,
  limit_price: 90,
  reason,
});

async function dropSchema(): Promise<void> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await c.end();
}

describe.each([
  { store: 'sqlite', env: {} as Record<string, string> },
  { store: 'postgres', env: { TRADEWATCH_HISTORY_URL: PG_URL, TRADEWATCH_HISTORY_SCHEMA: SCHEMA } },
])('$store history', ({ store, env }) => {
  let ex: RunningExporter;
  const get = async (query: string) => {
    const res = await fetch(`${ex.baseUrl}/api/v1/fills?${query}`, {
      headers: { Authorization: `Bearer ${ex.viewerToken}` },
    });
    return { status: res.status, body: (await res.json()) as { parameter?: string; error?: string } };
  };

  beforeAll(async () => {
    if (store === 'postgres') await dropSchema();
    ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'none', ...env } });
  });
  afterAll(async () => {
    await ex?.stop();
    if (store === 'postgres') await dropSchema();
  });

  test('a NUL or a lone surrogate anywhere in an event is a 400 naming the field; the fills after it are all stored', async () => {
    for (const [events, field] of [
      [[alert('a\u0000b')], 'message'],
      [[fill(0), alert('ok', { 'ho\u0000st': 'x' })], 'labels.ho\u0000st'],
      [[alert('ok', { host: 'x\u0000' })], 'labels.host'],
      [[order('no\u0000pe')], 'reason'],
      [[fill(0, { strategy: 'm\u0000r' })], 'strategy'],
      [[fill(0, { fill_id: 'f\u0000' })], 'fill_id'],
      [[alert('half \ud800 a pair')], 'message'],
    ] as const) {
      const r = await postEvents(ex, [...events]);
      expect([field, r.status]).toEqual([field, 400]);
      expect(r.body.problems).toEqual([
        expect.objectContaining({ index: events.length - 1, field, reason: expect.stringContaining('NUL') }),
      ]);
    }
    // A whole surrogate pair (an emoji) is text like any other.
    expect((await postEvents(ex, [alert('ok \ud83d\ude80'), fill(0)])).status).toBe(200);
    for (let i = 1; i <= 50; i++) expect((await postEvents(ex, [fill(i)])).status).toBe(200);
    await waitFor('all 51 fills in the history', async () => {
      const r = await get('engine=txt&limit=100');
      return r.status === 200 && (r.body as { fills: unknown[] }).fills.length === 51;
    });
    const alerts = await fetch(`${ex.baseUrl}/api/v1/alerts/history?engine=txt`, {
      headers: { Authorization: `Bearer ${ex.viewerToken}` },
    });
    expect(((await alerts.json()) as { alerts: { message: string }[] }).alerts.map((a) => a.message)).toEqual(
      ['ok \ud83d\ude80'],
    );
  });

  test('times past the date range, such text in a filter or a cursor: 400 naming the parameter, never 503', async () => {
    const cursor = (ts: number, engine = 'txt', id = 'f1') => encodeCursor({ ts, engine, id });
    for (const [query, parameter] of [
      ['from=8640000000000001', 'from'],
      ['to=9007199254740991', 'to'],
      ['from=0&to=8640000000000001', 'to'],
      ['engine=%00', 'engine'],
      ['strategy=a%00b', 'strategy'],
      [`cursor=${cursor(9007199254740991)}`, 'cursor'],
      [`cursor=${cursor(T0, 'tx\u0000t')}`, 'cursor'],
    ]) {
      const r = await get(query);
      expect([query, r.status, r.body.parameter]).toEqual([query, 400, parameter]);
    }
    // The far ends of the range are fine.
    expect((await get('from=0&to=8640000000000000')).status).toBe(200);
    expect((await get(`cursor=${cursor(8.64e15)}`)).status).toBe(200);
  });
});
