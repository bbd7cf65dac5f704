import { exportStore, importStore } from '../snapshot';
import { Store } from '../store';
import { LabeledCounter, LabeledDistribution } from './counters';

const OPTIONS = { valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 86_400_000 } };

describe('LabeledCounter', () => {
  it('counts per label set, in the order label sets first appeared', () => {
    const c = new LabeledCounter();
    c.inc({ strategy: 'a', side: 'buy' });
    c.inc({ strategy: 'b', side: 'buy' }, 2);
    c.inc({ strategy: 'a', side: 'buy' }, 3);
    c.inc({ strategy: 'a', side: 'sell' });
    expect([...c.values()]).toEqual([
      { labels: { strategy: 'a', side: 'buy' }, value: 4 },
      { labels: { strategy: 'b', side: 'buy' }, value: 2 },
      { labels: { strategy: 'a', side: 'sell' }, value: 1 },
    ]);
    expect(c.get({ strategy: 'a', side: 'buy' })).toBe(4);
    expect(c.get({ strategy: 'c', side: 'buy' })).toBe(0);
    expect(c.get({ strategy: 'a' })).toBe(0);
    expect(c.total()).toBe(7);
  });

  it('keeps the label set it was first given (a later caller cannot change it)', () => {
    const c = new LabeledCounter();
    const labels = { venue: 'x' };
    c.inc(labels);
    (labels as { venue: string }).venue = 'y';
    c.inc({ venue: 'x' });
    expect([...c.values()]).toEqual([{ labels: { venue: 'x' }, value: 2 }]);
  });

  it('goes on counting into the same series after a snapshot restore', () => {
    const store = new Store(OPTIONS);
    const counter = store.engine('e').execution.fills;
    counter.inc({ strategy: 's', symbol: 'A/USD', side: 'buy' }, 2);
    const restored = new Store(OPTIONS);
    importStore(restored, exportStore(store));
    const again = restored.engine('e').execution.fills;
    again.inc({ strategy: 's', symbol: 'A/USD', side: 'buy' });
    again.inc({ strategy: 's', symbol: 'B/USD', side: 'buy' });
    expect([...again.values()]).toEqual([
      { labels: { strategy: 's', symbol: 'A/USD', side: 'buy' }, value: 3 },
      { labels: { strategy: 's', symbol: 'B/USD', side: 'buy' }, value: 1 },
    ]);
  });
});

describe('LabeledDistribution', () => {
  it('observes into one distribution per label set', () => {
    const d = new LabeledDistribution([1, 10]);
    d.observe({ symbol: 'A' }, 0.5);
    d.observe({ symbol: 'B' }, 5);
    d.observe({ symbol: 'A' }, 50);
    const entries = [...d.values()];
    expect(entries.map((e) => [e.labels.symbol, e.dist.count, e.dist.counts])).toEqual([
      ['A', 2, [1, 1]],
      ['B', 1, [0, 1]],
    ]);
  });
});
