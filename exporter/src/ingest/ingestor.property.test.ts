/**
 * Hostile batches thrown at the ingest service (issue 10): random types, extreme numbers
 * and times, long and many names, repeated ids. Whatever comes, every answer is either a
 * success with the batch applied or a refusal with nothing applied; the exposition passes
 * `promtool check metrics`; and a restart from the journal gives the same state.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { defaults } from '../config';
import { buildMetrics } from '../metrics/collectors';
import { LabeledCounter } from '../state/common/counters';
import { exportStore } from '../state/snapshot';
import { Store, type StoreOptions } from '../state/store';
import { DurableJournal } from '../storage/journal';
import { Ingestor } from './ingestor';

const OPTIONS: StoreOptions = {
  valuationCurrency: 'USD',
  equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
};
const LIMITS = {
  engines: 3,
  symbols: 6,
  strategies: 3,
  currencies: 6,
  components: 4,
  riskLimits: 3,
  venues: 4,
};
const T = Date.parse('2026-03-02T10:00:00Z');
const silent = pino({ level: 'silent' });

const time = fc.oneof(
  fc.integer({ min: T - 86_400_000 * 30, max: T + 86_400_000 }),
  fc.constantFrom(T * 1e6, T * 1000, Math.floor(T / 1000), 0, -1, 8.64e15 + 1, 1.5, Number.MAX_SAFE_INTEGER),
  fc.constantFrom('2026-03-02T10:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'yesterday'),
);
const name = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
  fc.string({ minLength: 0, maxLength: 3 }),
  fc.constant('x'.repeat(129)),
  fc.integer({ min: 0, max: 1e6 }).map((n) => `n${n}`),
);
const symbol = fc.oneof(
  fc.constantFrom('BTC/USD', 'ETH/USD', 'ETH/BTC', 'XRP/USD'),
  fc.tuple(name, name).map(([b, q]) => `${b}/${q}`),
  fc.constant('BTCUSD'),
);
const amount = fc.oneof(
  fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
  fc.constantFrom(
    0,
    -1,
    1e300,
    5e-324,
    '0.30000000000000001',
    '1e400',
    'NaN',
    '12abc',
    1.7976931348623157e308,
  ),
);
const side = fc.constantFrom('buy', 'sell', 'BUY', 'hold');

const event = fc.record(
  {
    type: fc.constantFrom(
      'order',
      'fill',
      'mark',
      'balance',
      'risk',
      'strategy',
      'signal',
      'health',
      'alert',
      'snapshot',
      'nope',
    ),
    ts: time,
    engine: name,
    id: fc.option(fc.constantFrom('id1', 'id2', 'id3'), { nil: undefined }),
    order_id: name,
    fill_id: name,
    symbol,
    side,
    order_type: fc.constantFrom('limit', 'market', 'stop'),
    status: fc.constantFrom('new', 'partially_filled', 'filled', 'canceled'),
    quantity: amount,
    filled_quantity: amount,
    price: amount,
    fee: amount,
    fee_currency: name,
    strategy: name,
    created_at: time,
    balances: fc.dictionary(name, amount, { maxKeys: 4 }),
    limits: fc.dictionary(name, fc.record({ value: amount, limit: amount }), { maxKeys: 3 }),
    state: fc.constantFrom('active', 'inactive'),
    component: name,
    status_h: fc.constantFrom('ok', 'down'),
    latency_seconds: amount,
    signal_id: name,
    decision: fc.constantFrom('approved', 'rejected'),
    severity: fc.constantFrom('info', 'critical'),
    message: fc.string({ maxLength: 10 }),
    name,
    orders: fc.constant([]),
  },
  { requiredKeys: ['type', 'ts'] },
);

function promtoolCheck(text: string): string {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return r.status === 0 ? '' : `${r.stdout}${r.stderr}`;
}

describe('the ingest service under generated hostile batches', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tw-hostile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies a batch whole or not at all, keeps the exposition valid, and restores the same state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(event, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        async (batches) => {
          const run = mkdtempSync(path.join(dir, 'run-'));
          const store = new Store(OPTIONS);
          const journal = await DurableJournal.open(store, {
            dir: run,
            fsync: 'never',
            snapshotEvery: 1_000_000,
            log: silent,
            version: 'test',
            lastSeen: new Map(),
          });
          const ingestor = new Ingestor(store, silent, journal, new Map(), LIMITS);
          for (const raws of batches) {
            const before = JSON.stringify(exportStore(store));
            const result = await ingestor.ingest({ values: raws }, 'test');
            if (!result.ok) {
              expect([400, 422]).toContain(result.status);
              expect(JSON.stringify(exportStore(store))).toBe(before);
            }
          }
          expect(store.engines.size).toBeLessThanOrEqual(LIMITS.engines);
          const metrics = buildMetrics({
            store,
            stats: {
              rejected: ingestor.rejected,
              ingested: new LabeledCounter(),
              feedClients: () => 0,
              version: 'test',
            },
            windows: { windows: defaults().windows, periodsPerYear: 8760 },
            dataDir: run,
          });
          expect(promtoolCheck(await metrics.scrape())).toBe('');
          await journal.close();
          const restored = new Store(OPTIONS);
          const again = await DurableJournal.open(restored, {
            dir: run,
            fsync: 'never',
            snapshotEvery: 1_000_000,
            log: silent,
            version: 'test',
            lastSeen: new Map(),
          });
          expect(JSON.stringify(exportStore(restored))).toBe(JSON.stringify(exportStore(store)));
          await again.close();
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
