/**
 * Differential: our direct text format against prom-client's on the same generated
 * families and samples (escapes, unicode, NaN, ±Inf, -0, huge and tiny values, empty
 * families): byte-identical, so dashboards and the golden file cannot tell. Histograms are
 * checked on a hand-worked example (prom-client puts `le` first; we keep it last, as before).
 */
import fc from 'fast-check';
import { Gauge, Registry } from 'prom-client';
import { Distribution } from '../state/common/counters';
import { family, MetricsRegistry, type Family } from './registry';

const labelValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('a"b', 'back\\slash', 'new\nline', '\\"\n', 'BTC/USD', 'ünï', ''),
);
const value = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e21, 1e-7, 0.1 + 0.2),
  fc.integer(),
);

const LABEL_NAMES = ['engine', 'symbol', 'side', 'x_y'];
type Spec = { f: Family; samples: { labels: Record<string, string>; value: number }[] };

/** The same gauges set through prom-client's public API, serialized by it. */
function promClientText(families: Spec[]): Promise<string> {
  const reg = new Registry();
  new Gauge({
    name: 'tradewatch_collector_duration_seconds',
    help: 'Time a metrics collector took during the last scrape.',
    labelNames: ['collector'],
    registers: [reg],
  });
  new Gauge({
    name: 'tradewatch_collector_success',
    help: 'Whether a metrics collector succeeded during the last scrape (1) or failed (0).',
    labelNames: ['collector'],
    registers: [reg],
  });
  for (const { f, samples } of families) {
    const g = new Gauge({ name: f.name, help: f.help, labelNames: LABEL_NAMES, registers: [reg] });
    for (const s of samples) g.set(s.labels, s.value);
  }
  return reg.metrics();
}

/** Drops the collector timings, which differ between two scrapes by nature. */
const withoutTimings = (text: string) =>
  text.replace(/^tradewatch_collector_(duration_seconds|success)\{.*\n/gm, '');

describe('the text format written directly', () => {
  it('is byte-identical to prom-client on generated families and samples', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            help: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constant('with \\ and\nnewline')),
            samples: fc.uniqueArray(
              fc.record({ labels: fc.dictionary(fc.constantFrom(...LABEL_NAMES), labelValue), value }),
              // prom-client keeps one sample per label set, as our collectors write them.
              { maxLength: 5, selector: (s) => JSON.stringify(Object.entries(s.labels).sort()) },
            ),
          }),
          { maxLength: 4 },
        ),
        async (specs) => {
          const families = specs.map((s, i) => ({
            f: family(`test_${i}`, 'gauge', s.help),
            samples: s.samples,
          }));
          const ours = new MetricsRegistry({ processMetrics: false });
          ours.register({
            name: 'gen',
            families: families.map((x) => x.f),
            update: (sink) =>
              families.forEach(({ f, samples }) => samples.forEach((s) => sink.add(f, s.labels, s.value))),
          });
          expect(withoutTimings(await ours.scrape())).toBe(withoutTimings(await promClientText(families)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes a histogram: cumulative buckets, +Inf, sum and count (le last, as before)', async () => {
    const f = family('test_seconds', 'histogram', 'A test histogram.');
    const dist = new Distribution([0.1, 1, 2.5]);
    for (const v of [0.05, 0.5, 5, 1]) dist.observe(v);
    const ours = new MetricsRegistry({ processMetrics: false });
    ours.register({ name: 'h', families: [f], update: (sink) => sink.histogram(f, { engine: 'e"1' }, dist) });
    const text = await ours.scrape();
    expect(text.slice(text.indexOf('# HELP test_seconds'))).toBe(
      [
        '# HELP test_seconds A test histogram.',
        '# TYPE test_seconds histogram',
        'test_seconds_bucket{engine="e\\"1",le="0.1"} 1',
        'test_seconds_bucket{engine="e\\"1",le="1"} 3',
        'test_seconds_bucket{engine="e\\"1",le="2.5"} 3',
        'test_seconds_bucket{engine="e\\"1",le="+Inf"} 4',
        'test_seconds_sum{engine="e\\"1"} 6.55',
        'test_seconds_count{engine="e\\"1"} 4',
        '',
      ].join('\n'),
    );
  });

  it('refuses a family registered twice (two collectors must not write one name)', () => {
    const ours = new MetricsRegistry({ processMetrics: false });
    const f = family('test_twice', 'gauge', 'x');
    ours.register({ name: 'a', families: [f], update: () => undefined });
    expect(() => ours.register({ name: 'b', families: [f], update: () => undefined })).toThrow(/test_twice/);
  });
});
