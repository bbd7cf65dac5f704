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
import { exportStore, exportStoreAsync, importStore } from '../state/snapshot';
import type { Store } from '../state/store';
import { Distribution } from '../state/common/counters';
import { crc32 } from 'node:zlib';
import {
  frame,
  frameInPieces,
  framePieces,
  jsonPieces,
  scanLines,
  unfinished,
  type BadRecord,
  type GoodRecord,
} from './records';
import {
  followRecords,
  listByNumber,
  parseRecord,
  readSnapshot,
  recordJson,
  SENT_RECORD_MAX_EVENTS,
  SEGMENT,
  segmentName,
  SNAPSHOT,
  snapshotName,
  type JournalRecord,
  type SnapshotFile,
} from './journal-files';

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
  /** A consumer of the state's changes that may fall behind the journal (the trade history). */
  follower?: JournalFollower;
}

/**
 * What the journal keeps for a consumer of the state's changes that may lag (the trade
 * history). Snapshots are taken on schedule whatever it lacks; the journal keeps, besides
 * the newest snapshots, the newest snapshot before the first record whose rows the follower
 * lacks and every record from there, so the follower can derive those rows again
 * (`replayFor`), and a restart tells it where it was.
 */
export interface JournalFollower {
  /** The record whose events are applied next (at start and live): its changes follow. */
  applying(seq: number): void;
  /** The lowest sequence number whose rows the follower may lack, or null when it lacks none. */
  needsFrom(): number | null;
  /**
   * `needsFrom` as a snapshot records it: the rows before it made durable first, where the
   * follower's store needs that (an SQLite WAL that NORMAL syncs only at checkpoints).
   */
  durableNeedsFrom?(): Promise<number | null>;
  /** At start: the snapshot restored says the follower lacked the rows from `seq` on. */
  lacksFrom(seq: number): void;
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
  /**
   * The same events as the client sent them, when at hand: a JSON array's text on one line,
   * in pieces (joined, their text), whose values validate to exactly `events`. Journaled as it is (record format 2), which
   * spares a JSON.stringify of the validated events. Asked for only when used.
   */
  sent?: () => readonly string[];
}

const KEPT_SNAPSHOTS = 2;
const READ_CHUNK = 8 * 1024 * 1024;
/** A group's frames up to this size are joined for one write; a larger one is written a frame or run at a time. */
const JOIN_MAX_BYTES = 1024 * 1024;
export const SYNC_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

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
        importStore(store, restored.store, (m) => options.log.warn({ file: snap.file }, m));
        options.lastSeen.clear();
        for (const [engine, at] of Object.entries(restored.lastSeen)) options.lastSeen.set(engine, at);
        lastSeq = restored.seq;
        report.snapshotSeq = restored.seq;
        if (restored.historyFrom !== undefined && restored.historyFrom <= restored.seq)
          options.follower?.lacksFrom(restored.historyFrom);
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
      for (const [i, b] of batches.entries()) frames.push(...(await recordFrame(this.nextSeq + i, b, pause)));
      let length = 0;
      for (const f of frames) length += f.length;
      // Small frames go in one write; a large record's runs one after another, never joined
      // into one fresh buffer (records.ts, frameInPieces). Still one sync for the group.
      const writes = length <= JOIN_MAX_BYTES && frames.length > 1 ? [Buffer.concat(frames, length)] : frames;
      try {
        for (const bytes of writes) {
          let written = 0;
          while (written < bytes.length)
            written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
        }
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
      this.segmentBytes += length;
      this.stats.journalBytes += length;
      this.stats.groups += 1;
      this.stats.records += batches.length;
      // The ingest service applies this group next, as one, before it journals another: the
      // follower counts its rows from the group's first record (a restart derives them from
      // there; the history writes a row once however often it is derived).
      this.options.follower?.applying(this.nextSeq);
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
    const started = Date.now();
    const follower = this.options.follower;
    const historyFrom =
      (follower?.durableNeedsFrom ? await follower.durableNeedsFrom() : follower?.needsFrom()) ?? null;
    try {
      const pause = sliced ? breather() : async () => undefined;
      const file: SnapshotFile = {
        format: 1,
        seq,
        at: started,
        version: this.options.version,
        lastSeen: Object.fromEntries(this.options.lastSeen),
        store: sliced ? await exportStoreAsync(this.store, pause) : exportStore(this.store),
        ...(historyFrom !== null && historyFrom <= seq ? { historyFrom } : {}),
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
      await this.compact(historyFrom);
      this.options.log.info(
        { seq, bytes, ms: Date.now() - started, historyFrom: historyFrom ?? undefined },
        'journal: snapshot written',
      );
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

  /**
   * Deletes what the second newest snapshot covers (the newest one has a fallback), but
   * for what the follower still needs: the newest snapshot before its first lacking record
   * (none: from the very first record) and every record after it.
   */
  private async compact(historyFrom: number | null): Promise<void> {
    const snapshots = listByNumber(this.options.dir, SNAPSHOT);
    if (snapshots.length < KEPT_SNAPSHOTS) return;
    let oldestKept = snapshots[snapshots.length - KEPT_SNAPSHOTS].n;
    // What the newest snapshot says the follower lacks (a restart from it catches up from there), or less.
    const now = this.options.follower?.needsFrom() ?? null;
    const needs = historyFrom === null ? now : now === null ? historyFrom : Math.min(now, historyFrom);
    if (needs !== null) {
      const base = snapshots.filter((s) => s.n < needs).pop();
      oldestKept = Math.min(oldestKept, base ? base.n : 0);
    }
    for (const s of snapshots) if (s.n < oldestKept) await unlink(s.file);
    const segments = listByNumber(this.options.dir, SEGMENT);
    for (let i = 0; i + 1 < segments.length; i++) {
      // Segment i holds records [start_i, start_{i+1}); deletable when all are ≤ oldestKept.
      if (segments[i + 1].n <= oldestKept + 1) await unlink(segments[i].file);
    }
    this.stats.journalBytes = await this.measureJournal();
  }

  /** The last record journaled (its batch is applied, or next to be). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /**
   * For a follower that lacks the rows of the records from `from` on: restores `into` (an
   * empty state) from the newest snapshot before `from` and applies every record after it,
   * up to the journal's end, calling `each` after each record (where the caller writes its
   * rows in slices) and `atEnd` synchronously when the end is reached (docs/durability.md).
   */
  async replayFor(
    from: number,
    into: Store,
    each: (seq: number) => Promise<void>,
    atEnd: (through: number) => void,
  ): Promise<void> {
    let base = 0;
    for (const snap of listByNumber(this.options.dir, SNAPSHOT).reverse()) {
      if (snap.n >= from) continue;
      try {
        importStore(into, (await readSnapshot(snap.file)).store, (m) =>
          this.options.log.warn({ file: snap.file }, m),
        );
        base = snap.n;
        break;
      } catch (err) {
        this.options.log.error(
          { file: snap.file, err: (err as Error).message },
          'journal: cannot read a snapshot for the history catch-up; trying an older one',
        );
      }
    }
    await followRecords(
      this.options.dir,
      base,
      () => this.lastSeq,
      async (record) => {
        into.apply(
          record.e.filter((e) => eventTimesInBounds(e)),
          record.t,
        );
        await each(record.s);
      },
      atEnd,
    );
  }

  private async measureJournal(): Promise<number> {
    let total = 0;
    for (const s of listByNumber(this.options.dir, SEGMENT)) total += (await stat(s.file)).size;
    return total;
  }
}

/**
 * A record, framed: the text sent when at hand (format 2), else the validated events
 * stringified (format 1); a large batch's a piece at a time (the same bytes: records.ts).
 */
function recordFrame(
  seq: number,
  batch: JournalBatch,
  pause: () => Promise<void>,
): Promise<Buffer[]> | Buffer[] {
  if (batch.events.length < SENT_RECORD_MAX_EVENTS) {
    if (!batch.sent) return [frame(recordJson(seq, batch.receivedAt, batch.events))];
    // recordJson's text, framed from its pieces (the body's text is not copied into a joined string).
    return [framePieces([recordJson(seq, batch.receivedAt, [], '').slice(0, -1), ...batch.sent(), '}'])];
  }
  if (batch.sent) return frameInPieces(sentPieces(seq, batch.receivedAt, batch.sent()), pause);
  return frameInPieces(jsonPieces({ s: seq, t: batch.receivedAt, e: batch.events }), pause);
}

/** `recordJson` of a text sent, in pieces: the body's pieces sliced, never joined or stringified again. */
function* sentPieces(
  seq: number,
  receivedAt: number,
  pieces: readonly string[],
  size = 64 * 1024,
): Generator<string> {
  const head = recordJson(seq, receivedAt, [], '');
  yield head.slice(0, -1); // `{"v":2,…,"sent":` and, after the text sent, its `}`
  for (const sent of pieces) for (let i = 0; i < sent.length; i += size) yield sent.slice(i, i + size);
  yield '}';
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
      const parsed = parseRecord(item.json);
      if (parsed === null) throw new Error('not a journal record');
      record = parsed;
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
    options.follower?.applying(record.s);
    // A journal written before time fields were bounded may hold a poison time (epoch ns):
    // it is left out, never applied, so it cannot crash-loop the exporter.
    const events = record.e.filter((e) => eventTimesInBounds(e));
    if (record.refused) {
      report.refusedEvents += record.refused;
      options.log.error(
        { file, seq: record.s, events: record.refused },
        'journal: left out events as sent that validation refuses (a record of an older version)',
      );
    }
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
