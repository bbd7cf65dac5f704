/**
 * bench/ingest/journal-record: the CPU cost of an ingested 1,000-event batch in-process
 * (Ingestor + Store + DurableJournal, fsync never), with the record written from the text
 * sent (format 2) against the validated events stringified (format 1), alternating rounds
 * in the same process so the machine's load falls on both alike. CPU time, not wall time:
 * on a shared machine a rate measures the neighbours.
 * Run: npx tsx bench/ingest/journal-record.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Ingestor, type Journal } from '../../exporter/src/ingest/ingestor';
import { DurableJournal, type JournalBatch } from '../../exporter/src/storage/journal';
import { Store } from '../../exporter/src/state/store';
import { orderFillBatch } from './workload';

const BATCH = 1000;
const BATCHES_PER_ROUND = Number(process.env.BENCH_BATCHES ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);

/** The same journal, handed no text sent: every record is format 1 (the stringified events). */
function formatOne(journal: DurableJournal): Journal {
  return {
    appendAll: (batches: readonly JournalBatch[]) => journal.appendAll(batches.map(({ sent: _, ...b }) => b)),
  };
}

async function round(sent: boolean, first: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-bench-record-'));
  try {
    const store = new Store({
      valuationCurrency: 'USD',
      equity: { periodMs: 3_600_000, retainMs: 86_400_000 },
    });
    const log = pino({ level: 'silent' });
    const journal = await DurableJournal.open(store, {
      dir,
      fsync: 'never',
      snapshotEvery: 1e9,
      log,
      version: 'bench',
      lastSeen: new Map(),
    });
    const ingestor = new Ingestor(store, log, sent ? journal : formatOne(journal));
    const bodies = Array.from({ length: BATCHES_PER_ROUND }, (_, b) =>
      JSON.stringify(orderFillBatch(first + b, BATCH)),
    );
    const cpu = process.cpuUsage();
    for (const text of bodies) {
      const r = await ingestor.ingest({ text, ndjson: false }, 'bench');
      if (!r.ok) throw new Error(r.error);
    }
    const used = process.cpuUsage(cpu);
    await journal.close();
    return (used.user + used.system) / (BATCHES_PER_ROUND * BATCH); // µs of CPU per event
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const one: number[] = [];
  const two: number[] = [];
  await round(true, 1_000_000); // warm-up (JIT)
  await round(false, 2_000_000);
  for (let r = 0; r < ROUNDS; r++) {
    const base = r * BATCHES_PER_ROUND * 2;
    if (r % 2 === 0) {
      one.push(await round(false, base));
      two.push(await round(true, base + BATCHES_PER_ROUND));
    } else {
      two.push(await round(true, base));
      one.push(await round(false, base + BATCHES_PER_ROUND));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    JSON.stringify(
      {
        cpu_us_per_event_format_1: +median(one).toFixed(2),
        cpu_us_per_event_format_2: +median(two).toFixed(2),
        ratio_2_to_1: +(median(two) / median(one)).toFixed(3),
        rounds: { format_1: one.map((x) => +x.toFixed(2)), format_2: two.map((x) => +x.toFixed(2)) },
        load1: loadavg()[0].toFixed(2),
      },
      null,
      2,
    ),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
