// One measurement of bench/ingest/large-batch-gc.bench.ts, in a fresh process (a fresh heap):
// the built ingest service of the dist named in argv[2] (Store + DurableJournal, fsync never,
// no HTTP) ingests the JSON body in the file argv[3]; prints one JSON line of its GC pauses.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const [dist, bodyFile] = process.argv.slice(2);
const require = createRequire(path.join(dist, 'x.js'));
const pino = require('pino');
const { Store } = require(path.join(dist, 'state/store.js'));
const { DurableJournal } = require(path.join(dist, 'storage/journal.js'));
const { Ingestor } = require(path.join(dist, 'ingest/ingestor.js'));

const text = readFileSync(bodyFile, 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'tw-bench-gc-'));
const log = pino({ level: 'silent' });
const store = new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 86_400_000 } });
const journal = await DurableJournal.open(store, {
  dir,
  fsync: 'never',
  snapshotEvery: 1_000_000,
  log,
  version: 'bench',
  lastSeen: new Map(),
});
const ingestor = new Ingestor(store, log, journal);

const pauses = { scavenges: [], others: [] };
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    // kind 1 is a scavenge (minor GC); 2, 4, 8 the others (perf_hooks constants).
    (e.detail?.kind === 1 ? pauses.scavenges : pauses.others).push(e.duration);
});
observer.observe({ entryTypes: ['gc'] });
const delay = monitorEventLoopDelay({ resolution: 2 });
delay.enable();
const started = performance.now();
const result = await ingestor.ingest({ text, ndjson: false }, 'bench');
const tookMs = performance.now() - started;
delay.disable();
// Let the observer hear the last entries.
await new Promise((resolve) => setImmediate(resolve));
observer.disconnect();
await journal.close();
rmSync(dir, { recursive: true, force: true });
if (!result.ok) throw new Error(`the batch was refused: ${result.error}`);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    applied: result.applied,
    tookMs,
    scavenges: pauses.scavenges.length,
    scavengeMs: sum(pauses.scavenges),
    longestScavengeMs: Math.max(0, ...pauses.scavenges),
    otherGcMs: sum(pauses.others),
    longestGcMs: Math.max(0, ...pauses.scavenges, ...pauses.others),
    longestDelayMs: delay.max / 1e6,
    heapMB: process.memoryUsage().heapUsed / 1e6,
  }),
);
