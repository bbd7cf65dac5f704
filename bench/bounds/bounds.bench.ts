/**
 * bench/bounds: the worst case each bound of docs/architecture.md ("Bounds") allows, next to the normal
 * case measured in the same run (the baseline of each ratio), through the real ingest
 * service (validate, cap check, apply; no journal, no HTTP) and the real metrics registry.
 *
 * - names: one batch that creates the largest allowed number of distinct symbols in one
 *   engine (TRADEWATCH_MAX_SYMBOLS, fills in unmarked symbols: the case that was cubic)
 *   against the same number of fills spread over 10 symbols; then /metrics of each state;
 * - engines: one batch creating the allowed 100 engines against 100 events of one engine;
 * - gap: one mark crossing the widest allowed gap in event time (2000-01-01 to now + 24 h
 *   at the finest returns period, 1 min: about 14 M periods) against one crossing one period.
 * Run: npm run bench:bounds
 */
import pino from 'pino';
import { defaults } from '../../exporter/src/config';
import { Ingestor } from '../../exporter/src/ingest/ingestor';
import { buildMetrics } from '../../exporter/src/metrics/collectors';
import { EARLIEST_EVENT_MS, MAX_AHEAD_MS } from '../../exporter/src/events/bounds';
import { Store } from '../../exporter/src/state/store';

const silent = pino({ level: 'silent' });
const limits = defaults().limits;
const T0 = Date.parse('2026-03-02T00:00:00Z');
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function fresh(periodMs = 3_600_000) {
  const store = new Store({ valuationCurrency: 'USD', equity: { periodMs, retainMs: 30 * 86_400_000 } });
  const ingestor = new Ingestor(store, silent, null, new Map(), limits);
  const metrics = buildMetrics({
    store,
    stats: {
      rejected: ingestor.rejected,
      ingested: ingestor.ingested,
      feedClients: () => 0,
      version: 'bench',
    },
    windows: { windows: defaults().windows, periodsPerYear: 8760 },
    dataDir: '/tmp',
  });
  return { store, ingestor, metrics };
}

function fills(count: number, symbols: number, engine = 'bench') {
  return Array.from({ length: count }, (_, i) => ({
    type: 'fill',
    ts: T0 + i,
    engine,
    fill_id: `f-${i}`,
    order_id: `o-${i}`,
    symbol: `S${i % symbols}/USD`,
    side: i % 3 === 0 ? 'sell' : 'buy',
    price: 100 + (i % 13),
    quantity: 1,
    strategy: 'alpha',
  }));
}

async function timeIngest(events: unknown[], periodMs?: number) {
  const x = fresh(periodMs);
  await x.ingestor.ingest(
    { values: [{ type: 'balance', ts: T0 - 1, engine: 'bench', balances: { USD: 1e9 } }] },
    'bench',
  );
  const started = process.hrtime.bigint();
  const result = await x.ingestor.ingest({ values: events }, 'bench');
  const ingestMs = ms(started);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  const scrapeStart = process.hrtime.bigint();
  const text = await x.metrics.scrape();
  return {
    ingestMs,
    scrapeMs: ms(scrapeStart),
    series: text.split('\n').filter((l) => l && l[0] !== '#').length,
  };
}

function line(label: string, worst: number, normal: number, unit = 'ms') {
  console.log(
    `${label.padEnd(46)} worst ${worst.toFixed(1).padStart(9)} ${unit}   normal ${normal.toFixed(1).padStart(9)} ${unit}   ratio ${(worst / normal).toFixed(2)}`,
  );
}

async function main() {
  const n = limits.symbols;
  // Warm up the code paths once.
  await timeIngest(fills(2000, 10));
  const normal = await timeIngest(fills(n, 10));
  const worst = await timeIngest(fills(n, n));
  console.log(`names: ${n} fills in ${n} distinct unmarked symbols vs in 10 symbols (one batch)`);
  line('  ingest of the batch', worst.ingestMs, normal.ingestMs);
  line(`  /metrics (${worst.series} vs ${normal.series} samples)`, worst.scrapeMs, normal.scrapeMs);

  const engines = Array.from({ length: limits.engines - 1 }, (_, i) => ({
    type: 'mark',
    ts: T0,
    engine: `e${i}`,
    symbol: 'BTC/USD',
    price: 1,
  }));
  const oneEngine = Array.from({ length: limits.engines - 1 }, (_, i) => ({
    type: 'mark',
    ts: T0 + i,
    engine: 'bench',
    symbol: 'BTC/USD',
    price: 1,
  }));
  const e1 = await timeIngest(engines);
  const e0 = await timeIngest(oneEngine);
  console.log(
    `engines: ${limits.engines} distinct engines vs one engine (one batch of ${limits.engines} marks)`,
  );
  line('  ingest of the batch', e1.ingestMs, e0.ingestMs);
  line(`  /metrics (${e1.series} vs ${e0.series} samples)`, e1.scrapeMs, e0.scrapeMs);

  const widest = async (gapMs: number) => {
    const x = fresh(60_000);
    await x.ingestor.ingest(
      { values: [{ type: 'balance', ts: EARLIEST_EVENT_MS, engine: 'g', balances: { USD: 100 } }] },
      'bench',
    );
    const started = process.hrtime.bigint();
    await x.ingestor.ingest(
      { values: [{ type: 'mark', ts: EARLIEST_EVENT_MS + gapMs, engine: 'g', symbol: 'BTC/USD', price: 1 }] },
      'bench',
    );
    return ms(started);
  };
  const gap = Date.now() + MAX_AHEAD_MS - EARLIEST_EVENT_MS;
  await widest(60_000);
  const g1 = await widest(gap);
  const g0 = await widest(60_000);
  console.log(
    `gap: one mark ${Math.round(gap / 60_000).toLocaleString('en')} periods of 1 min after the last event vs one period`,
  );
  line('  ingest of the mark', g1, g0);
}

void main();
