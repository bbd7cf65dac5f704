/**
 * The journal directory's files (journal.ts writes them): segments of records named by
 * their first sequence number, snapshots named by the last one they cover; and a reader
 * that follows the records from a sequence number to the journal's end while it is being
 * appended to (the history's catch-up, history/catch-up.ts).
 */
import { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { TradingEvent } from '../events/schema';
import { validateEvent } from '../events/validate';
import type { StoreSnapshot } from '../state/snapshot';
import { scanAll, scanLines, type BadRecord, type GoodRecord } from './records';

/** One journal record as read: sequence number, wall-clock receipt time, events to apply. */
export interface JournalRecord {
  s: number;
  t: number;
  e: readonly TradingEvent[];
  /** Events of a sent-text record that validation refuses today (left out, not applied). */
  refused?: number;
}

/**
 * A record's two formats (docs/durability.md, "Record formats"). Format 1 holds the
 * validated events (`e`); format 2 holds the events as the client sent them (`sent`, the
 * body's text written as it came: no second JSON.stringify at ingest), and reading it
 * validates them again, as at ingest. Format 1 is still written when no body text is at
 * hand (a foreign format, a source that hands values, a batch with duplicates).
 */
type StoredRecord =
  | { v?: undefined; s: number; t: number; e: TradingEvent[] }
  | { v: 2; s: number; t: number; sent: unknown[] };

/**
 * A batch of this many events or more has its record made a piece at a time, with the event
 * loop turning (journal.ts): format 2 from slices of the text sent when at hand, else format 1
 * from the events. Made in one go, a format-2 record held /healthz longer (a 10 MB batch,
 * alternating builds at load 15: 970 and 759 ms against 715 and 540); in slices, the 10 MB
 * batch took 0.78 of the time of format 1 in pieces (medians of 4 runs each, alternating, load
 * 3–4) with the same longest /healthz answer.
 */
export const SENT_RECORD_MAX_EVENTS = 4096;

/** A record's text; `sent` is a JSON array's text on one line (no raw newline). */
export function recordJson(s: number, t: number, events: readonly TradingEvent[], sent?: string): string {
  if (sent === undefined) return JSON.stringify({ s, t, e: events });
  return `{"v":2,"s":${s},"t":${t},"sent":${sent}}`;
}

/** The events of a record's JSON, or null when it is not a record this version reads. */
export function parseRecord(json: string): JournalRecord | null {
  const r = JSON.parse(json) as StoredRecord;
  if (!Number.isInteger(r.s) || typeof r.t !== 'number') return null;
  if (r.v === undefined) return Array.isArray(r.e) ? { s: r.s, t: r.t, e: r.e } : null;
  if (r.v !== 2 || !Array.isArray(r.sent)) return null;
  const e: TradingEvent[] = [];
  for (let i = 0; i < r.sent.length; i++) {
    const event = validateEvent(r.sent[i], i);
    if (!Array.isArray(event)) e.push(event);
  }
  return { s: r.s, t: r.t, e, refused: r.sent.length - e.length };
}

export interface SnapshotFile {
  format: 1;
  seq: number;
  at: number;
  version: string;
  lastSeen: Record<string, number>;
  store: StoreSnapshot;
  /**
   * The lowest sequence number whose rows the trade history still lacked when the snapshot
   * was taken (absent: it lacked none). A start from this snapshot catches up from there.
   */
  historyFrom?: number;
}

export const SEGMENT = /^segment-(\d{16})\.log$/;
export const SNAPSHOT = /^snapshot-(\d{16})\.json$/;
export const READ_CHUNK = 8 * 1024 * 1024;

const pad = (n: number) => String(n).padStart(16, '0');
export const segmentName = (start: number) => `segment-${pad(start)}.log`;
export const snapshotName = (seq: number) => `snapshot-${pad(seq)}.json`;

export function listByNumber(dir: string, pattern: RegExp): { n: number; file: string }[] {
  return readdirSync(dir)
    .map((name) => ({ m: pattern.exec(name), name }))
    .filter((x): x is { m: RegExpExecArray; name: string } => x.m !== null)
    .map((x) => ({ n: Number(x.m[1]), file: path.join(dir, x.name) }))
    .sort((a, b) => a.n - b.n);
}

export async function readSnapshot(file: string): Promise<SnapshotFile> {
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

/** Parses a good line as a record, or null when it is not one (journal.ts logs those at start). */
function recordOf(item: GoodRecord | BadRecord): JournalRecord | null {
  if (item.kind !== 'record') return null;
  try {
    return parseRecord(item.json);
  } catch {
    return null;
  }
}

/**
 * Hands `each` every record after `afterSeq`, in order, up to the journal's last record,
 * which `lastSeq()` tells (it grows while this runs: the journal keeps being appended to).
 * When every record up to `lastSeq()` was handed over, `atEnd` is called synchronously,
 * with no turn of the event loop between that check and the call, so the caller can switch
 * to following the live state without a record slipping between. A record the journal holds
 * damaged is skipped (the start logged it). Returns the last sequence number handed over.
 */
export async function followRecords(
  dir: string,
  afterSeq: number,
  lastSeq: () => number,
  each: (record: JournalRecord) => Promise<void>,
  atEnd: (through: number) => void,
): Promise<number> {
  let done = afterSeq;
  for (;;) {
    if (done >= lastSeq()) {
      atEnd(done);
      return done;
    }
    // The segment holding record done + 1: the last one starting at or before it.
    const segments = listByNumber(dir, SEGMENT);
    let index = -1;
    for (let i = 0; i < segments.length; i++) if (segments[i].n <= done + 1) index = i;
    if (index < 0) {
      // Compacted away (or never there): go on from the oldest record the journal holds.
      if (segments.length === 0) {
        atEnd(done);
        return done;
      }
      done = segments[0].n - 1;
      continue;
    }
    const before = done;
    done = await readSegment(segments[index].file, done, lastSeq, each);
    // Nothing more in that segment: the records go on in the next one (or are still being written).
    if (done === before) {
      const next = segments[index + 1];
      if (!next) {
        atEnd(done);
        return done;
      }
      // Records lost to damage (the start logged them) are skipped, as the start skipped them.
      done = Math.max(done, next.n - 1);
    }
  }
}

async function readSegment(
  file: string,
  afterSeq: number,
  lastSeq: () => number,
  each: (record: JournalRecord) => Promise<void>,
): Promise<number> {
  let done = afterSeq;
  const handle = await open(file, 'r');
  try {
    let offset = 0;
    let rest: Buffer = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, 1 << 20));
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset);
      if (bytesRead === 0) return done;
      const data =
        rest.length > 0 ? Buffer.concat([rest, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const items: (GoodRecord | BadRecord)[] = [];
      rest = Buffer.from(scanLines(data, offset - rest.length, items));
      offset += bytesRead;
      for (const item of items) {
        const record = recordOf(item);
        if (!record || record.s <= done) continue;
        // Past what is acknowledged (a write in flight): read again later.
        if (record.s > lastSeq()) return done;
        await each(record);
        done = record.s;
      }
    }
  } finally {
    await handle.close();
  }
}
