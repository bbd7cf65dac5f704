/**
 * postgres/initdb/10-grafana-reader.sh, the init script docker compose mounts into the
 * postgres container, run against the real PostgreSQL in the order compose runs things: the
 * script at the database's first start, then the real exporter creating its schema and writing
 * the history as the owner. Grafana's role then reads every history table and can change none.
 * (Authentication is trust here, so the password itself is not checked.)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { postEvents, REPO, startExporter, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

const PG = { host: '127.0.0.1', port: 5432 };
const ADMIN_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCRIPT = path.join(REPO, 'postgres', 'initdb', '10-grafana-reader.sh');
const id = `${process.pid}`;
const owner = `tw_owner_${id}`;
const reader = `tw_reader_${id}`;
const db = `tw_reader_db_${id}`;
const schema = 'tradewatch';
const TABLES = ['fills', 'orders', 'round_trips', 'alerts'];

function runScript(env: Record<string, string>) {
  return spawnSync('bash', [SCRIPT], {
    env: {
      PATH: process.env.PATH,
      PGHOST: PG.host,
      PGPORT: String(PG.port),
      POSTGRES_USER: owner,
      POSTGRES_DB: db,
      HISTORY_DB_READER_USER: reader,
      HISTORY_DB_READER_PASSWORD: 'reader-secret-for-tests',
      ...env,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

const connect = async (user: string) => {
  const c = new Client({ ...PG, user, database: db });
  await c.connect();
  return c;
};

let admin: Client;
let ex: RunningExporter | undefined;
let as: Client;

beforeAll(async () => {
  const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
  if (psql.error)
    throw new Error(`the init script needs psql: apt-get install postgresql-client (${psql.error.message})`);
  admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  // What the postgres image sets up before running init scripts: POSTGRES_USER, a superuser
  // owning POSTGRES_DB.
  await admin.query(`CREATE ROLE "${owner}" LOGIN SUPERUSER`);
  await admin.query(`CREATE DATABASE "${db}" OWNER "${owner}"`);
});
afterAll(async () => {
  await as?.end().catch(() => undefined);
  await ex?.stop();
  await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  for (const role of [reader, `${reader}_x`, owner]) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
  await admin.end();
});

test('refuses to run without a password, naming the setting, and creates nothing', async () => {
  const r = runScript({ HISTORY_DB_READER_USER: `${reader}_x`, HISTORY_DB_READER_PASSWORD: '' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('HISTORY_DB_READER_PASSWORD');
  const roles = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [`${reader}_x`]);
  expect(roles.rowCount).toBe(0);
});

describe('at first start, before the exporter created anything', () => {
  beforeAll(async () => {
    const r = runScript({});
    expect([r.status, r.stderr]).toEqual([0, '']);
    ex = await startExporter({
      env: {
        TRADEWATCH_SOURCE: 'none',
        TRADEWATCH_HISTORY_URL: `postgres://${owner}@${PG.host}:${PG.port}/${db}`,
        TRADEWATCH_HISTORY_SCHEMA: schema,
      },
    });
    const T = Date.now() - 60_000;
    const fill = (fill_id: string, side: string, price: number, ts: number) => ({
      type: 'fill',
      ts,
      engine: 'e1',
      fill_id,
      order_id: `o-${fill_id}`,
      symbol: 'BTC/USD',
      side,
      price,
      quantity: 1,
      fee: 0.1,
    });
    expect(
      (await postEvents(ex, [fill('f1', 'buy', 100, T), fill('f2', 'sell', 101, T + 1000)])).status,
    ).toBe(200);
    const ownerClient = await connect(owner);
    try {
      await waitFor('the round trip in PostgreSQL', async () => {
        const r = await ownerClient
          .query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.round_trips`)
          .catch(() => ({ rows: [{ n: 0 }] })); // no table before the exporter's first write
        return r.rows[0].n === 1;
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}\nexporter output:\n${ex.output()}`, { cause: err });
    } finally {
      await ownerClient.end();
    }
    as = await connect(reader);
  });

  test('the role reads every history table the exporter created after it', async () => {
    for (const t of TABLES) await as.query(`SELECT count(*) FROM ${schema}.${t}`);
    const fills = await as.query(`SELECT fill_id FROM ${schema}.fills ORDER BY ts`);
    expect(fills.rows.map((r) => r.fill_id)).toEqual(['f1', 'f2']);
  });

  test('it cannot insert, update, delete, truncate, drop or create, even in a read-write transaction', async () => {
    // The role's transactions are read-only by default, but a user may switch that off: the
    // privileges are what must hold.
    await as.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE');
    const refused = async (sql: string, why: RegExp) =>
      expect([
        sql,
        await as.query(sql).then(
          () => 'done',
          (e: Error) => e.message,
        ),
      ]).toEqual([sql, expect.stringMatching(why)]);
    const denied = /permission denied/;
    await refused(
      `INSERT INTO ${schema}.fills (engine, fill_id, ts, order_id, symbol, side, price, quantity) VALUES ('x','x',now(),'x','x','buy',1,1)`,
      denied,
    );
    await refused(`UPDATE ${schema}.fills SET price = 0`, denied);
    await refused(`DELETE FROM ${schema}.fills`, denied);
    await refused(`TRUNCATE ${schema}.round_trips`, denied);
    await refused(`DROP TABLE ${schema}.fills`, /must be owner/);
    await refused(`DROP SCHEMA ${schema} CASCADE`, /must be owner/);
    await refused(`ALTER TABLE ${schema}.fills ADD COLUMN x int`, /must be owner/);
    await refused(`CREATE TABLE ${schema}.mine (x int)`, denied);
    await refused(`CREATE TABLE public.mine (x int)`, denied);
    await refused(`CREATE TEMP TABLE mine (x int)`, denied);
    const n = await as.query(`SELECT count(*)::int AS n FROM ${schema}.fills`);
    expect(n.rows[0].n).toBe(2);
  });

  test('its sessions are bounded: read-only by default, 30 s per statement, 20 connections', async () => {
    const c = await connect(reader);
    try {
      expect((await c.query('SHOW default_transaction_read_only')).rows[0]).toEqual({
        default_transaction_read_only: 'on',
      });
      expect((await c.query('SHOW statement_timeout')).rows[0]).toEqual({ statement_timeout: '30s' });
    } finally {
      await c.end();
    }
    const role = await admin.query('SELECT rolconnlimit, rolsuper FROM pg_roles WHERE rolname = $1', [
      reader,
    ]);
    expect(role.rows[0]).toEqual({ rolconnlimit: 20, rolsuper: false });
  });

  test('run again on the existing database it succeeds and still grants on what exists', async () => {
    // A table the exporter's role creates outside the default privileges' reach is not
    // readable until the script runs again.
    const c = await connect(owner);
    try {
      await c.query(`REVOKE SELECT ON ${schema}.alerts FROM "${reader}"`);
    } finally {
      await c.end();
    }
    await expect(as.query(`SELECT count(*) FROM ${schema}.alerts`)).rejects.toThrow(/permission denied/);
    const r = runScript({});
    expect([r.status, r.stderr]).toEqual([0, '']);
    await as.query(`SELECT count(*) FROM ${schema}.alerts`);
  });
});
