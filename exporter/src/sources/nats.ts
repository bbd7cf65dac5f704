/**
 * NATS JetStream source: a durable pull consumer on TRADEWATCH_NATS_SUBJECT (stream
 * TRADEWATCH_NATS_STREAM, created when missing). Each message is a JSON event or an array
 * of events in the tradewatch schema.
 *
 * - The messages that arrive together are handed, as their texts, to the ingest service as
 *   one batch (one journal record), each message all or nothing on its own; each is
 *   acknowledged only after the batch is applied and durable.
 * - Redelivery is harmless: events keep their own `id`; an event without one gets an id
 *   from the stream and its sequence (`nats:<stream>:<created>:<seq>:<index>`), the same on
 *   every delivery and on every replica; fills are also idempotent by fill_id.
 * - A message the ingest service refuses as not valid JSON or not valid events is terminated
 *   (never redelivered), counted in tradewatch_events_rejected_total{reason} and logged.
 * - The connection reconnects forever; when the server lost the stream or the consumer
 *   (a restart without its store), both are created again.
 * - Each exporter replica uses its own durable name, so each sees the whole stream.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { Ingestor, IngestResult } from '../ingest/ingestor';
import { LabeledCounter } from '../state/common/counters';

export interface NatsSourceOptions {
  url: string;
  subject: string;
  stream: string;
  durable: string;
}

/** Messages taken into one ingest batch at most. */
const MAX_BATCH_MESSAGES = 1000;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

export class NatsSource {
  readonly messages = new LabeledCounter(); // outcome
  private nc: NatsConnection | null = null;
  private consuming: ConsumerMessages | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private connectedNow = false;
  private streamIncarnation = '';

  constructor(
    private readonly options: NatsSourceOptions,
    private readonly ingestor: Ingestor,
    private readonly log: Logger,
  ) {}

  connected(): boolean {
    return this.connectedNow;
  }

  /** Starts in the background; a NATS that is not up yet is waited for. */
  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consuming?.close().catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
    await this.running;
    this.connectedNow = false;
  }

  private async run(): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (!this.stopped) {
      try {
        if (!this.nc || this.nc.isClosed()) this.nc = await this.connect();
        await this.consume(this.nc);
        delay = RETRY_MIN_MS;
      } catch (err) {
        if (this.stopped) break;
        this.connectedNow = false;
        this.log.warn(
          { source: 'nats', url: this.options.url, err: (err as Error).message },
          `NATS source: ${(err as Error).message}; retrying in ${delay} ms`,
        );
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      }
    }
  }

  private async connect(): Promise<NatsConnection> {
    const nc = await connect({
      servers: this.options.url,
      name: `tradewatch-${this.options.durable}`,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
    });
    this.log.info({ source: 'nats', url: this.options.url, server: nc.getServer() }, 'NATS source connected');
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.connectedNow = false;
          this.log.warn({ source: 'nats' }, 'NATS source disconnected; reconnecting');
        } else if (s.type === 'reconnect') {
          this.log.info({ source: 'nats' }, 'NATS source reconnected');
          // The consumer loop sets connected again once it receives; a reconnect alone is not consuming.
          this.connectedNow = true;
        }
      }
    })().catch(() => undefined);
    return nc;
  }

  /** Ensures the stream and the durable consumer, then consumes until the consumer is lost or we stop. */
  private async consume(nc: NatsConnection): Promise<void> {
    const { stream, subject, durable } = this.options;
    const jsm = await jetstreamManager(nc);
    let info = await jsm.streams.info(stream).catch(() => null);
    if (!info) {
      info = await jsm.streams.add({ name: stream, subjects: [subject] });
      this.log.info({ source: 'nats', stream, subject }, 'NATS source created the stream');
    }
    // A stream made again starts its sequence at 1: its creation time tells the two apart.
    this.streamIncarnation = `${stream}:${Date.parse(info.created)}`;
    try {
      await jsm.consumers.info(stream, durable);
    } catch {
      await jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: subject,
        max_ack_pending: 20_000,
        ack_wait: 30_000_000_000, // ns
      });
      this.log.info({ source: 'nats', stream, durable, subject }, 'NATS source created its durable consumer');
    }
    const consumer = await jetstream(nc).consumers.get(stream, durable);
    const messages = await consumer.consume({
      max_messages: MAX_BATCH_MESSAGES,
      abort_on_missing_resource: true,
    });
    this.consuming = messages;
    this.connectedNow = true;
    void (async () => {
      for await (const s of messages.status()) {
        if (
          s.type === 'consumer_deleted' ||
          s.type === 'consumer_not_found' ||
          s.type === 'stream_not_found'
        ) {
          this.log.warn(
            { source: 'nats', stream, durable, notification: s.type },
            'NATS source lost its consumer; setting it up again',
          );
          await messages.close();
        }
      }
    })().catch(() => undefined);

    let batch: JsMsg[] = [];
    let flushing: Promise<void> = Promise.resolve();
    for await (const m of messages) {
      batch.push(m);
      // Take what is already waiting in the iterator into the same batch.
      if (messages.getPending() > 0 && batch.length < MAX_BATCH_MESSAGES) continue;
      const taken = batch;
      batch = [];
      await flushing;
      flushing = this.handle(taken);
    }
    await flushing;
    if (batch.length > 0) await this.handle(batch);
    const closed = await messages.closed();
    if (closed instanceof Error && !this.stopped) throw closed;
    if (!this.stopped) throw new Error('the consumer stopped');
  }

  /**
   * Hands the messages to the ingest service as one batch (each message all or nothing on
   * its own), then acks what was applied, terminates what was refused as invalid, and naks
   * everything else when the batch could not be applied.
   */
  private async handle(msgs: JsMsg[]): Promise<void> {
    let result: IngestResult;
    try {
      result = await this.ingestor.ingest({ messages: msgs.map((m) => m.string()) }, 'nats', {
        idFor: (i, k) => `nats:${this.streamIncarnation}:${msgs[k].seq}:${i}`,
      });
    } catch (err) {
      result = { ok: false, status: 500, reason: 'failed', error: (err as Error).message, problems: [] };
    }
    const refused = new Map(result.ok ? (result.refusedMessages ?? []).map((r) => [r.message, r]) : []);
    let failed = 0;
    msgs.forEach((m, k) => {
      const refusal = refused.get(k);
      if (refusal) {
        this.messages.inc({ outcome: 'rejected' });
        this.log.warn(
          {
            source: 'nats',
            subject: m.subject,
            seq: m.seq,
            reason: refusal.reason,
            problems: refusal.problems.slice(0, 5),
          },
          'NATS message rejected (terminated, not redelivered)',
        );
        m.term(); // (no reason text: servers before 2.10.4 ignore a TERM that carries one)
      } else if (result.ok) {
        m.ack();
        this.messages.inc({ outcome: 'applied' });
      } else {
        // Not durable, or over a cap for now: JetStream delivers it again later.
        m.nak(1000);
        this.messages.inc({ outcome: 'failed' });
        failed += 1;
      }
    });
    if (!result.ok)
      this.log.error(
        { source: 'nats', err: result.error, messages: failed },
        'NATS batch not applied; it will be redelivered',
      );
  }
}
