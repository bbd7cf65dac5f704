/**
 * Durable state under TRADEWATCH_DATA_DIR/journal: a write-ahead journal of ingested
 * batches, periodic snapshots of the whole Store, and recovery on start.
 *
 * - Every batch is one record (`records.ts`), written before the batch is applied and
 *   acknowledged. TRADEWATCH_JOURNAL_FSYNC: `batch` (default) fdatasync()s once per
 *   batch, `always` fsync()s (data and metadata) once per batch, `never` leaves flushing
 *   to the kernel. All three survive `kill -9` (the write has reached the kernel before
 *   the 2xx); `batch` and `always` also survive a power loss or kernel crash.
 * - Every TRADEWATCH_SNAPSHOT_EVERY journaled events (and at a clean stop) the Store is
 *   written to a snapshot file; the journal then starts a new segment, and segments and
 *   snapshots older than the previous snapshot are deleted. Disk use is bounded by two
 *   snapshots plus about two snapshot intervals of journal.
 * - On start: the newest readable snapshot, then the journal records after it. A record
 *   cut short at the end of a segment (a crash in mid-write) is cut off and logged;
 *   a damaged record in the middle is skipped and logged; neither stops the start.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, rename, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { eventTimesInBounds } from '../events/bounds';
import type { TradingEvent } from '../events/schema';
import type { Journal } from '../ingest/ingestor';
import { breather } from '../ingest/turns';
import { exportStore, exportStoreAsync, importStore, type StoreSnapshot } from '../state/snapshot';
import type { Store } from '../state/store';
import { Distribution } from '../state/tallies';
import { crc32 } from 'node:zlib';
import {
  frame,
  jsonPieces,
  scanAll,
  scanLines,
  unfinished,
  type BadRecord,
  type GoodRecord,
} from './records';

export type FsyncPolicy = 'always' | 'batch' | 'never';

export interface DurabilityOptions {
  /** The journal directory (TRADEWATCH_DATA_DIR/journal). */
  dir: string;
  fsync: FsyncPolicy;
  /** Journaled events between snapshots. */
  snapshotEvery: number;
  log: Logger;
  version: string;
  /** Wall-clock time each engine was last heard from (kept across restarts). */
  lastSeen: Map<string, number>;
  /**
   * Asked before each snapshot: true when every consumer of the state's changes (the trade
   * history) has what the state emitted so far. False puts the snapshot off, so the journal
   * keeps the records whose rows a consumer still lacks, and a restart emits them again.
   */
  beforeSnapshot?: () => Promise<boolean>;
}

export interface RecoveryReport {
  /** Sequence number of the snapshot restored, or null when none was. */
  snapshotSeq: number | null;
  /** Journal records and events applied after the snapshot. */
  records: number;
  events: number;
  /** Bytes cut off the end of a segment (a record whose write never finished). */
  tornBytes: number;
  /** Damaged records skipped in the middle of a segment. */
  corruptRecords: number;
  /** Records missing between the snapshot and the journal, or inside it. */
  missingRecords: number;
  /** Journaled events left out because a time is out of bounds (docs/architecture.md, "Bounds"). */
  refusedEvents: number;
  seconds: number;
}

/** One batch handed to the journal: its events and its wall-clock receipt (epoch ms). */
export interface JournalBatch {
  events: readonly TradingEvent[];
  receivedAt: number;
}

/** One journal record as written: sequence number, wall-clock receipt time, events. */
interface JournalRecord {
  s: number;
  t: number;
  e: readonly TradingEvent[];
}

interface SnapshotFile {
  format: 1;
  seq: number;
  at: number;
  version: string;
  lastSeen: Record<string, number>;
  store: StoreSnapshot;
}

const SEGMENT = /^segment-(\d{16})\.log$/;
const SNAPSHOT = /^snapshot-(\d{16})\.json$/;
const KEPT_SNAPSHOTS = 2;
const READ_CHUNK = 8 * 1024 * 1024;
export const SYNC_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

const pad = (n: number) => String(n).padStart(16, '0');
const segmentName = (start: number) => `segment-${pad(start)}.log`;
const snapshotName = (seq: number) => `snapshot-${pad(seq)}.json`;

function listByNumber(dir: string, pattern: RegExp): { n: number; file: string }[] {
  return readdirSync(dir)
    .map((name) => ({ m: pattern.exec(name), name }))
    .filter((x): x is { m: RegExpExecArray; name: string } => x.m !== null)
    .map((x) => ({ n: Number(x.m[1]), file: path.join(dir, x.name) }))
    .sort((a, b) => a.n - b.n);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class DurableJournal implements Journal {
  /** Figures for the durability collector. */
  readonly stats = {
    syncSeconds: new Distribution(SYNC_BUCKETS),
    snapshots: { ok: 0, failed: 0 },
    lastSnapshotAt: null as number | null,
    lastSnapshotBytes: 0,
    journalBytes: 0,
    /** Writes (each one sync) and the records they carried: records / groups is the grouping. */
    groups: 0,
    records: 0,
    recovery: null as RecoveryReport | null,
  };
  private handle: FileHandle | null = null;
  private segmentBytes = 0;
  private nextSeq: number;
  private eventsSinceSnapshot = 0;
  private lastSnapshotSeq: number;
  private broken: Error | null = null;
  private closed = false;
  /** Serializes appends, snapshots and close. */
  private lock: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: Store,
    private readonly options: DurabilityOptions,
    lastSeq: number,
    snapshotSeq: number,
  ) {
    this.nextSeq = lastSeq + 1;
    this.lastSnapshotSeq = snapshotSeq;
  }

  /**
   * Restores `store` from the data dir and opens the journal for appending. Call before
   * anything is ingested; never throws for damaged files (it logs and goes on).
   */
  static async open(store: Store, options: DurabilityOptions): Promise<DurableJournal> {
    const started = process.hrtime.bigint();
    mkdirSync(options.dir, { recursive: true });
    for (const name of readdirSync(options.dir))
      if (name.endsWith('.tmp')) rmSync(path.join(options.dir, name), { force: true });

    const report: RecoveryReport = {
      snapshotSeq: null,
      records: 0,
      events: 0,
      tornBytes: 0,
      corruptRecords: 0,
      missingRecords: 0,
      refusedEvents: 0,
      seconds: 0,
    };
    let lastSeq = 0;
    for (const snap of listByNumber(options.dir, SNAPSHOT).reverse()) {
      try {
        const restored = await readSnapshot(snap.file);
        importStore(store, restored.store);
        options.lastSeen.clear();
        for (const [engine, at] of Object.entries(restored.lastSeen)) options.lastSeen.set(engine, at);
        lastSeq = restored.seq;
        report.snapshotSeq = restored.seq;
        break;
      } catch (err) {
        options.log.error(
          { file: snap.file, err: (err as Error).message },
          'journal: cannot read a snapshot; trying an older one',
        );
      }
    }

    const segments = listByNumber(options.dir, SEGMENT);
    for (let i = 0; i < segments.length; i++) {
      // A segment whose records the snapshot covers entirely is not even read.
      const next = segments[i + 1];
      if (next && next.n - 1 <= lastSeq) continue;
      const applied = await replaySegment(segments[i].file, lastSeq, store, options, report);
      lastSeq = Math.max(lastSeq, applied);
    }
    if (report.snapshotSeq === null && segments.length > 0 && segments[0].n > 1) {
      report.missingRecords += segments[0].n - 1;
      options.log.error(
        { first: segments[0].n },
        'journal: no readable snapshot covers the records before the oldest segment; state before it is missing',
      );
    }

    const journal = new DurableJournal(store, options, lastSeq, report.snapshotSeq ?? 0);
    await journal.openSegment();
    journal.eventsSinceSnapshot = report.events;
    report.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    journal.stats.recovery = report;
    journal.stats.journalBytes = await journal.measureJournal();
    options.log.info({ ...report, dir: options.dir, fsync: options.fsync }, 'journal: state restored');
    // A long replay is made short for the next start.
    if (report.events >= options.snapshotEvery) await journal.snapshot();
    return journal;
  }

  /** `receivedAt`: the batch's wall-clock receipt (epoch ms), kept as the record's `t` and given back on replay. */
  append(events: readonly TradingEvent[], receivedAt = Date.now()): Promise<void> {
    return this.appendAll([{ events, receivedAt }]);
  }

  /**
   * Group commit: each batch becomes its own record (its own sequence number, in order), and
   * all of them reach the disk by one write and one sync. The promise settles when every
   * record is durable; if the write or the sync fails, none of them counts (a partial write
   * is taken back) and all are refused together: the caller applies none of them.
   */
  appendAll(batches: readonly JournalBatch[]): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) throw new Error('the journal is closed');
      if (this.broken)
        throw new Error(
          `the journal cannot be written (${this.broken.message}); events are not accepted until the exporter restarts`,
        );
      if (batches.length === 0) return;
      // Between batches (the ingest service applies a group only after this append), so the
      // state holds still while the snapshot is written in slices and the event loop turns.
      if (this.eventsSinceSnapshot >= this.options.snapshotEvery) await this.takeSnapshot(true);
      const handle = this.handle ?? (await this.reopen());
      const pause = breather();
      const frames: Buffer[] = [];
      for (const [i, b] of batches.entries())
        frames.push(frame(await recordText({ s: this.nextSeq + i, t: b.receivedAt, e: b.events }, pause)));
      const bytes = frames.length === 1 ? frames[0] : Buffer.concat(frames);
      try {
        let written = 0;
        while (written < bytes.length)
          written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
        const syncStart = process.hrtime.bigint();
        if (this.options.fsync === 'batch') await handle.datasync();
        else if (this.options.fsync === 'always') await handle.sync();
        if (this.options.fsync !== 'never')
          this.stats.syncSeconds.observe(Number(process.hrtime.bigint() - syncStart) / 1e9);
      } catch (err) {
        // Take back a partial write, so the journal never holds a record that was not acknowledged.
        try {
          await handle.truncate(this.segmentBytes);
        } catch {
          this.broken = err as Error;
        }
        throw new Error(`journal write failed: ${(err as Error).message}`, { cause: err });
      }
      this.segmentBytes += bytes.length;
      this.stats.journalBytes += bytes.length;
      this.stats.groups += 1;
      this.stats.records += batches.length;
      this.nextSeq += batches.length;
      for (const b of batches) this.eventsSinceSnapshot += b.events.length;
    });
  }

  /** Writes a snapshot now (between batches) and compacts the journal. */
  snapshot(): Promise<void> {
    return this.exclusive(() => this.takeSnapshot());
  }

  /** A final snapshot (so the next start is fast), then the segment is closed. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      // Let the batch whose append just finished be applied before the final snapshot.
      await new Promise((resolve) => setImmediate(resolve));
      if (!this.broken) await this.takeSnapshot();
      this.closed = true;
      await this.handle?.close();
      this.handle = null;
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  /** After a failed segment switch: try again, or say clearly why nothing can be journaled. */
  private async reopen(): Promise<FileHandle> {
    try {
      await this.openSegment();
    } catch (err) {
      throw new Error(
        `cannot open a journal segment in ${this.options.dir} (${(err as Error).message}); events are refused until it can be written`,
        { cause: err },
      );
    }
    return this.handle as FileHandle;
  }

  private async openSegment(): Promise<void> {
    const file = path.join(this.options.dir, segmentName(this.nextSeq));
    this.handle = await open(file, 'a');
    this.segmentBytes = (await this.handle.stat()).size;
    if (this.options.fsync !== 'never') await syncDir(this.options.dir);
  }

  /**
   * `sliced`: encode and write a slice at a time, letting the event loop run in between
   * (only where the state cannot change meanwhile: inside an append). Otherwise in one go.
   */
  private async takeSnapshot(sliced = false): Promise<void> {
    const seq = this.nextSeq - 1;
    if (seq === this.lastSnapshotSeq) {
      this.eventsSinceSnapshot = 0;
      return;
    }
    if (this.options.beforeSnapshot && !(await this.options.beforeSnapshot())) {
      this.eventsSinceSnapshot = 0;
      this.options.log.warn(
        { seq },
        'journal: snapshot put off until the history store has caught up (the journal keeps the records it lacks)',
      );
      return;
    }
    const started = Date.now();
    try {
      const pause = sliced ? breather() : async () => undefined;
      const file: SnapshotFile = {
        format: 1,
        seq,
        at: started,
        version: this.options.version,
        lastSeen: Object.fromEntries(this.options.lastSeen),
        store: sliced ? await exportStoreAsync(this.store, pause) : exportStore(this.store),
      };
      // The journal moves to a new segment first, so older segments hold only records
      // the snapshot covers and can be deleted whole.
      // Never keep a closed handle: if the new segment cannot be opened, the next append retries.
      const old = this.handle;
      this.handle = null;
      await old?.close();
      await this.openSegment();
      const target = path.join(this.options.dir, snapshotName(seq));
      const tmp = `${target}.tmp`;
      const handle = await open(tmp, 'w');
      let bytes: number;
      try {
        bytes = await writeFramed(handle, file, pause);
        if (this.options.fsync !== 'never') await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, target);
      if (this.options.fsync !== 'never') await syncDir(this.options.dir);
      this.lastSnapshotSeq = seq;
      this.stats.snapshots.ok += 1;
      this.stats.lastSnapshotAt = Date.now();
      this.stats.lastSnapshotBytes = bytes;
      await this.compact();
      this.options.log.info({ seq, bytes, ms: Date.now() - started }, 'journal: snapshot written');
    } catch (err) {
      // The journal still holds everything; only compaction waits for the next try.
      this.stats.snapshots.failed += 1;
      this.options.log.error(
        { err: (err as Error).message, seq },
        'journal: snapshot failed; the journal keeps growing until one succeeds',
      );
      if (!this.handle) await this.openSegment().catch(() => undefined);
    } finally {
      this.eventsSinceSnapshot = 0;
    }
  }

  /** Deletes what the second newest snapshot covers (the newest one has a fallback). */
  private async compact(): Promise<void> {
    const snapshots = listByNumber(this.options.dir, SNAPSHOT);
    if (snapshots.length < KEPT_SNAPSHOTS) return;
    const oldestKept = snapshots[snapshots.length - KEPT_SNAPSHOTS].n;
    for (const s of snapshots) if (s.n < oldestKept) await unlink(s.file);
    const segments = listByNumber(this.options.dir, SEGMENT);
    for (let i = 0; i + 1 < segments.length; i++) {
      // Segment i holds records [start_i, start_{i+1}); deletable when all are ≤ oldestKept.
      if (segments[i + 1].n <= oldestKept + 1) await unlink(segments[i].file);
    }
    this.stats.journalBytes = await this.measureJournal();
  }

  private async measureJournal(): Promise<number> {
    let total = 0;
    for (const s of listByNumber(this.options.dir, SEGMENT)) total += (await stat(s.file)).size;
    return total;
  }
}

/** Events in a record from which its text is made in pieces, the event loop turning between. */
const PIECED_RECORD_EVENTS = 4096;

/** A record's JSON text; a large batch's a piece at a time (the same text: records.ts). */
async function recordText(record: JournalRecord, pause: () => Promise<void>): Promise<string> {
  if (record.e.length < PIECED_RECORD_EVENTS) return JSON.stringify(record);
  let text = '';
  for (const piece of jsonPieces(record)) {
    text += piece;
    await pause();
  }
  return text;
}

/**
 * Writes one framed record (records.ts: `<crc32> <json>\n`) a slice at a time: the JSON is
 * streamed and its checksum, known only at the end, is written over a placeholder.
 */
async function writeFramed(handle: FileHandle, value: unknown, pause: () => Promise<void>): Promise<number> {
  const placeholder = Buffer.from('00000000 ', 'latin1');
  await handle.write(placeholder, 0, placeholder.length, 0);
  let position = placeholder.length;
  let crc = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async () => {
    const chunk = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingLength = 0;
    crc = crc32(chunk, crc);
    await handle.write(chunk, 0, chunk.length, position);
    position += chunk.length;
  };
  for (const piece of jsonPieces(value)) {
    pending.push(piece);
    pendingLength += piece.length;
    if (pendingLength >= 1 << 20) await flush();
    await pause();
  }
  await flush();
  await handle.write(Buffer.from('\n', 'latin1'), 0, 1, position);
  const head = Buffer.from(crc.toString(16).padStart(8, '0'), 'latin1');
  await handle.write(head, 0, head.length, 0);
  return position + 1;
}

async function readSnapshot(file: string): Promise<SnapshotFile> {
  const handle = await open(file, 'r');
  let buf: Buffer;
  try {
    buf = await handle.readFile();
  } finally {
    await handle.close();
  }
  const lines = scanAll(buf);
  const first = lines[0];
  if (lines.length !== 1 || first.kind !== 'record') {
    throw new Error(first?.kind === 'bad' ? first.reason : 'the file is empty');
  }
  const parsed = JSON.parse(first.json) as SnapshotFile;
  if (parsed.format !== 1 || !Number.isInteger(parsed.seq)) throw new Error('not a tradewatch snapshot');
  return parsed;
}

/** Applies a segment's records after `afterSeq`; returns the last sequence number seen. */
async function replaySegment(
  file: string,
  afterSeq: number,
  store: Store,
  options: DurabilityOptions,
  report: RecoveryReport,
): Promise<number> {
  const handle = await open(file, 'r');
  let lastSeq = afterSeq;
  let goodEnd = 0;
  const pendingBad: BadRecord[] = [];
  const apply = (item: GoodRecord | BadRecord) => {
    if (item.kind === 'bad') {
      pendingBad.push(item);
      return;
    }
    let record: JournalRecord;
    try {
      record = JSON.parse(item.json) as JournalRecord;
      if (!Number.isInteger(record.s) || !Array.isArray(record.e)) throw new Error('not a journal record');
    } catch (err) {
      pendingBad.push({ kind: 'bad', offset: item.offset, end: item.end, reason: (err as Error).message });
      return;
    }
    // A bad record followed by a good one is damage in the middle, not a torn tail.
    for (const bad of pendingBad.splice(0)) {
      report.corruptRecords += 1;
      options.log.error(
        { file, offset: bad.offset, bytes: bad.end - bad.offset, reason: bad.reason },
        'journal: skipped a damaged record',
      );
    }
    goodEnd = item.end;
    if (record.s <= lastSeq) return;
    if (record.s > lastSeq + 1 && lastSeq > 0) {
      report.missingRecords += record.s - lastSeq - 1;
      options.log.error({ file, from: lastSeq + 1, to: record.s - 1 }, 'journal: records are missing');
    }
    lastSeq = record.s;
    // A journal written before time fields were bounded may hold a poison time (epoch ns):
    // it is left out, never applied, so it cannot crash-loop the exporter.
    const events = record.e.filter((e) => eventTimesInBounds(e));
    if (events.length < record.e.length) {
      report.refusedEvents += record.e.length - events.length;
      options.log.error(
        { file, seq: record.s, events: record.e.length - events.length },
        'journal: left out events whose time is out of bounds (journaled before the bounds existed)',
      );
    }
    try {
      // The receipt time of the live run, so wall-clock state (a mark's arrival) restores as it was.
      store.apply(events, record.t);
    } catch (err) {
      options.log.error(
        { file, seq: record.s, err: (err as Error).message },
        'journal: a record could not be applied',
      );
    }
    for (const event of record.e) {
      const seen = options.lastSeen.get(event.engine);
      if (seen === undefined || record.t > seen) options.lastSeen.set(event.engine, record.t);
    }
    report.records += 1;
    report.events += record.e.length;
  };

  try {
    let offset = 0;
    let rest: Buffer = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, offset);
      if (bytesRead === 0) break;
      const data =
        rest.length > 0 ? Buffer.concat([rest, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const items: (GoodRecord | BadRecord)[] = [];
      // Copy what is left over: `chunk` is reused for the next read.
      rest = Buffer.from(scanLines(data, offset - rest.length, items));
      offset += bytesRead;
      for (const item of items) apply(item);
    }
    const tail = unfinished(rest, offset - rest.length);
    if (tail) pendingBad.push(tail);
  } finally {
    await handle.close();
  }

  if (pendingBad.length > 0) {
    const size = (await stat(file)).size;
    report.tornBytes += size - goodEnd;
    options.log.warn(
      { file, offset: goodEnd, bytes: size - goodEnd, reason: pendingBad.map((b) => b.reason).join('; ') },
      'journal: cut off a torn record at the end of a segment (a write that never finished before a crash)',
    );
    await truncate(file, goodEnd);
  }
  return lastSeq;
}
