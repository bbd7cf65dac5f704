/**
 * The demo engine exercises market data and execution quality: slippage both ways, limit
 * fills at and better than their limit, closed orders of both types, and a market-data gap
 * (one symbol's marks pause, then resume).
 */
import { validateBatch } from '../events/validate';
import { Store } from '../state/store';
import { DemoEngine, GAP_EVERY, GAP_START, GAP_TICKS } from './demo';

const START = Date.parse('2026-02-02T00:00:00Z');
const TICK = 250;

test('the demo produces slippage, limit improvement, fill ratios and a market-data gap', () => {
  const store = new Store({
    valuationCurrency: 'USD',
    equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
  });
  const demo = new DemoEngine(42, 'demo');
  const marksBySymbol = new Map<string, number[]>();
  for (let t = 0; t < GAP_EVERY + GAP_START + GAP_TICKS + 10; t++) {
    const batch = validateBatch(demo.next(START + t * TICK));
    if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
    for (const e of batch.events)
      if (e.type === 'mark') {
        const ticks = marksBySymbol.get(e.symbol) ?? [];
        ticks.push(t);
        marksBySymbol.set(e.symbol, ticks);
      }
    store.apply(batch.events, START + t * TICK);
  }
  const x = store.engines.get('demo')!.execution;

  // A gap: in each gap window exactly one symbol is silent for GAP_TICKS ticks, then resumes.
  const silent = [...marksBySymbol].filter(([, ticks]) => {
    const inFirstGap = ticks.filter((t) => t >= GAP_START && t < GAP_START + GAP_TICKS);
    return inFirstGap.length === 0 && ticks.includes(GAP_START + GAP_TICKS);
  });
  expect(silent).toHaveLength(1);

  const slips = [...x.quality.slippage.values()];
  const count = slips.reduce((n, s) => n + s.dist.count, 0);
  const atOrBelowZero = slips.reduce((n, s) => n + s.dist.counts[s.dist.buckets.indexOf(0)], 0);
  expect(count).toBeGreaterThan(50);
  expect(atOrBelowZero).toBeGreaterThan(0); // some fills beat their arrival price
  expect(atOrBelowZero).toBeLessThan(count); // and some cost more
  expect(new Set(slips.map((s) => s.labels.side))).toEqual(new Set(['buy', 'sell']));

  const improvements = [...x.quality.limitImprovement.values()];
  const limitFills = improvements.reduce((n, s) => n + s.dist.count, 0);
  const atLimit = improvements.reduce((n, s) => n + s.dist.counts[0], 0); // le="0"
  expect(limitFills).toBeGreaterThan(10);
  expect(atLimit).toBeGreaterThan(0);
  expect(atLimit).toBeLessThan(limitFills); // some limit fills beat the limit

  const ratios = new Map([...x.quality.fillRatio.values()].map((r) => [r.labels.order_type, r.dist]));
  expect(ratios.get('market')?.count).toBeGreaterThan(0);
  const limit = ratios.get('limit')!;
  expect(limit.count).toBeGreaterThan(0);
  expect(limit.counts[0]).toBeGreaterThan(0); // canceled unfilled
  expect(limit.sum).toBeGreaterThan(0); // and filled ones
});
