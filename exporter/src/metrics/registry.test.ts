import { Distribution } from '../state/common/counters';
import { family, MetricsRegistry, type Collector } from './registry';

const GAUGE = family('test_value', 'gauge', 'A test value.');
const HIST = family('test_seconds', 'histogram', 'A test histogram.');

describe('metrics registry', () => {
  it('runs each collector per scrape and serializes what it wrote', async () => {
    let value = 1;
    const registry = new MetricsRegistry({ processMetrics: false });
    const dist = new Distribution([0.1, 1]);
    dist.observe(0.05);
    dist.observe(0.5);
    dist.observe(5);
    registry.register({
      name: 'a',
      families: [GAUGE, HIST],
      update: (sink) => {
        sink.add(GAUGE, { engine: 'e' }, value);
        sink.histogram(HIST, { engine: 'e' }, dist);
      },
    });
    let text = await registry.scrape();
    expect(text).toContain('# TYPE test_value gauge\ntest_value{engine="e"} 1');
    expect(text).toContain('test_seconds_bucket{engine="e",le="0.1"} 1');
    expect(text).toContain('test_seconds_bucket{engine="e",le="1"} 2');
    expect(text).toContain('test_seconds_bucket{engine="e",le="+Inf"} 3');
    expect(text).toContain('test_seconds_sum{engine="e"} 5.55');
    expect(text).toContain('test_seconds_count{engine="e"} 3');
    value = 2;
    text = await registry.scrape();
    expect(text).toContain('test_value{engine="e"} 2');
    expect(text.match(/test_value\{/g)).toHaveLength(1); // last scrape's samples are not kept
  });

  it('a failing collector loses only its own samples and is reported as failed', async () => {
    const errors: string[] = [];
    const registry = new MetricsRegistry({ processMetrics: false, onError: (c) => errors.push(c) });
    const broken: Collector = {
      name: 'broken',
      families: [family('test_broken', 'gauge', 'x')],
      update: (sink) => {
        sink.add({ name: 'test_broken', type: 'gauge', help: 'x' }, {}, 1);
        throw new Error('disk gone');
      },
    };
    registry.register(broken);
    registry.register({ name: 'fine', families: [GAUGE], update: (sink) => sink.add(GAUGE, {}, 7) });
    const text = await registry.scrape();
    expect(text).not.toMatch(/^test_broken /m);
    expect(text).toContain('test_value 7');
    expect(text).toContain('tradewatch_collector_success{collector="broken"} 0');
    expect(text).toContain('tradewatch_collector_success{collector="fine"} 1');
    expect(errors).toEqual(['broken']);
  });
});
