/**
 * bench/ingest/concurrent: a bot that posts each event as it happens, many at once. One-event
 * requests from CLIENTS concurrent keep-alive connections to the exporter (durable journal,
 * fsync per write, history on) against the bare node:http server that only reads and
 * JSON.parses the same bodies, measured in the same run, alternating. With one sync per
 * request the exporter is capped near 1/fsync; group commit lets the batches that arrive
 * during one sync share the next. It also prints each server's CPU time per request (user +
 * system, all threads, from /proc), which a shared machine's load moves far less than the rates.
 * Run: npm run bench:concurrent   (run `npm run build` first; BENCH_NODE_ARGS: node flags for the exporter)
 */
import { Agent, request } from 'node:http';
import os from 'node:os';
import { startExporter } from '../../tests/support/exporter';
import { cpuMs } from './cpu';
import { startTransport, transportUrl } from './transport';
import { orderFillBatch } from './workload';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 6000);
const ROUNDS = 2;

function post(agent: Agent, url: URL, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests/s: `bodies` posted by `clients` loops, each over its own kept-alive socket. */
export async function postConcurrently(
  url: URL,
  bodies: readonly Buffer[],
  headers: Record<string, string> = {},
  clients = CLIENTS,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const status = await post(agent, url, body, headers);
        if (status !== 200) throw new Error(`${url.href} answered ${status}`);
      }
    }),
  );
  const rate = bodies.length / ((performance.now() - t) / 1000);
  agent.destroy();
  return rate;
}

async function main(): Promise<void> {
  const ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (kv): kv is [string, string] => kv[0].startsWith('TRADEWATCH_') && kv[1] !== undefined,
        ),
      ),
    },
    // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": node flags for the exporter (a profile of a request's cost).
    nodeArgs: (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0),
  });
  const transport = await startTransport();
  try {
    const events = orderFillBatch(0, REQUESTS * ROUNDS + CLIENTS);
    const bodies = events.map((e) => Buffer.from(JSON.stringify([e])));
    const ingestUrl = new URL(`${ex.baseUrl}/api/v1/events`);
    const auth = { Authorization: `Bearer ${ex.ingestToken}` };
    await postConcurrently(ingestUrl, bodies.slice(0, CLIENTS), auth); // warm-up, unmeasured
    const exporter: number[] = [];
    const bare: number[] = [];
    // CPU milliseconds each server used for its requests (the bare one's process also holds
    // the express transport, idle here).
    const cpu = { exporter: 0, bare: 0 };
    const exporterPid = ex.process.pid as number;
    for (let round = 0; round < ROUNDS; round++) {
      const slice = bodies.slice(CLIENTS + round * REQUESTS, CLIENTS + (round + 1) * REQUESTS);
      let before = cpuMs(exporterPid);
      exporter.push(await postConcurrently(ingestUrl, slice, auth));
      cpu.exporter += cpuMs(exporterPid) - before;
      before = cpuMs(transport.pid);
      bare.push(await postConcurrently(transportUrl(transport.ports.bare), slice));
      cpu.bare += cpuMs(transport.pid) - before;
    }
    const metrics = await (await fetch(`${ex.baseUrl}/metrics`)).text();
    const syncs = /^tradewatch_journal_sync_seconds_count (\d+)/m.exec(metrics)?.[1];
    const ex1 = Math.max(...exporter);
    const bare1 = Math.max(...bare);
    console.log(
      JSON.stringify(
        {
          clients: CLIENTS,
          requests: REQUESTS * ROUNDS,
          exporter_requests_per_s: Math.round(ex1),
          bare_http_requests_per_s: Math.round(bare1),
          exporter_vs_bare_http: +(ex1 / bare1).toFixed(3),
          exporter_cpu_ms_per_request: +(cpu.exporter / (REQUESTS * ROUNDS)).toFixed(3),
          bare_http_cpu_ms_per_request: +(cpu.bare / (REQUESTS * ROUNDS)).toFixed(3),
          // As the rate ratio: the bare server's CPU per request over the exporter's.
          exporter_vs_bare_http_cpu: +(cpu.bare / cpu.exporter).toFixed(3),
          journal_syncs: syncs === undefined ? null : Number(syncs),
          load1: +os.loadavg()[0].toFixed(2),
        },
        null,
        2,
      ),
    );
  } finally {
    transport.stop();
    await ex.stop();
  }
}

// Run alone, or imported for its measures (bench/ingest/issue23.bench.ts).
if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
