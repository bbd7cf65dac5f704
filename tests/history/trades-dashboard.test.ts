/**
 * Every query of the generated Trades dashboard (its variables' and its panels'), with the
 * Grafana macros and variables expanded as Grafana's PostgreSQL data source expands them,
 * returns rows from the real PostgreSQL that a real exporter running the demo fills.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { startExporter, waitFor, type RunningExporter } from '../support/exporter';

jest.setTimeout(120_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `tw_trades_${process.pid}`;

interface Target {
  refId: string;
  rawSql?: string;
  datasource?: { uid: string };
}
interface Panel {
  title?: string;
  type: string;
  targets?: Target[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query?: string } }[] };
}

const dashboard = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'dashboards', 'generated', 'trades.json'), 'utf8'),
) as Dashboard;

/** Grafana's SQL quoting of a multi-value variable: 'a','b'. */
const quoteList = (values: string[]) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');

function expand(sql: string, vars: Record<string, string>, from: Date, to: Date): string {
  return sql
    .replace(
      /\$__timeFilter\((\w+)\)/g,
      (_m, col: string) => `${col} BETWEEN '${from.toISOString()}' AND '${to.toISOString()}'`,
    )
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a?: string, b?: string) => vars[(a ?? b) as string] ?? m);
}

let client: Client;
let exporter: RunningExporter;
beforeAll(async () => {
  client = new Client({ connectionString: PG_URL });
  await client.connect();
  exporter = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'demo',
      TRADEWATCH_DEMO_INTERVAL_MS: '20',
      TRADEWATCH_HISTORY_URL: PG_URL,
      TRADEWATCH_HISTORY_SCHEMA: schema,
    },
  });
});
afterAll(async () => {
  await exporter?.stop();
  await client?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client?.end();
});

test('every query of the Trades dashboard returns rows against the demo', async () => {
  // Wait for losing and winning round trips (every panel has something to show).
  await waitFor(
    'wins and losses in the history',
    async () => {
      const r = await client
        .query<{ n: string }>(`SELECT count(DISTINCT outcome) AS n FROM "${schema}".round_trips`)
        .catch(() => ({ rows: [{ n: '0' }] }));
      return Number(r.rows[0].n) >= 2;
    },
    90_000,
  );
  const from = new Date(Date.now() - 24 * 3_600_000);
  const to = new Date(Date.now() + 3_600_000);

  // Variables first, in order (strategy depends on engine), as Grafana resolves them.
  const vars: Record<string, string> = {};
  for (const v of dashboard.templating.list) {
    if (v.type === 'constant') {
      expect(v.query).toBe('tradewatch');
      vars[v.name] = schema; // the test's throwaway schema in place of the default
      continue;
    }
    const sql = typeof v.query === 'string' ? v.query : (v.query.query ?? '');
    const rows = (await client.query<Record<string, string>>(expand(sql, vars, from, to))).rows;
    expect([v.name, rows.length > 0]).toEqual([v.name, true]);
    vars[v.name] = quoteList(rows.map((r) => Object.values(r)[0]));
  }

  const queried = dashboard.panels.filter((p) => p.targets?.length);
  expect(queried.length).toBeGreaterThanOrEqual(8);
  for (const panel of queried) {
    for (const t of panel.targets!) {
      expect(t.datasource?.uid).toBe('tradewatch-history');
      const rows = (await client.query(expand(t.rawSql!, vars, from, to))).rows;
      expect([panel.title, rows.length > 0]).toEqual([panel.title, true]);
    }
  }
});
