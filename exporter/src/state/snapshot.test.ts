/**
 * A snapshot must carry the whole state: after a long demo stream, a Store restored from
 * a snapshot answers every metric and every read exactly as the original does, and keeps
 * doing so as more events arrive (hidden state such as a round trip in progress or the
 * current day's start equity shows up only then).
 */
import { validateBatch } from '../events/validate';
import { buildMetrics } from '../metrics/collectors';
import { DemoEngine } from '../sources/demo';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Position } from './portfolio/positions';
import { exportStore, importStore, SCHEMAS, SnapshotError, type StoreSnapshot } from './snapshot';
import { Store, type StoreOptions } from './store';
import { alertRow, fillRow, orderRow, positionRow, statusRow } from './wire-rows';
import { FILL_TIME_BUCKETS } from './execution/slice';
import { BoundedMap, BoundedSet } from './common/bounded';
import { Distribution, LabeledCounter, LabeledDistribution } from './common/counters';

const OPTIONS: StoreOptions = {
  valuationCurrency: 'USD',
  equity: { periodMs: 3_600_000, retainMs: 30 * 86_400_000 },
};
const WINDOWS = {
  windows: [
    { name: '1d', ms: 86_400_000 },
    { name: '7d', ms: 7 * 86_400_000 },
    { name: 'all', ms: null },
  ],
  periodsPerYear: 8760,
};
const START = Date.parse('2026-01-05T00:00:00Z');
const TICK_MS = 60_000;

function feed(store: Store, engine: DemoEngine, fromTick: number, ticks: number): void {
  for (let t = fromTick; t < fromTick + ticks; t++) {
    const batch = validateBatch(engine.next(START + t * TICK_MS));
    if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
    // Received when sent (as the demo source does), so twins fed the same ticks agree.
    store.apply(batch.events, START + t * TICK_MS);
  }
}

/** /metrics without the series that move on their own (process, host, scrape timings). */
async function metricsText(store: Store): Promise<string> {
  const registry = buildMetrics({
    store,
    stats: {
      rejected: new (await import('./common/counters')).LabeledCounter(),
      ingested: new (await import('./common/counters')).LabeledCounter(),
      feedClients: () => 0,
      version: 'test',
    },
    windows: WINDOWS,
    dataDir: '/tmp',
  });
  const text = await registry.scrape();
  return text
    .split('\n')
    .filter(
      // The market-data age moves with the wall clock; `views` compares the arrival times themselves.
      (l) =>
        !/^(# (HELP|TYPE) )?(process_|nodejs_|host_|tradewatch_collector_duration_seconds|trading_market_data_age_seconds)/.test(
          l,
        ),
    )
    .join('\n');
}

/** What the read API and the feed serve, per engine. */
function views(store: Store): unknown {
  return [...store.engines].map(([name, s]) => ({
    name,
    status: statusRow(s.statusRecord()),
    active: [...s.execution.orders.active.values()].map(orderRow),
    closed: [...s.execution.orders.recentlyClosed.values()].map(orderRow),
    positions: [...s.portfolio.positions.keys()].map((symbol) =>
      positionRow(s.positionRecord(symbol, s.health.lastEventTs ?? 0)),
    ),
    fills: s.execution.recentFills.map(fillRow),
    alerts: s.health.recentAlerts.map(alertRow),
    equity: [
      s.portfolio.equity.current,
      s.portfolio.equity.peak,
      s.portfolio.equity.drawdown(),
      s.portfolio.equity.dailyPnl(),
      s.portfolio.equity.maxDrawdownAll,
      s.portfolio.equity.samples,
    ],
    cash: [...s.portfolio.cash].map(([c, v]) => [c, v.toString()]),
    equityNow: s.portfolio.equityNow(),
    markArrivals: [...s.market.markArrivals],
  }));
}

function roundTrip(store: Store): Store {
  // Through text, exactly as the snapshot file holds it.
  const restored = new Store(OPTIONS);
  importStore(restored, JSON.parse(JSON.stringify(exportStore(store))) as StoreSnapshot);
  return restored;
}

describe('store snapshots', () => {
  it('restore a long demo stream exactly, and stay identical as events keep coming', async () => {
    const original = new Store(OPTIONS);
    const engines = [new DemoEngine(7, 'alpha'), new DemoEngine(11, 'beta')];
    for (const e of engines) feed(original, e, 0, 1_500); // just over a day of minute ticks
    // The stream must reach the interesting state: closed round trips, open positions, closed orders.
    const before = await metricsText(original);
    const sum = (prefix: string) =>
      before
        .split('\n')
        .filter((l) => l.startsWith(prefix))
        .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    expect(sum('trading_round_trips_total{')).toBeGreaterThan(5);
    expect(before).not.toMatch(/tradewatch_collector_success\{[^}]*\} 0/);
    expect(original.engines.get('alpha')!.execution.orders.recentlyClosed.size).toBeGreaterThan(10);

    const restored = roundTrip(original);
    expect(await metricsText(restored)).toEqual(before);
    expect(views(restored)).toEqual(views(original));
    expect(restored.rememberedEventIds()).toEqual(original.rememberedEventIds());

    // The same future applied to both: any state the snapshot missed diverges here.
    const twins = [new DemoEngine(7, 'alpha'), new DemoEngine(11, 'beta')];
    for (const e of twins) feed(new Store(OPTIONS), e, 0, 1_500); // advance the twins' generators
    for (let i = 0; i < engines.length; i++) {
      feed(original, engines[i], 1_500, 700);
      feed(restored, twins[i], 1_500, 700);
    }
    expect(await metricsText(restored)).toEqual(await metricsText(original));
    expect(views(restored)).toEqual(views(original));
  });

  it('keeps values JSON cannot hold: -Infinity, undefined, NaN, Decimals', () => {
    const store = new Store(OPTIONS);
    const s = store.engine('e');
    s.risk.haltReason = undefined;
    s.portfolio.cashGap.set('USD', NaN);
    const restored = roundTrip(store).engine('e');
    expect(restored.portfolio.lastBalanceTs).toBe(-Infinity);
    expect(Number.isNaN(restored.portfolio.cashGap.get('USD'))).toBe(true);
    expect('haltReason' in restored.risk).toBe(true);
  });

  it('refuses to export state it cannot carry, naming where it is', () => {
    const store = new Store(OPTIONS);
    const unregistered = new (class Unregistered {})();
    store.engine('e').risk.riskLimits.set('x', unregistered as unknown as { value: number; limit: number });
    expect(() => exportStore(store)).toThrow(SnapshotError);
    expect(() => exportStore(store)).toThrow(
      /Unregistered at store\.engines\["e"\]\.risk\.riskLimits\["x"\]/,
    );
    // A field no schema lists (added without saying what an older snapshot means).
    const other = new Store(OPTIONS);
    (other.engine('e') as unknown as Record<string, unknown>).extra = 1;
    expect(() => exportStore(other)).toThrow(
      /EngineState\.extra \(at store\.engines\["e"\]\.extra\) is not in the snapshot schema/,
    );
  });

  it('leaves the store as it was when a snapshot is bad', () => {
    const store = new Store(OPTIONS);
    store.engine('kept');
    const eventIds = { $t: 'BoundedSet', f: { capacity: 1, items: { $t: 'set', v: [] } } };
    const bad = {
      format: 1,
      state: { $t: 'Store', f: { engines: { $t: 'map', e: [['x', { $t: 'Nope', f: {} }]] }, eventIds } },
    };
    expect(() => importStore(store, bad as unknown as StoreSnapshot)).toThrow(/unknown kind "Nope"/);
    const lacking = { format: 1, state: { $t: 'Store', f: { engines: { $t: 'map', e: [] } } } };
    expect(() => importStore(store, lacking as unknown as StoreSnapshot)).toThrow(/missing field eventIds/);
    expect([...store.engines.keys()]).toEqual(['kept']);
    expect(() => importStore(store, { format: 99, state: null })).toThrow(/format 99/);
  });

  it('loads a snapshot of format 1 (written before class versions, engine fields not yet in slices) exactly', async () => {
    const file = path.join(__dirname, '..', '..', 'test', 'fixtures', 'snapshot-format1.json');
    const old = JSON.parse(readFileSync(file, 'utf8')) as StoreSnapshot;
    expect(old.format).toBe(1);
    const restored = new Store(OPTIONS);
    importStore(restored, old);
    // The same events fed to this version give the same state, field for field.
    const fed = new Store(OPTIONS);
    feed(fed, new DemoEngine(7, 'alpha'), 0, 90);
    expect(exportStore(restored).state).toEqual(exportStore(fed).state);
    expect(await metricsText(restored)).toEqual(await metricsText(fed));
  });

  it('loads a snapshot of format 2 written before the state kept numeric times (orders, fills, alerts as wire rows) exactly', async () => {
    const file = path.join(__dirname, '..', '..', 'test', 'fixtures', 'snapshot-format2.json');
    const old = JSON.parse(readFileSync(file, 'utf8')) as StoreSnapshot;
    expect(old.versions?.OrderBook).toBe(1);
    const restored = new Store(OPTIONS);
    importStore(restored, old);
    const fed = new Store(OPTIONS);
    const fedEngine = new DemoEngine(7, 'alpha');
    feed(fed, fedEngine, 0, 90);
    expect(exportStore(restored).state).toEqual(exportStore(fed).state);
    expect(await metricsText(restored)).toEqual(await metricsText(fed));
    // It goes on as the fed one does: the restored orders close, with their fill times.
    const twin = new DemoEngine(7, 'alpha');
    for (let t = 0; t < 90; t++) twin.next(START + t * TICK_MS);
    feed(restored, twin, 90, 60);
    feed(fed, fedEngine, 90, 60);
    expect(await metricsText(restored)).toEqual(await metricsText(fed));
  });

  it('lists every field of every state class in its schema', () => {
    const store = new Store(OPTIONS);
    const engine = store.engine('e');
    const instances: Record<string, object> = {
      Store: store,
      EngineState: engine,
      Position: new Position('X/Y'),
      Distribution: new Distribution([1]),
      LabeledDistribution: new LabeledDistribution([1]),
      LabeledCounter: new LabeledCounter(),
      BoundedSet: new BoundedSet(1),
      BoundedMap: new BoundedMap(1),
      ExecutionSlice: engine.execution,
      PortfolioSlice: engine.portfolio,
      MarketSlice: engine.market,
      RiskSlice: engine.risk,
      StrategySlice: engine.strategy,
      HealthSlice: engine.health,
      OrderBook: engine.execution.orders,
      ExecutionQuality: engine.execution.quality,
      EquityTracker: engine.portfolio.equity,
    };
    const kept: Record<string, string[]> = {
      Store: ['options', 'listeners', 'slicedListeners', 'toSlice', 'held', 'heldUpserts', 'settledWaiters'],
      EngineState: ['valuationCurrency'],
      PortfolioSlice: ['valuationCurrency'],
      EquityTracker: ['options'],
      LabeledDistribution: ['buckets'],
    };
    expect(Object.keys(instances).sort()).toEqual(Object.keys(SCHEMAS).sort());
    for (const [name, instance] of Object.entries(instances)) {
      const own = Object.entries(instance)
        .filter(([k, v]) => typeof v !== 'function' && !(kept[name] ?? []).includes(k))
        .map(([k]) => k);
      expect([name, own.sort()]).toEqual([name, [...SCHEMAS[name].fields].sort()]);
    }
  });

  it('refuses a field renamed without a migration, and a class version newer than its own', () => {
    const store = new Store(OPTIONS);
    feed(store, new DemoEngine(7, 'alpha'), 0, 30);
    const text = JSON.stringify(exportStore(store));
    const renamed = JSON.parse(text.replace(/"avgPrice":/g, '"averagePrice":')) as StoreSnapshot;
    expect(() => importStore(new Store(OPTIONS), renamed)).toThrow(
      /Position .* unknown field averagePrice, missing field avgPrice/,
    );
    const newer = JSON.parse(text) as StoreSnapshot;
    newer.versions = { ...newer.versions, Position: 99 };
    expect(() => importStore(new Store(OPTIONS), newer)).toThrow(/Position version 99, newer/);
  });

  it('carries histogram counts without their bounds, and re-buckets counts written at other bounds', () => {
    const store = new Store(OPTIONS);
    feed(store, new DemoEngine(7, 'alpha'), 0, 90);
    const fillTime = () => [...restoredFrom(store).engines.get('alpha')!.execution.fillTime.values()];
    const restoredFrom = (s: Store, notes: string[] = []) => {
      const into = new Store(OPTIONS);
      importStore(into, JSON.parse(JSON.stringify(exportStore(s))) as StoreSnapshot, (n) => notes.push(n));
      return into;
    };
    const text = JSON.stringify(exportStore(store));
    // Each histogram carries its counts by bound, its count and its sum; no bounds.
    expect(text).toMatch(/"\$t":"Distribution","f":\{"counts":\{[^}]*"0\.05":\d+/);
    expect(text).not.toMatch(/"\$t":"(Labeled)?Distribution","f":\{[^}]*"buckets"/);
    const original = [...store.engines.get('alpha')!.execution.fillTime.values()];
    expect(original.length).toBeGreaterThan(0);
    expect(fillTime().map((e) => [e.dist.buckets, e.dist.counts, e.dist.count])).toEqual(
      original.map((e) => [e.dist.buckets, e.dist.counts, e.dist.count]),
    );

    // Counts written at other bounds (as if the code's buckets had changed since): 0.05 and
    // 0.1 gone, 0.07 new. A kept bound (0.25) stays exact; 0.1 takes the count at 0.07 (the
    // largest written bound below it), 0.05 nothing (no written bound below it).
    const snapshot = JSON.parse(text) as StoreSnapshot;
    const written = (JSON.stringify(snapshot.state).match(
      /"labels":\{"symbol":"([^"]+)"\},"dist":\{"\$t":"Distribution","f":\{"counts":\{[^}]*"14400"/,
    ) ?? [])[1];
    expect(written).toBeDefined();
    const entries: { labels: { symbol?: string }; dist: { f: { counts: Record<string, number> } } }[] = [];
    const collect = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.dist !== undefined && n.labels !== undefined) entries.push(n as (typeof entries)[number]);
      Object.values(n).forEach(collect);
    };
    collect(snapshot.state);
    const target = entries.find((e) => e.labels.symbol === written && '14400' in e.dist.f.counts)!;
    const { '0.05': _a, '0.1': _b, ...rest } = target.dist.f.counts;
    target.dist.f.counts = { '0.07': 3, ...rest };
    const notes: string[] = [];
    const into = new Store(OPTIONS);
    importStore(into, snapshot, (n) => notes.push(n));
    const rebound = [...into.engines.get('alpha')!.execution.fillTime.values()].find(
      (e) => e.labels.symbol === written,
    )!;
    expect(rebound.dist.buckets).toEqual(FILL_TIME_BUCKETS);
    expect(rebound.dist.counts.slice(0, 3)).toEqual([0, 3, rest['0.25']]);
    expect(rebound.dist.counts.slice(3)).toEqual(FILL_TIME_BUCKETS.slice(3).map((b) => rest[String(b)]));
    expect(rebound.dist.count).toBe(original.find((e) => e.labels.symbol === written)!.dist.count);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/fillTime.*other bucket bounds/);
  });
});
