/**
 * bench/ingest/http: what the HTTP transport alone costs, before any validation or
 * accounting. The same bodies as bench/ingest (1,000 events each) are posted one after
 * the other to a bare node:http server and to express with express.text() (as the
 * exporter read an ingest body until the route left express), each only JSON.parsing them, against JSON.parse of the
 * same bytes in this process. The bare ratio is the ceiling for HTTP ingest however
 * cheap everything after decoding gets; the express one says what express costs.
 * Run: npm run bench:http
 */
import os from 'node:os';
import { postAll, startTransport, transportUrl } from './transport';
import { orderFillBatch } from './workload';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 60);
const BATCH = 1000;

async function main(): Promise<void> {
  const transport = await startTransport();
  try {
    const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify(orderFillBatch(b, BATCH)));
    const buffers = bodies.map((b) => Buffer.from(b));
    const t = performance.now();
    let parsed = 0;
    for (let rep = 0; rep < 3; rep++)
      for (const body of bodies) parsed += (JSON.parse(body) as unknown[]).length;
    const parseRate = parsed / ((performance.now() - t) / 1000);
    // Each measured twice, alternating, so neither gains from going second.
    const bare: number[] = [];
    const viaExpress: number[] = [];
    for (let round = 0; round < 2; round++) {
      bare.push(await postAll(transportUrl(transport.ports.bare), buffers, BATCH));
      viaExpress.push(await postAll(transportUrl(transport.ports.express), buffers, BATCH));
    }
    const bareRate = Math.max(...bare);
    const expressRate = Math.max(...viaExpress);
    console.log(
      JSON.stringify(
        {
          events: BATCHES * BATCH,
          json_parse_events_per_s: Math.round(parseRate),
          bare_node_http_events_per_s: Math.round(bareRate),
          express_text_events_per_s: Math.round(expressRate),
          ratio_bare_to_parse: +(bareRate / parseRate).toFixed(3),
          ratio_express_to_parse: +(expressRate / parseRate).toFixed(3),
          ratio_express_to_bare: +(expressRate / bareRate).toFixed(3),
          load1: os.loadavg()[0].toFixed(2),
        },
        null,
        2,
      ),
    );
  } finally {
    transport.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
