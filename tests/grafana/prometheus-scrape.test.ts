/**
 * Issue 2's end-to-end check: a real Prometheus scrapes the real exporter running the demo
 * engine and answers a query for each of the six metric areas.
 */
import { startExporter, type RunningExporter } from '../support/exporter';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus';

jest.setTimeout(90_000);

let exporter: RunningExporter | undefined;
let prometheus: RunningPrometheus | undefined;

beforeAll(async () => {
  exporter = await startExporter();
  prometheus = await startPrometheus({
    targets: [{ job: 'tradewatch', target: `127.0.0.1:${exporter.port}` }],
  });
});

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

const areas: Array<[string, string]> = [
  ['execution', 'sum by (engine) (trading_orders_submitted_total)'],
  ['portfolio', 'trading_equity{engine="demo"}'],
  ['risk', 'trading_risk_limit{limit="drawdown"}'],
  ['strategy', 'sum by (engine) (trading_strategy_active)'],
  ['health', 'trading_last_event_timestamp_seconds'],
  ['host', 'host_memory_bytes{state="total"}'],
];

test('Prometheus scrapes the exporter (up == 1)', async () => {
  const up = await prometheus!.waitForData('up{job="tradewatch"} == 1', 30_000);
  expect(up[0].metric.job).toBe('tradewatch');
});

test.each(areas)('Prometheus answers a %s query from the demo', async (_area, expr) => {
  const result = await prometheus!.waitForData(expr, 45_000);
  expect(result.length).toBeGreaterThan(0);
  for (const s of result) expect(Number.isNaN(Number(s.value[1]))).toBe(false);
});
