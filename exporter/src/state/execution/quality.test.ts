/**
 * Market data and execution quality through the real validation, Store and collector:
 * hand-worked slippage (the arithmetic is written beside each figure), the arrival mark
 * chosen before, at and after `created_at`, the market-data age on an injected wall clock,
 * and the mark arrival times restored by the journal after a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { validateBatch } from '../../events/validate';
import { Ingestor } from '../../ingest/ingestor';
import { MetricsRegistry } from '../../metrics/registry';
import { ExecutionCollector } from '../../metrics/collectors/execution';
import { MarketCollector } from '../../metrics/collectors/market';
import { DurableJournal } from '../../storage/journal';
import { MARK_RING } from '../market/mark-ring';
import { limitImprovementBps, slippageBps } from './quality';
import { exportStore, importStore, type StoreSnapshot } from '../snapshot';
import { Store, type StoreOptions } from '../store';

const OPTIONS: StoreOptions = {
  valuationCurrency: 'USD',
  equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
};
const T0 = Date.parse('2026-01-05T00:00:00Z');
const S = 1000;
const XRP = 'XRP/USD';

function apply(store: Store, events: Record<string, unknown>[], receivedAt?: number): void {
  const batch = validateBatch(events.map((e) => ({ engine: 'e1', ...e })));
  if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
  store.apply(batch.events, receivedAt);
}

const mark = (ts: number, price: number, symbol = XRP) => ({ type: 'mark', ts, symbol, price });
let fillSeq = 0;
const fill = (ts: number, orderId: string, side: 'buy' | 'sell', price: number, quantity: number) => ({
  type: 'fill',
  ts,
  fill_id: `f${++fillSeq}`,
  order_id: orderId,
  symbol: XRP,
  side,
  price,
  quantity,
});
const order = (
  ts: number,
  orderId: string,
  side: 'buy' | 'sell',
  orderType: 'limit' | 'market',
  status: string,
  quantity: number,
  filled: number,
  extra: Record<string, unknown> = {},
) => ({
  type: 'order',
  ts,
  order_id: orderId,
  symbol: XRP,
  side,
  order_type: orderType,
  status,
  quantity,
  filled_quantity: filled,
  ...extra,
});

async function scrape(store: Store, now: () => number): Promise<Map<string, number>> {
  const registry = new MetricsRegistry({ processMetrics: false });
  registry.register(new MarketCollector(store, now));
  registry.register(new ExecutionCollector(store));
  const out = new Map<string, number>();
  for (const line of (await registry.scrape()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const close = (actual: number | undefined, expected: number) => {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-9);
};

describe('slippage and limit improvement, worked by hand', () => {
  const store = new Store(OPTIONS);
  beforeAll(() => {
    apply(store, [
      mark(T0 + 10 * S, 0.5),
      mark(T0 + 20 * S, 0.51),
      // A: buy limit 0.5120 created AT the 20 s mark: arrival 0.5100; three partial fills.
      order(T0 + 21 * S, 'A', 'buy', 'limit', 'new', 30, 0, { created_at: T0 + 20 * S, limit_price: 0.512 }),
      fill(T0 + 22 * S, 'A', 'buy', 0.511, 10),
      fill(T0 + 23 * S, 'A', 'buy', 0.51, 5),
      fill(T0 + 24 * S, 'A', 'buy', 0.5115, 15),
      order(T0 + 24 * S, 'A', 'buy', 'limit', 'filled', 30, 30, {
        created_at: T0 + 20 * S,
        limit_price: 0.512,
      }),
      mark(T0 + 30 * S, 0.52),
      // B: sell market created at 25 s, BEFORE the 30 s mark it is first seen after: arrival 0.5100.
      order(T0 + 31 * S, 'B', 'sell', 'market', 'new', 150, 0, { created_at: T0 + 25 * S }),
      fill(T0 + 31 * S, 'B', 'sell', 0.509, 100),
      fill(T0 + 31 * S, 'B', 'sell', 0.512, 50),
      order(T0 + 31 * S, 'B', 'sell', 'market', 'filled', 150, 150, { created_at: T0 + 25 * S }),
      // C: buy market created 1 ms before the 30 s mark: that mark comes AFTER it; arrival 0.5100.
      order(T0 + 32 * S, 'C', 'buy', 'market', 'new', 10, 0, { created_at: T0 + 30 * S - 1 }),
      fill(T0 + 32 * S, 'C', 'buy', 0.52, 10),
      // D: created before any mark: unpriced.
      order(T0 + 33 * S, 'D', 'buy', 'market', 'new', 10, 0, { created_at: T0 + 5 * S }),
      fill(T0 + 33 * S, 'D', 'buy', 0.5, 10),
      // E: sell limit 0.5190 without created_at, first seen at 35 s: arrival = the 30 s mark, 0.5200.
      order(T0 + 35 * S, 'E', 'sell', 'limit', 'new', 10, 0, { limit_price: 0.519 }),
      fill(T0 + 36 * S, 'E', 'sell', 0.5195, 10),
      order(T0 + 36 * S, 'E', 'sell', 'limit', 'filled', 10, 10, { limit_price: 0.519 }),
      // G: 15 of 20 filled, then canceled (fill ratio 0.75); H: canceled unfilled (0).
      order(T0 + 37 * S, 'G', 'buy', 'limit', 'new', 20, 0, { limit_price: 0.5 }),
      order(T0 + 38 * S, 'G', 'buy', 'limit', 'canceled', 20, 15, { limit_price: 0.5 }),
      order(T0 + 37 * S, 'H', 'sell', 'limit', 'new', 20, 0, { limit_price: 0.6 }),
      order(T0 + 38 * S, 'H', 'sell', 'limit', 'canceled', 20, 0, { limit_price: 0.6 }),
    ]);
  });

  it('the formulas: positive when worse for the trader', () => {
    close(slippageBps('buy', 0.511, 0.51), (0.001 / 0.51) * 1e4); // paid more: +19.6 bps
    close(slippageBps('sell', 0.509, 0.51), (0.001 / 0.51) * 1e4); // received less: +19.6 bps
    close(slippageBps('sell', 0.512, 0.51), (-0.002 / 0.51) * 1e4); // received more: -39.2 bps
    close(limitImprovementBps('buy', 0.511, 0.512), 19.53125); // 0.001 / 0.512 · 1e4
    close(limitImprovementBps('sell', 0.5195, 0.519), (0.0005 / 0.519) * 1e4);
  });

  it('buys: A at the mark of its created_at, C not on the mark after its created_at', async () => {
    const m = await scrape(store, () => T0);
    const L = 'engine="e1",symbol="XRP/USD",side="buy"';
    // A: +19.6078 (0.5110), 0 (0.5100), +29.4118 (0.5115) against 0.5100; C: (0.52−0.51)/0.51 = +196.078.
    const buys = [0.001 / 0.51, 0, 0.0015 / 0.51, 0.01 / 0.51].map((x) => x * 1e4);
    expect(m.get(`trading_slippage_bps_count{${L}}`)).toBe(4);
    close(
      m.get(`trading_slippage_bps_sum{${L}}`),
      buys.reduce((a, b) => a + b),
    );
    expect(m.get(`trading_slippage_bps_bucket{${L},le="-2"}`)).toBe(0);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="0"}`)).toBe(1);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="10"}`)).toBe(1);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="20"}`)).toBe(2);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="50"}`)).toBe(3);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="100"}`)).toBe(3);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="+Inf"}`)).toBe(4);
    // D had no mark at or before its created_at.
    expect(m.get(`trading_slippage_unpriced_total{${L}}`)).toBe(1);
  });

  it('sells: B at the mark before its created_at, E at its first event', async () => {
    const m = await scrape(store, () => T0);
    const L = 'engine="e1",symbol="XRP/USD",side="sell"';
    // B against 0.5100: 0.5090 → +19.6078, 0.5120 → −39.2157; E against 0.5200: 0.5195 → +9.6154.
    const sells = [0.001 / 0.51, -0.002 / 0.51, 0.0005 / 0.52].map((x) => x * 1e4);
    expect(m.get(`trading_slippage_bps_count{${L}}`)).toBe(3);
    close(
      m.get(`trading_slippage_bps_sum{${L}}`),
      sells.reduce((a, b) => a + b),
    );
    expect(m.get(`trading_slippage_bps_bucket{${L},le="-50"}`)).toBe(0);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="-20"}`)).toBe(1);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="5"}`)).toBe(1);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="10"}`)).toBe(2);
    expect(m.get(`trading_slippage_bps_bucket{${L},le="20"}`)).toBe(3);
    expect(m.get(`trading_slippage_unpriced_total{${L}}`)).toBeUndefined();
  });

  it('limit improvement, both sides together: A buys at and below 0.5120, E sells above 0.5190', async () => {
    const m = await scrape(store, () => T0);
    const L = 'engine="e1",symbol="XRP/USD"';
    // A's limit 0.5120: 19.53125, 39.0625, 9.765625 bps better; E's 0.5190: (0.5195 − 0.5190) / 0.5190
    // = +9.634 bps; B, C and D are market orders.
    expect(m.get(`trading_limit_improvement_bps_count{${L}}`)).toBe(4);
    close(
      m.get(`trading_limit_improvement_bps_sum{${L}}`),
      19.53125 + 39.0625 + 9.765625 + (0.0005 / 0.519) * 1e4,
    );
    expect(m.get(`trading_limit_improvement_bps_bucket{${L},le="5"}`)).toBe(0);
    expect(m.get(`trading_limit_improvement_bps_bucket{${L},le="10"}`)).toBe(2);
    expect(m.get(`trading_limit_improvement_bps_bucket{${L},le="25"}`)).toBe(3);
    expect(m.get(`trading_limit_improvement_bps_bucket{${L},le="50"}`)).toBe(4);
  });

  it('fill ratio of closed orders by order type; last fill prices by side', async () => {
    const m = await scrape(store, () => T0);
    // limit: A 30/30, E 10/10, G 15/20, H 0/20; market: B 150/150.
    expect(m.get('trading_order_fill_ratio_count{engine="e1",order_type="limit"}')).toBe(4);
    close(m.get('trading_order_fill_ratio_sum{engine="e1",order_type="limit"}'), 2.75);
    expect(m.get('trading_order_fill_ratio_bucket{engine="e1",order_type="limit",le="0"}')).toBe(1);
    expect(m.get('trading_order_fill_ratio_bucket{engine="e1",order_type="limit",le="0.75"}')).toBe(2);
    expect(m.get('trading_order_fill_ratio_bucket{engine="e1",order_type="limit",le="0.99"}')).toBe(2);
    expect(m.get('trading_order_fill_ratio_count{engine="e1",order_type="market"}')).toBe(1);
    close(m.get('trading_order_fill_ratio_sum{engine="e1",order_type="market"}'), 1);
    expect(m.get('trading_last_fill_price{engine="e1",symbol="XRP/USD",side="buy"}')).toBe(0.5);
    expect(m.get('trading_last_fill_price{engine="e1",symbol="XRP/USD",side="sell"}')).toBe(0.5195);
    expect(m.get('trading_mark_price{engine="e1",symbol="XRP/USD"}')).toBe(0.52);
  });
});

describe('the arrival mark', () => {
  it('a mark that comes late but is timed before created_at is used by the next fill', async () => {
    const store = new Store(OPTIONS);
    apply(store, [
      order(T0 + 20 * S, 'late', 'buy', 'market', 'new', 1, 0, { created_at: T0 + 10 * S }),
      mark(T0 + 5 * S, 2), // arrives after the order, timed before its creation
      fill(T0 + 21 * S, 'late', 'buy', 2.01, 1),
    ]);
    const m = await scrape(store, () => T0);
    close(m.get('trading_slippage_bps_sum{engine="e1",symbol="XRP/USD",side="buy"}'), 50); // 0.01 / 2
  });

  it('an order created before the marks the ring still holds is unpriced', async () => {
    const store = new Store(OPTIONS);
    const marks = Array.from({ length: MARK_RING + 1 }, (_, i) => mark(T0 + i * S, 1 + i / 100));
    apply(store, [
      ...marks,
      // Created at the first mark, which the ring no longer holds.
      order(T0 + 100 * S, 'old', 'buy', 'market', 'new', 1, 0, { created_at: T0 }),
      fill(T0 + 100 * S, 'old', 'buy', 2, 1),
      // Created at the second mark, still held: arrival 1.01.
      order(T0 + 100 * S, 'kept', 'sell', 'market', 'new', 1, 0, { created_at: T0 + S }),
      fill(T0 + 100 * S, 'kept', 'sell', 1.01, 1),
    ]);
    const m = await scrape(store, () => T0);
    expect(m.get('trading_slippage_unpriced_total{engine="e1",symbol="XRP/USD",side="buy"}')).toBe(1);
    expect(m.get('trading_slippage_bps_sum{engine="e1",symbol="XRP/USD",side="sell"}')).toBe(0);
    expect(store.engines.get('e1')!.market.recentMarks.get(XRP)!.ts).toHaveLength(MARK_RING);
  });
});

describe('market-data age on the wall clock', () => {
  it('grows with the clock and resets on a new mark, per symbol', async () => {
    const store = new Store(OPTIONS);
    let now = T0 + 1000 * S;
    const age = async (symbol: string) =>
      (await scrape(store, () => now)).get(`trading_market_data_age_seconds{engine="e1",symbol="${symbol}"}`);
    // Event time is old (a replayed file, a lagging engine): only the arrival counts.
    apply(store, [mark(T0, 0.5), mark(T0, 60_000, 'BTC/USD')], now);
    expect(await age(XRP)).toBe(0);
    now += 5 * S;
    expect(await age(XRP)).toBe(5);
    now += 60 * S;
    expect(await age(XRP)).toBe(65);
    apply(store, [mark(T0 + S, 0.51)], now);
    expect(await age(XRP)).toBe(0);
    expect(await age('BTC/USD')).toBe(65);
    now += 2.5 * S;
    expect(await age(XRP)).toBe(2.5);
    expect(await age('BTC/USD')).toBe(67.5);
  });

  it('a restarted exporter keeps each mark’s original arrival (journal replay after kill -9, and snapshot)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-eq-'));
    const silent = pino({ level: 'silent' });
    const open = (store: Store) =>
      DurableJournal.open(store, {
        dir,
        fsync: 'never',
        snapshotEvery: 1_000_000,
        log: silent,
        version: 'test',
        lastSeen: new Map(),
      });
    try {
      const store = new Store(OPTIONS);
      const journal = await open(store);
      const ingestor = new Ingestor(store, silent, journal, new Map());
      const now = Date.now();
      expect((await ingestor.ingest({ values: [{ ...mark(now, 0.5), engine: 'e1' }] }, 'test')).ok).toBe(
        true,
      );
      const arrived = store.engines.get('e1')!.market.markArrivals.get(XRP)!;
      expect(Math.abs(arrived - now)).toBeLessThan(60_000);
      // No close (it would write a snapshot): as after kill -9, the restart replays the journal.
      // Wait on the condition (the wall clock moved past the arrival), not a fixed sleep.
      while (Date.now() <= arrived + 1) await new Promise((r) => setImmediate(r));
      const restored = new Store(OPTIONS);
      const again = await open(restored);
      expect(restored.engines.get('e1')!.market.markArrivals.get(XRP)).toBe(arrived);
      await again.close();
      await journal.close();
      const fromSnapshot = new Store(OPTIONS);
      importStore(fromSnapshot, JSON.parse(JSON.stringify(exportStore(restored))) as StoreSnapshot);
      expect(fromSnapshot.engines.get('e1')!.market.markArrivals.get(XRP)).toBe(arrived);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
