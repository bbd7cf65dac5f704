/**
 * The NautilusTrader source (TRADEWATCH_SOURCE=nautilus): reads the message bus streams a
 * trader writes to Redis (`trader-{trader_id}:stream[:{topic}]`) with a consumer group, and
 * hands each entry to the one ingest service as a Nautilus record (`format: 'nautilus'`,
 * adapter.ts), never around it. Each trader is its own engine.
 *
 * - Discovery: SCAN for stream keys matching the pattern every discovery interval; a new
 *   stream gets the group at id 0, so entries written before tradewatch first ran are read.
 * - Delivery: XREADGROUP; entries are acknowledged (XACK) only once the ingest service has
 *   answered their batch (journaled, or refused for good), so a restart resumes where it
 *   acknowledged. After a start or any failure the consumer's pending entries are read
 *   first; a redelivered entry is harmless (every derived event carries the Nautilus event
 *   id, applied once).
 * - Failures: Redis unreachable or erring → counted, one log line per outage, backoff
 *   from 250 ms to 5 s, reconnect; a record that cannot be used is refused alone (counted
 *   by cause, logged once per trader and cause) and acknowledged so it never blocks others.
 */
import Redis from 'ioredis';
import type { Logger } from '../../log';
import { Backoff, pause } from '../../retry/backoff';
import type { Ingestor, IngestResult } from '../../ingest/ingestor';
import type { LabeledCounter } from '../../state/common/counters';
import { causeOf } from './adapter';
import type { NautilusRecord } from './records';
import { parseReadReply, parseScanReply, traderOfKey, type StreamBatch } from './stream-reply';

export interface NautilusSourceOptions {
  url: string;
  /** SCAN MATCH pattern of the stream keys. */
  streams: string;
  /** Trader ids to read; empty: all. */
  traders: string[];
  group: string;
  discoveryMs: number;
  /** How long one read waits for new entries. */
  blockMs?: number;
  /** Entries read per round across all streams (about). */
  batchEntries?: number;
  /** Streams read at most (a runaway key generator must not grow the read without bound). */
  maxStreams?: number;
}

const CONSUMER = 'exporter';
const SOURCE = 'nautilus';

interface StreamState {
  trader: string;
  /** Read the consumer's pending entries (id 0) before new ones (>). */
  pending: boolean;
}

export class NautilusSource {
  /** Entries handed to the ingest service and answered (bench figures). */
  recordsIngested = 0;
  private redis: Redis | null = null;
  private readonly streams = new Map<string, StreamState>();
  private readonly ignored = new Set<string>();
  private lastScan = -Infinity;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private outage: string | null = null;
  private readonly logged = new Set<string>();
  /** Aborted by stop(): ends any pause at once. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly options: NautilusSourceOptions,
    private readonly ingestor: Ingestor,
    /** tradewatch_source_errors_total, shared by the pull and bus sources. */
    private readonly errors: LabeledCounter,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.redis?.disconnect();
    await this.loop;
  }

  /** Streams being read, by key (tests, the docs' figures). */
  streamKeys(): string[] {
    return [...this.streams.keys()];
  }

  private async run(): Promise<void> {
    // From 250 ms to 5 s between attempts to read.
    const backoff = new Backoff({ initialMs: 250, maxMs: 5000 });
    while (!this.stopped) {
      try {
        const redis = await this.connection();
        if (Date.now() - this.lastScan >= this.options.discoveryMs) await this.discover(redis);
        await this.readRound(redis);
        backoff.reset();
        if (this.outage !== null) {
          this.log.info({ source: SOURCE }, `nautilus: reading ${this.streams.size} stream(s) again`);
          this.outage = null;
        }
      } catch (err) {
        if (this.stopped) break;
        const reason = reasonOf(err);
        this.errors.inc({ source: SOURCE, reason });
        if (this.outage !== reason) {
          this.outage = reason;
          this.log.warn(
            { source: SOURCE, reason, err: (err as Error).message },
            `nautilus: cannot read the message bus streams (${reason}); retrying with backoff`,
          );
        }
        this.redis?.disconnect();
        this.redis = null;
        // Streams are found again by the next scan (a stream deleted under us, a group lost
        // with a Redis restart), each starting with its pending entries: what was read and
        // not acknowledged is read again.
        this.lastScan = -Infinity;
        this.streams.clear();
        await pause(backoff.next(), this.stopping.signal);
      }
    }
  }

  private async connection(): Promise<Redis> {
    if (this.redis) return this.redis;
    const redis = new Redis(this.options.url, {
      lazyConnect: true,
      // This loop reconnects (with its own backoff); ioredis must fail fast, not queue.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 5000,
      connectionName: 'tradewatch-nautilus',
    });
    redis.on('error', () => undefined); // failures reach the loop through the commands
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    this.redis = redis;
    return redis;
  }

  private async discover(redis: Redis): Promise<void> {
    const max = this.options.maxStreams ?? 10_000;
    let cursor = '0';
    do {
      const reply = parseScanReply(
        await redis.call('SCAN', cursor, 'MATCH', this.options.streams, 'COUNT', 1000, 'TYPE', 'stream'),
      );
      cursor = reply.cursor;
      for (const key of reply.keys) {
        if (this.streams.has(key) || this.ignored.has(key)) continue;
        const trader = traderOfKey(key);
        if (trader === null || (this.options.traders.length > 0 && !this.options.traders.includes(trader))) {
          if (this.ignored.size < max) this.ignored.add(key);
          continue;
        }
        if (this.streams.size >= max) {
          this.logOnce(
            `max-streams`,
            `nautilus: more than ${max} streams match ${this.options.streams}; the rest are not read`,
          );
          continue;
        }
        try {
          await redis.call('XGROUP', 'CREATE', key, this.options.group, '0');
        } catch (err) {
          if (!/BUSYGROUP/.test((err as Error).message)) throw err;
        }
        this.streams.set(key, { trader, pending: true });
        this.log.info({ source: SOURCE, trader, stream: key }, `nautilus: reading ${key} (trader ${trader})`);
      }
    } while (cursor !== '0' && !this.stopped);
    this.lastScan = Date.now();
  }

  private async readRound(redis: Redis): Promise<void> {
    const keys = [...this.streams.keys()];
    if (keys.length === 0) {
      await pause(Math.min(this.options.discoveryMs, 1000), this.stopping.signal);
      return;
    }
    const ids = keys.map((k) => (this.streams.get(k)?.pending ? '0' : '>'));
    const pendingRound = ids.includes('0');
    const perStream = Math.max(
      10,
      Math.min(1000, Math.floor((this.options.batchEntries ?? 2000) / keys.length)),
    );
    // Pending entries are answered at once; new ones are waited for (at most until the next scan is due).
    const block = Math.min(this.options.blockMs ?? 1000, this.options.discoveryMs);
    const reply = parseReadReply(
      await redis.call(
        'XREADGROUP',
        'GROUP',
        this.options.group,
        CONSUMER,
        'COUNT',
        perStream,
        ...(pendingRound ? [] : ['BLOCK', block]),
        'STREAMS',
        ...keys,
        ...ids,
      ),
    );
    if (pendingRound) {
      const answered = new Map(reply.map((b) => [b.key, b.entries.length]));
      keys.forEach((key, i) => {
        const state = this.streams.get(key);
        // A pending read that gives nothing for a stream has caught up with it.
        if (state && ids[i] === '0' && !answered.get(key)) state.pending = false;
      });
    }
    if (reply.length > 0) await this.handle(redis, reply);
  }

  /** Ingests one round's entries, then acknowledges what the ingest service answered for good. */
  private async handle(redis: Redis, batches: StreamBatch[]): Promise<void> {
    const records: NautilusRecord[] = [];
    const gone: { key: string; id: string }[] = [];
    for (const { key, entries } of batches) {
      const trader = this.streams.get(key)?.trader ?? traderOfKey(key) ?? key;
      for (const { id, fields } of entries) {
        if (fields === null) gone.push({ key, id });
        else records.push({ trader, stream: key, entry: id, fields });
      }
    }
    const done: { key: string; id: string }[] = [...gone];
    if (records.length > 0) {
      const result = await this.ingest(records);
      if (result.ok) done.push(...records.map((r) => ({ key: r.stream, id: r.entry })));
      else if (result.status === 500)
        throw new Error(`the ingest service could not journal: ${result.error}`);
      else {
        // The batch as a whole was refused (a cap, an event the adapter let through): each record alone.
        for (const record of records) {
          const alone = await this.ingest([record]);
          if (!alone.ok && alone.status === 500)
            throw new Error(`the ingest service could not journal: ${alone.error}`);
          if (!alone.ok) {
            this.errors.inc({
              source: SOURCE,
              reason: alone.reason === 'cardinality_limit' ? alone.reason : 'rejected',
            });
            this.logOnce(
              `${record.trader}:${alone.reason}`,
              `nautilus ${record.trader}: a record refused (${alone.reason}): ${alone.error}`,
            );
          }
          done.push({ key: record.stream, id: record.entry });
        }
      }
      this.recordsIngested += records.length;
    }
    await this.ack(redis, done);
  }

  private async ingest(records: NautilusRecord[]): Promise<IngestResult> {
    const result = await this.ingestor.ingest({ values: records }, SOURCE, { format: SOURCE });
    if (result.ok && result.refused)
      for (const problem of result.refused) {
        const record = records[problem.index];
        const cause = causeOf(problem);
        this.errors.inc({ source: SOURCE, reason: cause });
        this.logOnce(
          `${record?.trader}:${cause}`,
          `nautilus ${record?.trader}: a record of ${record?.stream} left out (${problem.field}): ${problem.reason}`,
        );
      }
    return result;
  }

  private async ack(redis: Redis, done: { key: string; id: string }[]): Promise<void> {
    const byKey = new Map<string, string[]>();
    for (const { key, id } of done) {
      const ids = byKey.get(key) ?? [];
      ids.push(id);
      byKey.set(key, ids);
    }
    for (const [key, ids] of byKey)
      for (let i = 0; i < ids.length; i += 1000)
        await redis.call('XACK', key, this.options.group, ...ids.slice(i, i + 1000));
  }

  private logOnce(key: string, message: string): void {
    if (this.logged.has(key) || this.logged.size >= 1000) return;
    this.logged.add(key);
    this.log.warn({ source: SOURCE }, message);
  }
}

/** The `reason` label of a Redis failure. */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|Connection is closed|connect/i.test(message))
    return 'unreachable';
  if (/NOAUTH|WRONGPASS|NOPERM/.test(message)) return 'unauthorized';
  if (/ingest service/.test(message)) return 'journal';
  return 'redis_error';
}
