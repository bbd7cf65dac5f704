/**
 * Every query of the generated Trades dashboard (its variables' and its panels'), turned into
 * the SQL PostgreSQL receives from Grafana (grafana-sql.ts: variables as the browser replaces
 * them, macros as the server does), answers against the history a real exporter writes into a
 * real PostgreSQL: on an empty history ("No data", never an error), on a filled one (rows,
 * narrowed by the engine and strategy picked), and with days bucketed in the dashboard's zone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { postEvents, startExporter, waitFor, type RunningExporter } from '../support/exporter';
import { ALL, grafanaSql, pick, type Picked, type SqlVariable } from './grafana-sql';

jest.setTimeout(120_000);

const PG_URL = process.env.TRADEWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `tw_trades_${process.pid}`;

interface Target {
  refId: string;
  rawSql?: string;
  format?: string;
  datasource?: { uid: string };
}
interface Panel {
  title?: string;
  type: string;
  targets?: Target[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query?: string };
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
}
interface Dashboard {
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'dashboards', 'generated', 'trades.json'), 'utf8'),
) as Dashboard;
const queried = dashboard.panels.filter((p) => p.targets?.length);
const queryOf = (title: string) => queried.find((p) => p.title === title)!.targets![0].rawSql!;

type Range = { from: Date; to: Date };
type Row = Record<string, unknown>;

let client: Client;
let ex: RunningExporter;

beforeAll(async () => {
  client = new Client({ connectionString: PG_URL });
  await client.connect();
  ex = await startExporter({
    env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_HISTORY_URL: PG_URL, TRADEWATCH_HISTORY_SCHEMA: schema },
  });
});
afterAll(async () => {
  await ex?.stop();
  await client?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client?.end();
});

/** The dashboard's variables resolved in order, as Grafana resolves them (strategy reads engine). */
async function resolveVariables(range: Range, picks: Record<string, Picked>, timezone: string) {
  const variables: SqlVariable[] = [];
  for (const v of dashboard.templating.list) {
    if (v.type === 'constant') {
      expect([v.name, v.query]).toEqual(['schema', 'tradewatch']);
      // the test's throwaway schema in place of the default
      variables.push({ name: v.name, listy: false, options: [schema], picked: pick(schema) });
      continue;
    }
    const sql = typeof v.query === 'string' ? v.query : (v.query.query ?? '');
    const rows = (await client.query<Row>(grafanaSql(sql, { variables, timezone }, range))).rows;
    variables.push({
      name: v.name,
      listy: Boolean(v.multi || v.includeAll),
      allValue: v.allValue,
      options: rows.map((r) => String(Object.values(r)[0])),
      picked: picks[v.name] ?? ALL,
    });
  }
  return variables;
}

/** Runs every panel's query; a PostgreSQL error fails the test naming the panel. */
async function runPanels(range: Range, picks: Record<string, Picked> = {}, timezone = 'utc') {
  const variables = await resolveVariables(range, picks, timezone);
  const out = new Map<string, Row[]>();
  for (const panel of queried) {
    for (const t of panel.targets!) {
      expect([panel.title, t.datasource?.uid]).toEqual([panel.title, 'tradewatch-history']);
      const sql = grafanaSql(t.rawSql!, { variables, timezone }, range);
      const result = await client.query<Row>(sql).catch((err: Error) => {
        throw new Error(`panel "${panel.title}": ${err.message}\n${sql}`);
      });
      out.set(panel.title!, result.rows);
    }
  }
  return { variables, rows: out };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** UTC midnight two days ago: every fill below lies in the past, around midnights of several zones. */
const B = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
const range: Range = { from: new Date(B - 2 * DAY), to: new Date(Date.now() + HOUR) };

const fill = (
  id: string,
  engine: string,
  strategy: string | undefined,
  side: 'buy' | 'sell',
  price: number,
  quantity: number,
  at: number,
) => ({
  type: 'fill',
  ts: B + at,
  engine,
  fill_id: id,
  order_id: `o-${id}`,
  symbol: engine === 'alpha' ? 'BTC/USD' : 'ETH/USD',
  side,
  price,
  quantity,
  fee: 0.5,
  ...(strategy === undefined ? {} : { strategy }),
});

// alpha (a strategy name with a quote): a win then a loss; beta (no strategy): one short win.
const events = [
  fill('a0', 'alpha', "mean'rev", 'buy', 100, 1, -0.5 * HOUR),
  fill('a1', 'alpha', "mean'rev", 'sell', 110, 1, 3 * HOUR),
  fill('b0', 'beta', undefined, 'sell', 50, 2, 5 * HOUR),
  fill('a2', 'alpha', "mean'rev", 'buy', 100, 1, 22.5 * HOUR),
  fill('a3', 'alpha', "mean'rev", 'sell', 90, 1, 26 * HOUR),
  fill('b1', 'beta', undefined, 'buy', 45, 2, 29.5 * HOUR),
];

describe('an empty history (a fresh stack, a quiet week)', () => {
  beforeAll(async () => {
    // The exporter creates its schema on the first read or write that reaches PostgreSQL.
    const res = await fetch(`${ex.baseUrl}/api/v1/fills`, {
      headers: { Authorization: `Bearer ${ex.viewerToken}` },
    });
    expect(res.status).toBe(200);
    const tables = await client.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['fills', 'orders', 'round_trips']),
    );
  });

  test('the variables have no options, and every panel answers: tables with no rows, zero totals', async () => {
    const nothing: Record<string, Picked> = { engine: pick(), strategy: pick() };
    for (const picks of [{}, nothing]) {
      const { variables, rows } = await runPanels(range, picks);
      expect(variables.filter((v) => v.listy).map((v) => [v.name, v.options])).toEqual([
        ['engine', []],
        ['strategy', []],
      ]);
      for (const [title, r] of rows) {
        if (title.startsWith('Round trips, win rate') || title.startsWith('Realized PnL, fills'))
          expect([title, r.length, Number(Object.values(r[0])[0])]).toEqual([title, 1, 0]);
        else expect([title, r.length]).toEqual([title, 0]);
      }
    }
  });

  test("negative control: the dashboard's former `IN ($engine)` without allValue fails as in Grafana", async () => {
    const variables: SqlVariable[] = [
      { name: 'schema', listy: false, options: [schema], picked: pick(schema) },
      { name: 'engine', listy: true, options: [], picked: ALL },
    ];
    const sql = grafanaSql(
      `SELECT count(*) FROM "\${schema}".fills WHERE $__timeFilter(ts) AND engine IN ($engine)`,
      { variables, timezone: 'utc' },
      range,
    );
    expect(sql).toContain('engine IN ()');
    await expect(client.query(sql)).rejects.toThrow(/syntax error/);
  });
});

describe('a filled history', () => {
  beforeAll(async () => {
    const res = await postEvents(ex, events);
    expect(res.status).toBe(200);
    await waitFor('the fills and round trips in PostgreSQL', async () => {
      const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".round_trips`);
      return Number(r.rows[0].n) === 3;
    });
  });

  test('with All picked every panel has rows', async () => {
    const { variables, rows } = await runPanels(range);
    expect(variables.filter((v) => v.listy).map((v) => [v.name, v.options.sort()])).toEqual([
      ['engine', ['alpha', 'beta']],
      ['strategy', ["mean'rev", 'none']],
    ]);
    for (const [title, r] of rows) expect([title, r.length > 0]).toEqual([title, true]);
    expect(Number(rows.get('Round trips, win rate, profit factor, net PnL')![0]['Round trips'])).toBe(3);
    expect(rows.get('Fills (trade log)')).toHaveLength(events.length);
  });

  test('a picked engine and strategy narrow every panel to their rows', async () => {
    const { rows } = await runPanels(range, { engine: pick('alpha'), strategy: pick("mean'rev") });
    for (const [title, r] of rows) expect([title, r.length > 0]).toEqual([title, true]);
    const log = rows.get('Fills (trade log)')!;
    expect(log.map((r) => [r.engine, r.strategy])).toEqual(Array(4).fill(['alpha', "mean'rev"]));
    expect(Number(rows.get('Round trips, win rate, profit factor, net PnL')![0]['Round trips'])).toBe(2);
    const none = await runPanels(range, { engine: pick('beta'), strategy: pick("mean'rev") });
    expect(none.rows.get('Fills (trade log)')).toHaveLength(0);
  });

  test('a range with no fills in it answers with no rows, not an error', async () => {
    const quiet = { from: new Date(B - 30 * DAY), to: new Date(B - 20 * DAY) };
    const { rows } = await runPanels(quiet);
    expect(rows.get('Fills (trade log)')).toHaveLength(0);
  });

  test.each(['utc', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Not/A_Zone'])(
    '"Realized PnL by day" has one bar per day of the %s zone',
    async (timezone) => {
      const zone = timezone === 'Not/A_Zone' ? 'UTC' : timezone; // an unknown name buckets by UTC
      const localDay = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      const localTime = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      const fills = (
        await client.query<{ ts: Date; realized_pnl: number }>(
          `SELECT ts, realized_pnl FROM "${schema}".fills`,
        )
      ).rows;
      const expected = new Map<string, number>();
      for (const f of fills) {
        const day = localDay.format(f.ts);
        expected.set(day, (expected.get(day) ?? 0) + f.realized_pnl);
      }
      const variables = await resolveVariables(range, {}, timezone);
      const sql = grafanaSql(queryOf('Realized PnL by day'), { variables, timezone }, range);
      const bars = (await client.query<{ time: Date; 'Realized PnL': number }>(sql)).rows;
      for (const b of bars) expect(localTime.format(b.time)).toBe('00:00');
      expect(new Map(bars.map((b) => [localDay.format(b.time), b['Realized PnL']]))).toEqual(expected);
    },
  );
});
