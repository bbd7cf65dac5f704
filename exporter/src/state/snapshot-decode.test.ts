/**
 * References survive a migration that regroups fields: EngineState version 1 held its
 * fields flat; version 2 holds them in slices, in another order, so a reference written
 * after the object it points at may be decoded before it.
 */
import { exportStore, importStore, type StoreSnapshot } from './snapshot';
import { Store } from './store';

const OPTIONS = { valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 86_400_000 } };

it('keeps one object shared when a migration decodes its reference before its place', () => {
  const store = new Store(OPTIONS);
  store.engine('e');
  const current = exportStore(store);
  // A version-1 engine: `recentFills` (health's `recentAlerts` comes before it as written)
  // is one array that `recentAlerts` refers to. In version 2 `recentFills` moves to the
  // execution slice, which is decoded first: the reference is met before its place.
  const text = JSON.stringify(current.state);
  const v1 = JSON.parse(text) as { f: { engines: { e: [string, { f: Record<string, unknown> }][] } } };
  const [, engine] = v1.f.engines.e[0];
  const slices = engine.f as Record<string, { f: Record<string, unknown> }>;
  // Version 1 kept the mark arrivals and recent marks in the execution quality.
  const quality = slices.execution.f.quality as { f: Record<string, unknown> };
  for (const k of ['markArrivals', 'recentMarks']) {
    quality.f[k] = slices.market.f[k];
    delete slices.market.f[k];
  }
  const flat: Record<string, unknown> = { engine: 'e' };
  for (const slice of ['health', 'strategy', 'risk', 'market', 'portfolio', 'execution'])
    Object.assign(flat, slices[slice].f);
  flat.execution = flat.quality;
  delete flat.quality;
  const shared = [{ engine: 'e', fill_id: 'f1' }];
  // Numbered as written: Store, engines map, the EngineState, then its fields in order.
  const ordered: Record<string, unknown> = { engine: 'e', recentAlerts: shared, recentFills: null };
  for (const [k, v] of Object.entries(flat)) if (!(k in ordered)) ordered[k] = v;
  ordered.recentFills = { $t: 'ref', i: 3 };
  engine.f = ordered;
  const snapshot: StoreSnapshot = {
    format: 2,
    versions: { ...current.versions, EngineState: 1, ExecutionQuality: 1, MarketSlice: 1 },
    state: v1 as unknown as StoreSnapshot['state'],
  };
  const restored = new Store(OPTIONS);
  importStore(restored, snapshot);
  const e = restored.engine('e');
  expect(e.execution.recentFills).toEqual(shared);
  expect(e.execution.recentFills).toBe(e.health.recentAlerts);
});
