// bench/feed: CLIENTS WebSocket clients on `orders`, RATE order updates/s for SECONDS s,
// (1) against a raw `ws` broadcast of the same events (the baseline), (2) against the
// exporter's /feed, (3) again with STALLED clients that stop reading. Prints latency from
// the generator's post to receipt (p50/p99), frames/s, delivery rate relative to the raw
// baseline, server memory per connection, CPU used and the machine's load.
//   node bench/feed/run.mjs      (after `npm run build -w exporter`)
// Env: CLIENTS=1000 RATE=2000 SECONDS=30 BATCH_MS=50 STALLED=10 PROBES=50 JOURNAL_FSYNC=never
//      PROFILE_DIR=<dir>: one CPU profile of the exporter per feed phase (<dir>/phase-N.cpuprofile)
//      CONTROL=1: a 4th phase, the feed again once the stalled clients are closed
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectProfiler } from './profiler.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const CLI = path.join(repo, 'exporter', 'dist', 'cli', 'main.js');
const CLIENTS = Number(process.env.CLIENTS ?? 1000);
const RATE = Number(process.env.RATE ?? 2000);
const SECONDS = Number(process.env.SECONDS ?? 30);
const BATCH_MS = Number(process.env.BATCH_MS ?? 50);
const STALLED = Number(process.env.STALLED ?? 10);
const PROBES = Number(process.env.PROBES ?? 50);
const CONTROL = process.env.CONTROL === '1';
const WORKERS = 2;
const TICK_MS = 10;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(new Date().toISOString().slice(11, 19), ...a);

if (!existsSync(CLI)) {
  console.error('build the exporter first: npm run build -w exporter');
  process.exit(2);
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---- processes -------------------------------------------------------------------
const children = [];
const viewer = 'bench-viewer-' + Math.random().toString(36).slice(2).padEnd(12, 'x');
const ingest = 'bench-ingest-' + Math.random().toString(36).slice(2).padEnd(12, 'x');
const port = await freePort();
const PROFILE_DIR = process.env.PROFILE_DIR;
const inspectPort = PROFILE_DIR ? await freePort() : 0;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tradewatch-bench-feed-'));
const exporter = spawn(
  process.execPath,
  [...(PROFILE_DIR ? [`--inspect=127.0.0.1:${inspectPort}`] : []), CLI, 'serve'],
  {
    env: {
      PATH: process.env.PATH,
      TRADEWATCH_PORT: String(port),
      TRADEWATCH_HOST: '127.0.0.1',
      TRADEWATCH_DATA_DIR: dataDir,
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_INGEST_TOKENS: `bench:${ingest}`,
      TRADEWATCH_VIEWER_TOKENS: `bench:${viewer}`,
      TRADEWATCH_FEED_BATCH_MS: String(BATCH_MS),
      // The feed is measured, not the disk: journal writes stay, fsync waits do not.
      TRADEWATCH_JOURNAL_FSYNC: process.env.JOURNAL_FSYNC ?? 'never',
      TRADEWATCH_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
children.push(exporter);
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/readyz`)).ok) break;
  } catch {}
  if (i > 200) throw new Error('exporter did not start');
  await sleep(100);
}

const profiler = PROFILE_DIR ? await connectProfiler(inspectPort) : null;
if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });

const raw = fork(path.join(here, 'raw-server.mjs'), [], {
  env: { ...process.env, BATCH_MS: String(BATCH_MS) },
  stdio: 'inherit',
});
children.push(raw);
const rawPort = await new Promise((resolve) => raw.once('message', (m) => resolve(m.port)));

const workers = [];
for (let i = 0; i < WORKERS; i++) {
  const w = fork(path.join(here, 'clients.mjs'), [], { stdio: 'inherit' });
  children.push(w);
  workers.push(w);
}
const ask = (w, msg) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (m.done === msg.cmd) {
        w.off('message', on);
        resolve(m);
      }
    };
    w.on('message', on);
    w.send(msg);
  });
const all = (msg) => Promise.all(workers.map((w, i) => ask(w, typeof msg === 'function' ? msg(i) : msg)));

const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

// ---- measurements ----------------------------------------------------------------
async function exporterStats() {
  const text = await (await fetch(`${base}/metrics`)).text();
  const v = (name) => {
    const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
  };
  return {
    rss: v('process_resident_memory_bytes'),
    heapUsed: v('nodejs_heap_size_used_bytes'),
    external: v('nodejs_external_memory_bytes'),
    cpuSeconds: v('process_cpu_seconds_total'),
    clients: v('tradewatch_feed_clients'),
  };
}
const rawStats = async () => (await fetch(`http://127.0.0.1:${rawPort}/stats`)).json();

function percentileOf(hist, p) {
  const total = hist.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let ms = 0; ms < hist.length; ms++) {
    seen += hist[ms];
    if (seen >= total * p) return ms;
  }
  return NaN;
}

// ---- the load runs in its own process (generator.mjs) so posting is not starved here ---
function generate(postUrl, headers, prefix) {
  return new Promise((resolve, reject) => {
    const g = fork(path.join(here, 'generator.mjs'), [], { stdio: 'inherit' });
    children.push(g);
    g.once('message', resolve);
    g.once('error', reject);
    g.send({ postUrl, headers, prefix, rate: RATE, seconds: SECONDS });
  });
}

async function phase(name, postUrl, headers, server) {
  await sleep(1000);
  await all({ cmd: 'reset' });
  const before = await server();
  const load0 = os.loadavg()[0];
  log(`${name}: ${SECONDS} s of ${RATE} order updates/s`);
  const profiling = profiler && server === exporterStats;
  if (profiling) await profiler.start();
  const gen = await generate(postUrl, headers, `p${results.length}-`);
  await sleep(500); // let the last batch arrive
  if (profiling) await profiler.stop(path.join(PROFILE_DIR, `phase-${results.length + 1}.cpuprofile`));
  const reports = await all({ cmd: 'report' });
  const after = await server();
  const hist = new Array(reports[0].stats.hist.length).fill(0);
  let frames = 0,
    bytes = 0,
    probeRows = 0,
    gaps = 0,
    catchUps = 0,
    resyncs = 0;
  const closed = {};
  for (const r of reports) {
    r.stats.hist.forEach((v, i) => (hist[i] += v));
    frames += r.stats.frames;
    bytes += r.stats.bytes;
    probeRows += r.stats.probeRows;
    gaps += r.stats.gaps;
    catchUps += r.stats.catchUps;
    resyncs += r.stats.resyncs;
    for (const [code, count] of Object.entries(r.stats.closed)) closed[code] = (closed[code] ?? 0) + count;
  }
  const probes = Math.min(PROBES, CLIENTS);
  return {
    name,
    posted_per_s: Math.round(gen.rate),
    post_failures: gen.failed,
    p50_ms: percentileOf(hist, 0.5),
    p99_ms: percentileOf(hist, 0.99),
    max_ms: percentileOf(hist, 1),
    frames_per_s: Math.round(frames / gen.seconds),
    mb_per_s: +(bytes / gen.seconds / 1e6).toFixed(1),
    rows_per_client_s: Math.round(probeRows / probes / gen.seconds),
    delivered_ratio_of_posted: +(probeRows / probes / gen.posted).toFixed(3),
    probe_gaps: gaps,
    probe_catch_ups: catchUps,
    probe_resyncs: resyncs,
    closed,
    server_cpu_s: +(after.cpuSeconds - before.cpuSeconds).toFixed(1),
    server_rss_mb: +(after.rss / 1e6).toFixed(1),
    load1_before: +load0.toFixed(2),
    load1_after: +os.loadavg()[0].toFixed(2),
  };
}

const results = [];
log(
  `machine: ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; clients ${CLIENTS}, batch ${BATCH_MS} ms`,
);

// 1. raw baseline
await all((i) => ({
  cmd: 'connect',
  url: `ws://127.0.0.1:${rawPort}/`,
  protocols: [],
  subscribe: false,
  count: CLIENTS / WORKERS,
  probes: PROBES / WORKERS,
}));
log(`raw: ${CLIENTS} clients connected`);
results.push(await phase('raw ws broadcast', `http://127.0.0.1:${rawPort}/events`, {}, rawStats));
await all({ cmd: 'closeAll' });

// 2. the feed
await sleep(1000);
const memBefore = await exporterStats();
const protocols = ['tradewatch.v1', `tradewatch.token.${viewer}`];
await all({
  cmd: 'connect',
  url: `ws://127.0.0.1:${port}/feed`,
  protocols,
  subscribe: true,
  count: CLIENTS / WORKERS,
  probes: PROBES / WORKERS,
});
await sleep(3000);
const memConnected = await exporterStats();
log(`feed: ${memConnected.clients} clients connected`);
const feed = await phase(
  'tradewatch /feed',
  `${base}/api/v1/events`,
  { authorization: `Bearer ${ingest}` },
  exporterStats,
);
results.push(feed);
const memLoaded = await exporterStats();

// 3. the feed with stalled clients among them
await ask(workers[0], {
  cmd: 'connect',
  url: `ws://127.0.0.1:${port}/feed`,
  protocols,
  subscribe: true,
  count: STALLED,
  probes: 0,
  stalled: true,
});
log(`feed: ${STALLED} stalled clients added`);
results.push(
  await phase(
    `/feed + ${STALLED} stalled`,
    `${base}/api/v1/events`,
    { authorization: `Bearer ${ingest}` },
    exporterStats,
  ),
);

const memLoadedStalled = await exporterStats();

// 4. the feed again, the stalled clients gone: a control for what changed between phases 2
// and 3 besides them (the state, the machine's load).
if (CONTROL) {
  await ask(workers[0], { cmd: 'closeStalled' });
  log('feed: stalled clients closed');
  results.push(
    await phase(
      '/feed again (control)',
      `${base}/api/v1/events`,
      { authorization: `Bearer ${ingest}` },
      exporterStats,
    ),
  );
}
await all({ cmd: 'closeAll' });
await sleep(5000);
const memAfterClose = await exporterStats();
log(`feed: clients closed (${memAfterClose.clients} left)`);

const rawR = results[0];
const perConn = (a, b, k) => Math.round((b[k] - a[k]) / CLIENTS);
const summary = {
  machine: { cores: os.cpus().length, load: os.loadavg().map((l) => +l.toFixed(2)) },
  settings: { CLIENTS, RATE, SECONDS, BATCH_MS, STALLED, PROBES, CONTROL },
  phases: results,
  memory_per_connection_bytes: {
    rss_idle: perConn(memBefore, memConnected, 'rss'),
    heap_idle: perConn(memBefore, memConnected, 'heapUsed'),
    // The same state with and without the clients, right after the load.
    rss_after_load: perConn(memAfterClose, memLoaded, 'rss'),
    heap_after_load: perConn(memAfterClose, memLoaded, 'heapUsed'),
    rss_after_stalled_load: perConn(memAfterClose, memLoadedStalled, 'rss'),
    raw: { bytes: memLoaded, afterClose: memAfterClose, before: memBefore, connected: memConnected },
  },
  ratios: {
    feed_delivery_vs_raw: +(feed.rows_per_client_s / rawR.rows_per_client_s).toFixed(3),
    feed_p99_vs_raw_p99: +(feed.p99_ms / rawR.p99_ms).toFixed(2),
    stalled_p99_vs_feed_p99: +(results[2].p99_ms / feed.p99_ms).toFixed(2),
    ...(CONTROL
      ? {
          stalled_p99_vs_both_feed_p99: +(
            results[2].p99_ms /
            ((feed.p99_ms + results[3].p99_ms) / 2)
          ).toFixed(2),
        }
      : {}),
  },
  goals: {
    'p99 < 100 ms': feed.p99_ms < 100,
    'delivery ≥ 0.8 × raw': feed.rows_per_client_s / rawR.rows_per_client_s >= 0.8,
    'memory < 50 KB/connection':
      Math.max(perConn(memBefore, memConnected, 'rss'), perConn(memAfterClose, memLoaded, 'rss')) < 50_000,
    'stalled: p99 within 1.2 ×': results[2].p99_ms <= feed.p99_ms * 1.2,
  },
};
console.log(JSON.stringify(summary, null, 2));
process.exit(0);
