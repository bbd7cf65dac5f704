/**
 * The feed's fan-out, without sockets: changes from the store are routed into topics (one
 * per channel + filter + subscription id); at each flush each topic with changes
 * serializes ONE update frame and hands the same bytes to all of its members. Flushes are
 * Nagle-like: a cheap hub (few viewers, a quiet engine) flushes a change as soon as its
 * batch is applied; as a flush grows costly the gap between flushes grows with it, up to
 * the batch interval, so a busy hub coalesces exactly as before. A member
 * whose connection is behind stops receiving frames and is owed a coalesced catch-up
 * (latest state per key, bounded), or a fresh snapshot when it owes too much; a member
 * past the hard limit is closed. Nobody waits for a slow member.
 */
import {
  CLOSE,
  rowIdentity,
  rowKey,
  type Channel,
  type FeedFilter,
  type RowIdentity,
  type SnapshotMessage,
  type UpdateMessage,
} from '@tradewatch/feed-protocol';
import type { Change } from '../state/changes';
import { wireRow } from '../state/wire-rows';
import type { Store } from '../state/store';
import {
  FILL_SNAPSHOT_ROWS,
  FILL_SNAPSHOT_TIMEOUT_MS,
  mergeFills,
  type FillHistoryReader,
} from './fill-snapshot';
import { STATE_CHANNELS, matches, snapshotRows } from './subscriptions';

/**
 * Flush pacing (Nagle-like): the gap before the next flush is this many times what a flush
 * costs, so flushing takes at most ~1/GAP_PER_FLUSH_COST of the loop under load; never
 * under MIN_GAP_MS, never over the batch interval. The cost remembered decays by
 * COST_DECAY a flush, so one costly flush does not slow the quiet ones after it for long.
 */
const GAP_PER_FLUSH_COST = 20;
const MIN_GAP_MS = 1;
const COST_DECAY = 0.8;

/** One connection, as the hub sees it. */
export interface Peer {
  /** Sends a serialized text frame (the same Buffer may go to many peers). */
  send(frame: Buffer): void;
  /** Bytes accepted but not yet written to the network. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export interface HubOptions {
  batchMs: number;
  /** Above this many unsent bytes a member gets no more frames until it drains. */
  lagBytes: number;
  /** Above this many unsent bytes the connection is closed (4002). */
  maxBufferedBytes: number;
  /** Keys a lagging member may be owed; past it, it gets a fresh snapshot instead. */
  maxOwedKeys: number;
  /**
   * The trade history's fills (newest first), when one is kept: the `fills` snapshot is then
   * read from it (asynchronously), not only from the few fills the state keeps in memory.
   */
  fillHistory?: FillHistoryReader;
  /** How long a `fills` snapshot waits for the history before it is built from memory (ms). */
  fillSnapshotTimeoutMs?: number;
}

/**
 * A `fills` snapshot being read from the history: the members waiting for it, and the rows
 * that passed the topic's filter since the read began (newest FILL_SNAPSHOT_ROWS kept), so
 * that whatever seq the snapshot ends up carrying, no fill before it is missing.
 */
interface SnapshotLoad {
  readonly waiting: Set<Member>;
  readonly since: Map<string, unknown>;
}

/**
 * What a topic owes its members for one row, by the row's identity key (engine included:
 * docs/architecture.md, "Identity"). `id` is what `removes` lists when the row left.
 */
interface Pending {
  id: RowIdentity;
  row: unknown;
  final?: unknown;
}

/** A change as the feed sends it: its records written as wire rows. */
interface WireChange {
  row: unknown;
  final?: unknown;
}

function toWire(change: Change): WireChange {
  const row = change.row === null ? null : wireRow(change.channel, change.row);
  return change.final === undefined ? { row } : { row, final: wireRow(change.channel, change.final) };
}

class Topic {
  seq = 0;
  readonly members = new Set<Member>();
  pending = new Map<string, Pending>();
  /** State channels: keys of the rows currently in this topic's set (to announce leavers). */
  readonly keys: Set<string> | null;
  snapshot: { version: number; seq: number; frame: Buffer } | null = null;
  load: SnapshotLoad | null = null;

  constructor(
    readonly id: string,
    readonly channel: Channel,
    readonly filter: FeedFilter,
    readonly sub: string | undefined,
    initialKeys: Iterable<string> | null,
  ) {
    this.keys = initialKeys ? new Set(initialKeys) : null;
  }

  route(change: WireChange, key: string, id: RowIdentity): void {
    if (change.row !== null) {
      if (matches(this.filter, change.row)) {
        this.pending.set(key, { id, row: change.row });
        this.keys?.add(key);
        if (this.load) {
          this.load.since.delete(key);
          this.load.since.set(key, change.row);
          if (this.load.since.size > FILL_SNAPSHOT_ROWS) {
            const oldest = this.load.since.keys().next();
            if (!oldest.done) this.load.since.delete(oldest.value);
          }
        }
      } else if (this.keys?.delete(key)) {
        this.pending.set(key, { id, row: null }); // it no longer passes the filter
      }
      return;
    }
    const known = this.keys
      ? this.keys.delete(key)
      : change.final === undefined || matches(this.filter, change.final);
    if (known)
      this.pending.set(
        key,
        change.final === undefined ? { id, row: null } : { id, row: null, final: change.final },
      );
  }
}

/** A peer's subscription to a topic, and what it is owed while it lags. */
export class Member {
  lastSeq = 0;
  owed: Map<string, Pending> | null = null;
  resync = false;
  /** Waiting for its snapshot (read from the history): gets no update before it. */
  loading = false;
  constructor(
    readonly peer: Peer,
    readonly topic: Topic,
  ) {}
  get lagging(): boolean {
    return this.owed !== null || this.resync;
  }
}

export interface FlushStats {
  frames: number;
  catchUps: number;
  resyncs: number;
  closed: number;
}

export class FeedHub {
  private readonly topics = new Map<string, Topic>();
  private readonly byChannel = new Map<Channel, Set<Topic>>();
  private readonly lagging = new Set<Member>();
  private readonly dirty = new Set<Topic>();
  /** Bumped on every applied batch: a cached snapshot is valid while it holds. */
  private version = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the pending timer fires (the clock of `now`). */
  private timerDue = Infinity;
  private lastFlush = -Infinity;
  /** What the recent flushes cost (ms, the latest or a decaying earlier peak). */
  private flushCostMs = 0;
  private stopped = false;
  /** `fills` snapshots being read from the history. */
  loadsRunning = 0;
  readonly totals: FlushStats & { snapshotFallbacks: number } = {
    frames: 0,
    catchUps: 0,
    resyncs: 0,
    closed: 0,
    snapshotFallbacks: 0,
  };

  constructor(
    private readonly store: Store,
    private readonly options: HubOptions,
    /** A monotonic clock in ms (flush gaps and their cost). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The store's change listener. */
  readonly onChanges = (changes: readonly Change[]): void => {
    this.version += 1;
    for (const change of changes) {
      const topics = this.byChannel.get(change.channel);
      if (!topics || topics.size === 0) continue;
      // Identity from the row itself (engine included), never from an id alone.
      const row = change.row ?? change.final;
      if (row === undefined || row === null) continue; // left a set it never was in: nobody knows it
      const key = rowKey(change.channel, row);
      const id = rowIdentity(change.channel, row);
      // The wire rows are made once per change, and only for a channel someone watches.
      const wire = toWire(change);
      for (const topic of topics) {
        topic.route(wire, key, id);
        if (topic.pending.size > 0) this.dirty.add(topic);
      }
    }
    if (this.dirty.size > 0) this.schedule();
  };

  /** Subscribes a peer (replacing what it had under the same id) and sends its snapshot. */
  subscribe(peer: Peer, channel: Channel, filter: FeedFilter, sub: string | undefined): Member {
    const id = `${channel}\u0000${sub ?? ''}\u0000${JSON.stringify(filter)}`;
    let topic = this.topics.get(id);
    if (!topic) {
      const keys = STATE_CHANNELS.has(channel) ? this.keysOf(channel, filter) : null;
      topic = new Topic(id, channel, filter, sub, keys);
      this.topics.set(id, topic);
      let set = this.byChannel.get(channel);
      if (!set) this.byChannel.set(channel, (set = new Set()));
      set.add(topic);
    }
    const member = new Member(peer, topic);
    topic.members.add(member);
    this.sendSnapshot(member);
    return member;
  }

  unsubscribe(member: Member): void {
    const topic = member.topic;
    topic.members.delete(member);
    this.lagging.delete(member);
    if (topic.members.size === 0) {
      this.topics.delete(topic.id);
      this.byChannel.get(topic.channel)?.delete(topic);
      this.dirty.delete(topic);
    }
  }

  get topicCount(): number {
    return this.topics.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * The next flush, no sooner than `gapMs` after the last one. The gap is the batch interval
   * only when flushing costs that much: GAP_PER_FLUSH_COST times the recent flush cost, at
   * least MIN_GAP_MS, at most batchMs.
   */
  private schedule(gapMs = this.gap()): void {
    if (this.stopped) return;
    const due = this.lastFlush + gapMs;
    // A sooner flush replaces a later one: the drain check of a lagging member (batchMs away)
    // must not hold everyone else's changes back to the batch interval.
    if (this.timer) {
      if (this.timerDue <= due) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush();
      },
      Math.max(0, due - this.now()),
    );
  }

  private gap(): number {
    return Math.min(this.options.batchMs, Math.max(MIN_GAP_MS, this.flushCostMs * GAP_PER_FLUSH_COST));
  }

  flush(): FlushStats {
    const started = this.now();
    this.lastFlush = started;
    try {
      return this.flushNow();
    } finally {
      this.flushCostMs = Math.max(this.now() - started, this.flushCostMs * COST_DECAY);
    }
  }

  private flushNow(): FlushStats {
    const stats: FlushStats = { frames: 0, catchUps: 0, resyncs: 0, closed: 0 };
    for (const topic of this.dirty) {
      const pending = topic.pending;
      topic.pending = new Map();
      topic.seq += 1;
      const frame = encodeUpdate(topic, topic.seq, pending, undefined);
      for (const m of topic.members) {
        if (m.loading) continue; // its snapshot will hold these rows (topic.load.since)
        if (!m.lagging && m.peer.bufferedAmount <= this.options.lagBytes) {
          m.peer.send(frame);
          m.lastSeq = topic.seq;
          stats.frames += 1;
          continue;
        }
        this.owe(m, pending);
      }
    }
    this.dirty.clear();

    // Owed snapshots wait while a batch is half applied (they would show half of it).
    for (const m of this.store.isHeld ? [] : this.lagging) {
      const buffered = m.peer.bufferedAmount;
      if (buffered > this.options.maxBufferedBytes) {
        m.peer.close(CLOSE.slow.code, CLOSE.slow.reason);
        this.lagging.delete(m);
        stats.closed += 1;
        continue;
      }
      // Resume only once it has drained well below the lag mark (no flapping).
      if (buffered > this.options.lagBytes / 2) continue;
      this.lagging.delete(m);
      if (m.resync) {
        m.resync = false;
        m.owed = null;
        this.sendSnapshot(m);
        stats.resyncs += 1;
      } else if (m.owed) {
        const owed = m.owed;
        m.owed = null;
        if (m.lastSeq < m.topic.seq) {
          m.peer.send(encodeUpdate(m.topic, m.topic.seq, owed, m.lastSeq + 1));
          m.lastSeq = m.topic.seq;
          stats.catchUps += 1;
        }
      }
    }
    // Keep checking whether they drained, once per batch interval.
    if (this.lagging.size > 0) this.schedule(this.options.batchMs);
    this.totals.frames += stats.frames;
    this.totals.catchUps += stats.catchUps;
    this.totals.resyncs += stats.resyncs;
    this.totals.closed += stats.closed;
    return stats;
  }

  /** Adds what a lagging member missed, coalesced to the latest state per key. */
  private owe(m: Member, pending: Map<string, Pending>): void {
    this.lagging.add(m);
    if (m.resync) return;
    const owed = m.owed ?? (m.owed = new Map());
    for (const [key, p] of pending) owed.set(key, p);
    if (owed.size > this.options.maxOwedKeys) {
      m.owed = null;
      m.resync = true;
    }
  }

  /**
   * Sends a member its snapshot, or, when its connection is behind, owes it one (sent once
   * it drains, in flush): a client that re-subscribes faster than it reads holds at most one
   * owed snapshot per subscription, never a queue of them.
   */
  private sendSnapshot(m: Member): void {
    // Behind on reading, or a batch half applied (state/store.ts): the snapshot is owed.
    if (m.peer.bufferedAmount > this.options.lagBytes || this.store.isHeld) {
      m.owed = null;
      m.resync = true;
      this.lagging.add(m);
      this.schedule(this.options.batchMs);
      return;
    }
    const topic = m.topic;
    const cached =
      topic.snapshot !== null && topic.snapshot.version === this.version && topic.snapshot.seq === topic.seq;
    if (!cached && topic.channel === 'fills' && this.options.fillHistory) {
      this.loadFills(m, this.options.fillHistory);
      return;
    }
    if (!topic.snapshot || !cached) {
      const rows = snapshotRows(this.store, topic.channel, topic.filter);
      topic.snapshot = {
        version: this.version,
        seq: topic.seq,
        frame: encodeSnapshot(topic, rows),
      };
    }
    m.peer.send(topic.snapshot.frame);
    m.lastSeq = topic.seq;
  }

  /**
   * Builds a `fills` snapshot from the history without holding the event loop for the read
   * (PostgreSQL answers later; a read that fails or takes longer than the timeout gives way
   * to the state's memory). Members of one topic share one read. While it runs, the members
   * get no updates and the topic records the rows that pass its filter; the snapshot is the
   * union of the history's rows, the state's and those, and carries the topic's seq at the
   * moment it is sent, so the next update (seq + 1) follows it with nothing lost.
   */
  private loadFills(m: Member, read: FillHistoryReader): void {
    const topic = m.topic;
    m.loading = true;
    if (topic.load) {
      topic.load.waiting.add(m);
      return;
    }
    const load: SnapshotLoad = { waiting: new Set([m]), since: new Map() };
    topic.load = load;
    this.loadsRunning += 1;
    void withTimeout(
      read(topic.filter, FILL_SNAPSHOT_ROWS),
      this.options.fillSnapshotTimeoutMs ?? FILL_SNAPSHOT_TIMEOUT_MS,
    ).then((history) => {
      this.loadsRunning -= 1;
      if (topic.load === load) topic.load = null;
      if (history === null) this.totals.snapshotFallbacks += 1;
      if (this.stopped) return;
      const rows = mergeFills(
        topic.filter,
        FILL_SNAPSHOT_ROWS,
        history ?? [],
        snapshotRows(this.store, 'fills', topic.filter),
        load.since.values(),
      );
      topic.snapshot = { version: this.version, seq: topic.seq, frame: encodeSnapshot(topic, rows) };
      for (const w of load.waiting) {
        if (!topic.members.has(w) || !w.loading) continue;
        w.loading = false;
        this.sendSnapshot(w); // the frame just built (or, if it is behind, one owed)
      }
    });
  }

  private keysOf(channel: Channel, filter: FeedFilter): string[] {
    return snapshotRows(this.store, channel, filter).map((row) => rowKey(channel, row));
  }
}

function encodeSnapshot(topic: Topic, rows: unknown[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      type: 'snapshot',
      channel: topic.channel,
      ...(topic.sub ? { sub: topic.sub } : {}),
      seq: topic.seq,
      rows,
    } satisfies SnapshotMessage),
  );
}

/** The value of `p`, or null when it fails or takes longer than `ms`. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p.catch(() => null),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function encodeUpdate(
  topic: Topic,
  seq: number,
  pending: Map<string, Pending>,
  fromSeq: number | undefined,
): Buffer {
  const upserts: unknown[] = [];
  const removes: RowIdentity[] = [];
  const closed: unknown[] = [];
  for (const p of pending.values()) {
    if (p.row !== null) upserts.push(p.row);
    else {
      removes.push(p.id);
      if (p.final !== undefined) closed.push(p.final);
    }
  }
  // Fields in the order the docs show them (optional ones only when present).
  const message: UpdateMessage = {
    type: 'update',
    channel: topic.channel,
    ...(topic.sub ? { sub: topic.sub } : {}),
    seq,
    ...(fromSeq !== undefined && fromSeq !== seq ? { from_seq: fromSeq } : {}),
    upserts,
    removes,
    ...(closed.length > 0 ? { closed } : {}),
  };
  return Buffer.from(JSON.stringify(message));
}
