/**
 * bench/ingest: events/s through POST /api/v1/events against JSON.parse alone of the same
 * bytes (and against a bare node:http server that only parses them: the transport's
 * ceiling, which no work after decoding can pass), and /metrics scrape time with
 * 200 symbols × 4 strategies of state against prom-client serializing the same series
 * bare — each pair measured in the same run.
 * Run: npm run bench:ingest   (builds nothing; run `npm run build` first)
 */
import { startBareRegistry } from './bare-registry';
import { parseMetrics, postEvents, startExporter } from '../../tests/support/exporter';
import { getBody, postAll, startTransport, transportUrl } from './transport';
import { orderFillBatch } from './workload';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 60);
const BATCH = 1000;
const SYMBOLS = 200;
const STRATEGIES = ['alpha', 'beta', 'gamma', 'delta'];
const T0 = Date.parse('2026-03-02T00:00:00Z');

const makeBatch = (b: number) => orderFillBatch(b, BATCH, { symbols: SYMBOLS, strategies: STRATEGIES });

/** Resting orders and marks so every symbol × strategy × side has live series. */
function stateBatch(): unknown[] {
  const events: unknown[] = [{ type: 'balance', ts: T0, engine: 'scrape', balances: { USD: 1e7 } }];
  for (let s = 0; s < SYMBOLS; s++) {
    const symbol = `S${s}/USD`;
    events.push({ type: 'mark', ts: T0, engine: 'scrape', symbol, price: 100 + s });
    for (const strategy of STRATEGIES) {
      for (const side of ['buy', 'sell']) {
        const id = `${symbol}-${strategy}-${side}`;
        events.push({
          type: 'order',
          ts: T0,
          engine: 'scrape',
          order_id: id,
          symbol,
          side,
          strategy,
          order_type: 'limit',
          status: 'new',
          quantity: 1,
          limit_price: 100,
        });
        events.push({
          type: 'fill',
          ts: T0 + 1,
          engine: 'scrape',
          fill_id: `${id}-f`,
          order_id: id,
          symbol,
          side,
          strategy,
          price: 100,
          quantity: side === 'buy' ? 0.6 : 0.1,
          fee: 0.01,
        });
      }
    }
  }
  return events;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
      // Any TRADEWATCH_* setting of the bench's own environment goes to the exporter, to
      // apportion the time: e.g. TRADEWATCH_JOURNAL_FSYNC=never, TRADEWATCH_HISTORY=false.
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (kv): kv is [string, string] => kv[0].startsWith('TRADEWATCH_') && kv[1] !== undefined,
        ),
      ),
    },
    // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the exporter.
    nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
  });
  try {
    // ---- ingest ----------------------------------------------------------------------
    const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify(makeBatch(b)));
    const buffers = bodies.map((b) => Buffer.from(b));
    const bytes = buffers.reduce((s, x) => s + x.length, 0);

    // The same client for the exporter and for the bare server below.
    const ingestRate = await postAll(new URL(`${ex.baseUrl}/api/v1/events`), buffers, BATCH, {
      headers: { Authorization: `Bearer ${ex.ingestToken}` },
      warmUp: Buffer.from(JSON.stringify(makeBatch(BATCHES + 1))),
    });
    const t = performance.now();
    let parsed = 0;
    for (let rep = 0; rep < 3; rep++)
      for (const body of bodies) parsed += (JSON.parse(body) as unknown[]).length;
    const parseRate = parsed / ((performance.now() - t) / 1000);

    // The transport's ceiling: a bare node:http server that only JSON.parses the same bodies.
    const transport = await startTransport();
    const bareHttpRate = await postAll(transportUrl(transport.ports.bare), buffers, BATCH).finally(
      transport.stop,
    );

    // ---- scrape ----------------------------------------------------------------------
    const r = await postEvents(ex, stateBatch());
    if (r.status !== 200) throw new Error(`state batch answered ${r.status}`);
    const url = `${ex.baseUrl}/metrics`;
    // One scrape first, for the series the bare registry will hold.
    const text = await (await fetch(url)).text();
    const series = [...parseMetrics(text).keys()].filter((k) => k.startsWith('trading_')).length;

    // The same trading_* series in a bare prom-client registry, in a process of its own.
    const bare = await startBareRegistry(text);
    const bareUrl = bare.url;
    // Alternating, so a change in the machine's load falls on both figures alike.
    const scrapeTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let i = 0; i < 25; i++) {
      let s = performance.now();
      await getBody(url);
      scrapeTimes.push(performance.now() - s);
      s = performance.now();
      await getBody(bareUrl);
      bareTimes.push(performance.now() - s);
    }
    bare.stop();
    const scrapeMs = median(scrapeTimes);
    const bareMs = median(bareTimes);

    const out = {
      ingest: {
        events: BATCHES * BATCH,
        batch: BATCH,
        mb: +(bytes / 1e6).toFixed(1),
        events_per_s: Math.round(ingestRate),
        json_parse_events_per_s: Math.round(parseRate),
        ratio: +(ingestRate / parseRate).toFixed(3),
        goal: '>= 0.3',
        bare_http_parse_only_events_per_s: Math.round(bareHttpRate),
        ratio_bare_http_to_parse: +(bareHttpRate / parseRate).toFixed(3),
        ratio_to_bare_http: +(ingestRate / bareHttpRate).toFixed(3),
      },
      scrape: {
        trading_series: series,
        metrics_ms_median: +scrapeMs.toFixed(1),
        bare_prom_client_ms_median: +bareMs.toFixed(1),
        ratio: +(scrapeMs / bareMs).toFixed(2),
        goal: '<= 1.2 and < 100 ms',
      },
      load1: (await import('node:os')).loadavg()[0].toFixed(2),
    };
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await ex.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
