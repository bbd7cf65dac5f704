import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaults } from '../config';
import { replayFile, reportToJson, reportToText, StrictReplayError } from './replay';

const FIXTURE = path.resolve(__dirname, '../../test/fixtures/demo-2d.jsonl');
const settings = defaults();
let dir: string;

beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'tw-replay-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: unknown[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return p;
}

const T = '2026-01-05T00:00:00Z';
const T1 = '2026-01-05T00:00:01Z'; // after the balance, so the fill moves the ledger
const good = [
  { type: 'balance', ts: T, engine: 'e1', balances: { USD: '1000' } },
  {
    type: 'fill',
    ts: T1,
    engine: 'e1',
    fill_id: 'f1',
    order_id: 'o1',
    symbol: 'BTC/USD',
    side: 'buy',
    quantity: '1',
    price: '100',
    fee: '0.1',
  },
  { type: 'mark', ts: T1, engine: 'e1', symbol: 'BTC/USD', price: '105' },
];

describe('tradewatch replay', () => {
  test('a bad line is skipped with its line number and reason; the rest is applied', async () => {
    const p = file('bad.jsonl', [
      good[0],
      '{not json',
      '',
      { type: 'fill', ts: T, engine: 'e1', symbol: 'BTC/USD' },
      good[1],
      good[2],
    ]);
    const r = await replayFile(p, settings);
    expect(r).toMatchObject({ lines: 5, applied: 3, skipped: 2 });
    expect(r.problems[0]).toMatchObject({ line: 2, field: '' });
    expect(r.problems[0].reason).toMatch(/malformed JSON/);
    expect(r.problems[1]).toMatchObject({ line: 4 });
    expect(r.problems.some((p) => p.line === 4 && p.field === 'fill_id' && p.reason === 'is required')).toBe(
      true,
    );
    const e = r.engines[0];
    // cash 1000 − 100.1; position 1 BTC at 105: equity 899.9 + 105 = 1004.9
    expect(e.equity).toBeCloseTo(1004.9, 9);
    expect(reportToText(r)).toMatch(/skipped line 4: fill_id: is required/);
  });

  test('--strict stops at the first bad line after applying the lines before it', async () => {
    const p = file('strict.jsonl', [
      good[0],
      good[1],
      { type: 'mark', ts: T, symbol: 'BTC/USD', price: -1 },
      good[2],
    ]);
    const err = await replayFile(p, settings, { strict: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrictReplayError);
    expect((err as StrictReplayError).problem).toMatchObject({ line: 3, field: 'price' });
    expect((err as StrictReplayError).applied).toBe(2);
  });

  test('the recorded demo replays to the same report twice, and JSON writes non-finite numbers as Prometheus does', async () => {
    const a = await replayFile(FIXTURE, settings);
    const b = await replayFile(FIXTURE, settings);
    expect(reportToJson(b)).toBe(reportToJson(a));
    expect(a.skipped).toBe(0);
    const e = a.engines[0];
    expect(e.engine).toBe('demo');
    expect(e.windows.map((w) => w.window)).toEqual(['1d', '7d', '30d', 'all']);
    // two days of hourly samples from 00:00: the first sample at 01:00 and the last at 23:00 of day two
    expect(e.windows.find((w) => w.window === 'all')!.returns.periods).toBe(46);
    expect(e.windows.find((w) => w.window === '1d')!.returns.periods).toBe(24);
    // equity − starting cash = realized + unrealized (the demo pays all fees in USD)
    expect(e.equity! - 100_000).toBeCloseTo(e.realizedPnl + e.unrealizedPnl, 6);
    const json = JSON.parse(
      reportToJson({
        ...a,
        engines: [
          {
            ...e,
            exposure: NaN,
            windows: [{ ...e.windows[0], trades: { ...e.windows[0].trades, profitFactor: Infinity } }],
          },
        ],
      }),
    );
    expect(json.engines[0].exposure).toBe('NaN');
    expect(json.engines[0].windows[0].trades.profitFactor).toBe('+Inf');
  });
});
