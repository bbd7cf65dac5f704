/**
 * `tradewatch replay --history` fills the same history from a recorded file that the live
 * exporter fills from the same events, so a past session can be reviewed in the same
 * dashboards; replaying the file again keeps each row once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DemoEngine } from '../../exporter/src/sources/demo';
import { CLI, postEvents, startExporter, waitFor } from '../support/exporter';

jest.setTimeout(120_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = promisify(execFile);
const START = Date.parse('2026-02-02T00:00:00Z');

async function pgQuery<R extends Record<string, unknown>>(sql: string): Promise<R[]> {
  const c = new Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}

const schemas = [`tw_replay_${process.pid}_file`, `tw_replay_${process.pid}_live`];
const dir = mkdtempSync(path.join(tmpdir(), 'tw-history-replay-'));
afterAll(async () => {
  for (const s of schemas) await pgQuery(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  rmSync(dir, { recursive: true, force: true });
});

test('replay --history writes what the live exporter writes, and a second replay adds nothing', async () => {
  const demo = new DemoEngine(5, 'session');
  const batches = Array.from({ length: 300 }, (_, b) => demo.next(START + b * 30_000));
  const file = path.join(dir, 'session.jsonl');
  writeFileSync(
    file,
    batches
      .flat()
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  );

  const [fileSchema, liveSchema] = schemas;
  const env = { ...process.env, TRADEWATCH_HISTORY_URL: PG_URL, TRADEWATCH_HISTORY_SCHEMA: fileSchema };
  const first = await run(process.execPath, [CLI, 'replay', file, '--history', '--json'], { env });
  expect(first.stderr).toMatch(/rows written to the trade history \(postgres\)/);
  await run(process.execPath, [CLI, 'replay', file, '--history', '--json'], { env });

  const live = await startExporter({
    env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_HISTORY_URL: PG_URL, TRADEWATCH_HISTORY_SCHEMA: liveSchema },
  });
  try {
    for (const batch of batches) expect((await postEvents(live, batch)).status).toBe(200);
    const count = async () =>
      Number((await pgQuery<{ n: string }>(`SELECT count(*) AS n FROM "${liveSchema}".fills`))[0].n);
    const expected = batches.flat().filter((e) => (e as { type: string }).type === 'fill').length;
    await waitFor('the live fills', async () => (await count()) === expected);
  } finally {
    await live.stop();
  }

  const rows = async (schema: string) => ({
    fills: await pgQuery(
      `SELECT engine, fill_id, ts, price, quantity, fee, realized_pnl FROM "${schema}".fills ORDER BY engine, fill_id`,
    ),
    trips: await pgQuery(`SELECT * FROM "${schema}".round_trips ORDER BY engine, close_fill_id`),
    orders: await pgQuery(
      `SELECT engine, order_id, status FROM "${schema}".orders ORDER BY engine, order_id`,
    ),
  });
  const fromFile = await rows(fileSchema);
  expect(fromFile.fills.length).toBeGreaterThan(10);
  expect(fromFile.trips.length).toBeGreaterThan(0);
  expect(fromFile).toEqual(await rows(liveSchema));
});
