/**
 * A row PostgreSQL still refuses never blocks the rows behind it (once: one NUL in an alert
 * made every later write fail, for good). Ingest now refuses such text (hostile-text.test.ts),
 * so the row comes from a journal an older version wrote: the real exporter replays it,
 * PostgreSQL refuses the alert, the writer sets it aside in history-dead-letter.jsonl (counted,
 * logged), and every fill before and after it is stored.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { validateBatch } from '../../exporter/src/events/validate';
import { frame } from '../../exporter/src/storage/records';
import { scrape, startExporter, waitFor } from '../support/exporter';

jest.setTimeout(60_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `tw_dead_${process.pid}`;
const T0 = Date.parse('2026-03-02T10:00:00Z');

const fills = (from: number, n: number) =>
  Array.from({ length: n }, (_, k) => ({
    type: 'fill',
    ts: T0 + (from + k) * 1000,
    engine: 'old',
    fill_id: `f${from + k}`,
    order_id: `o${from + k}`,
    symbol: 'BTC/USD',
    side: (from + k) % 2 === 0 ? 'buy' : 'sell',
    price: 100,
    quantity: 1,
  }));

/** Events as the journal holds them (validated), the alert's message given a NUL afterwards. */
function journaled(raw: Record<string, unknown>[]): unknown[] {
  const batch = validateBatch(raw);
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  return batch.events;
}

async function pgCount(table: string): Promise<number> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return Number((await c.query(`SELECT count(*) AS n FROM "${SCHEMA}".${table}`)).rows[0].n);
  } catch {
    return -1;
  } finally {
    await c.end();
  }
}

async function dropSchema(): Promise<void> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await c.end();
}

test('a row PostgreSQL refuses is set aside; the fills before and after it are stored', async () => {
  await dropSchema();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-dead-letter-'));
  const alert = journaled([
    { type: 'alert', ts: T0 + 30_000, engine: 'old', name: 'Drawdown', severity: 'warning', message: 'ab' },
  ])[0] as Record<string, unknown>;
  alert.message = 'a\u0000b';
  const records = [journaled(fills(0, 20)), [alert], journaled(fills(20, 20))];
  mkdirSync(path.join(dataDir, 'journal'));
  writeFileSync(
    path.join(dataDir, 'journal', 'segment-0000000000000001.log'),
    Buffer.concat(records.map((e, i) => frame(JSON.stringify({ s: i + 1, t: T0, e })))),
  );
  const ex = await startExporter({
    dataDir,
    env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_HISTORY_URL: PG_URL, TRADEWATCH_HISTORY_SCHEMA: SCHEMA },
  });
  try {
    await waitFor('all 40 fills in PostgreSQL', async () => (await pgCount('fills')) === 40, 20_000);
    await waitFor(
      'the alert set aside',
      async () => (await scrape(ex.baseUrl)).get('tradewatch_history_rows_set_aside_total') === 1,
    );
    const lines = readFileSync(path.join(dataDir, 'history-dead-letter.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const dead = JSON.parse(lines[0]) as { table: string; row: { message: string }; error: string };
    expect(dead.table).toBe('alerts');
    expect(dead.row.message).toBe('a\u0000b');
    expect(dead.error).toMatch(/0x00|invalid byte/);
    expect(await pgCount('alerts')).toBe(0);
    const metrics = await scrape(ex.baseUrl);
    expect(metrics.get('tradewatch_history_store_up')).toBe(1);
    expect(ex.output().split('refused a row').length - 1).toBe(1); // logged once
  } finally {
    await ex.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await dropSchema();
  }
});
