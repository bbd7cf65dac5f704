/**
 * bench/ingest (durable): what the journal costs, and how long recovery takes.
 *
 * 1. Durable ingest: events/s through POST /api/v1/events of the real exporter with the
 *    journal on (each fsync policy) against the same exporter with the journal off, the
 *    same batches, in one run; at 1000 events a batch (bulk) and 10 (a chatty engine,
 *    where the per-batch flush dominates).
 * 2. Recovery: 1,000,000 events journaled in process (batches of 1000), then the time to
 *    restore a fresh Store from the journal alone (a crash with no snapshot since) and
 *    from a snapshot, against applying the same events straight to a Store (the raw
 *    baseline of the same work without the disk); and the time to write that snapshot (in
 *    slices, the event loop turning between them) against encoding and JSON.stringifying
 *    the same state in one go.
 *
 * Run: npm run build -w exporter && npx tsx bench/ingest/durable.bench.ts
 * (BENCH_RECOVERY_EVENTS=200000 for a shorter recovery part; BENCH_PART=ingest|recovery for one part.)
 */
import { mkdtempSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { postEvents, startExporter } from '../../tests/support/exporter';
import { orderFillBatch } from './workload';
import { validateBatch } from '../../exporter/dist/events/validate';
import type { TradingEvent } from '../../exporter/dist/events/schema';
import { Store } from '../../exporter/dist/state/store';
import { DurableJournal } from '../../exporter/dist/storage/journal';
import { exportStore } from '../../exporter/dist/state/snapshot';

const SYMBOLS = 50;
const RECOVERY_EVENTS = Number(process.env.BENCH_RECOVERY_EVENTS ?? 1_000_000);
/** all, ingest or recovery. */
const PART = process.env.BENCH_PART ?? 'all';

const makeBatch = (b: number, size: number) =>
  orderFillBatch(b, size, { symbols: SYMBOLS, strategies: ['alpha', 'beta', 'beta'], stepMs: 10 });

async function ingestRate(env: Record<string, string>, batchSize: number, batches: number): Promise<number> {
  const ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_LOG_LEVEL: 'warn',
      TRADEWATCH_INGEST_RATE_LIMIT: '1000000000',
      ...env,
    },
  });
  try {
    const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify(makeBatch(b, batchSize)));
    await postEvents(ex, makeBatch(batches + 1, batchSize)); // warm-up
    const t = performance.now();
    for (const body of bodies) {
      const r = await postEvents(ex, body);
      if (r.status !== 200) throw new Error(`ingest answered ${r.status}`);
    }
    return (batches * batchSize) / ((performance.now() - t) / 1000);
  } finally {
    await ex.stop();
  }
}

function validated(b: number): TradingEvent[] {
  const r = validateBatch(makeBatch(b, 1000));
  if (!r.ok) throw new Error('invalid bench batch');
  return r.events;
}

async function recovery(): Promise<Record<string, unknown>> {
  const options = { valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 30 * 86_400_000 } };
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-bench-recovery-'));
  const log = pino({ level: 'silent' });
  const batches = Math.ceil(RECOVERY_EVENTS / 1000);
  try {
    // Raw baseline: the same events applied straight to a Store (validated beforehand, as the journal holds them).
    let applyMs = 0;
    {
      const raw = new Store(options);
      for (let b = 0; b < batches; b++) {
        const events = validated(b);
        const t = performance.now();
        raw.apply(events);
        applyMs += performance.now() - t;
      }
    }

    // Journal them (no snapshot: as after a crash long after the last one).
    const open = (store: Store) =>
      DurableJournal.open(store, {
        dir,
        fsync: 'never',
        snapshotEvery: 1e9,
        log,
        version: 'bench',
        lastSeen: new Map(),
      });
    {
      const live = new Store(options);
      const journal = await open(live);
      for (let b = 0; b < batches; b++) {
        const events = validated(b);
        await journal.append(events);
        live.apply(events);
      }
    }
    const journalBytes = readdirSync(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);

    let t = performance.now();
    const restored = new Store(options);
    const fromJournal = await open(restored);
    const journalMs = performance.now() - t;
    const replayed = fromJournal.stats.recovery?.events;

    // A snapshot of that state, then a start from it.
    t = performance.now();
    await fromJournal.snapshot();
    const snapshotWriteMs = performance.now() - t;
    // Its raw baseline: the same state encoded and JSON.stringified in one go, written to a file.
    t = performance.now();
    writeFileSync(path.join(dir, 'baseline.json'), JSON.stringify(exportStore(restored)));
    const stringifyMs = performance.now() - t;
    rmSync(path.join(dir, 'baseline.json'));
    t = performance.now();
    const fromSnapshot = await open(new Store(options));
    const snapshotMs = performance.now() - t;
    const snapshotBytes = readdirSync(dir)
      .filter((f) => f.startsWith('snapshot-'))
      .reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    return {
      events: batches * 1000,
      journal_mb: +(journalBytes / 1e6).toFixed(1),
      recover_from_journal_s: +(journalMs / 1000).toFixed(2),
      replayed_events: replayed,
      raw_apply_s: +(applyMs / 1000).toFixed(2),
      ratio_journal_vs_raw_apply: +(journalMs / applyMs).toFixed(2),
      snapshot_write_s: +(snapshotWriteMs / 1000).toFixed(2),
      snapshot_one_go_stringify_s: +(stringifyMs / 1000).toFixed(2),
      ratio_snapshot_vs_one_go: +(snapshotWriteMs / stringifyMs).toFixed(2),
      snapshot_mb: +(snapshotBytes / 1e6).toFixed(1),
      recover_from_snapshot_s: +(snapshotMs / 1000).toFixed(2),
      replayed_after_snapshot: fromSnapshot.stats.recovery?.events,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const load = [loadavg()[0].toFixed(2)];
  const bulk = { batch: 1000, batches: 40 };
  const chatty = { batch: 10, batches: 400 };
  const ingest: Record<string, unknown> = {};
  for (const { batch, batches } of PART === 'recovery' ? [] : [bulk, chatty]) {
    const off = await ingestRate({ TRADEWATCH_JOURNAL: 'false' }, batch, batches);
    const row: Record<string, number> = { journal_off_events_per_s: Math.round(off) };
    for (const fsync of ['never', 'batch', 'always']) {
      const on = await ingestRate({ TRADEWATCH_JOURNAL_FSYNC: fsync }, batch, batches);
      row[`fsync_${fsync}_events_per_s`] = Math.round(on);
      row[`fsync_${fsync}_ratio`] = +(on / off).toFixed(3);
    }
    ingest[`batch_${batch}`] = { events: batch * batches, ...row };
  }
  load.push(loadavg()[0].toFixed(2));
  const rec = PART === 'ingest' ? null : await recovery();
  load.push(loadavg()[0].toFixed(2));
  console.log(JSON.stringify({ durable_ingest: ingest, recovery: rec, load1: load }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
