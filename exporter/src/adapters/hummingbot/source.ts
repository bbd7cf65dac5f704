/**
 * The Hummingbot source (TRADEWATCH_SOURCE=hummingbot): subscribes to its MQTT bridge's
 * topics for every instance of the namespace (`{ns}/+/events`, `/hb`, `/performance`) and
 * hands each message to the one ingest service as a Hummingbot record (`format:
 * 'hummingbot'`, adapter.ts), in arrival order, batched while a batch is being ingested.
 * Each instance is its own engine.
 *
 * Hummingbot publishes with QoS 0. tradewatch keeps a persistent session (a stable client
 * id, clean session off), so a broker that queues QoS 0 messages for a disconnected
 * persistent client (Mosquitto with `queue_qos0_messages true`; EMQX by default) hands over
 * what was published while the exporter was restarting; other brokers drop it (docs: what
 * is approximate). A broker that goes away is reconnected with backoff (250 ms doubling to
 * 5 s, jittered: retry/backoff.ts), counted, logged once an outage.
 */
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from '../../log';
import { Backoff } from '../../retry/backoff';
import type { Ingestor } from '../../ingest/ingestor';
import type { LabeledCounter } from '../../state/common/counters';
import { causeOf } from './adapter';
import type { HummingbotRecord } from './records';

export interface HummingbotSourceOptions {
  url: string;
  namespace: string;
  /** The MQTT client id of the persistent session (one per exporter: the broker drops the older of two). */
  clientId: string;
}

const SOURCE = 'hummingbot';
const BATCH = 1000;
/** Messages held while the ingest service is busy; past it they are dropped (and counted). */
const MAX_QUEUED = 100_000;

export class HummingbotSource {
  private client: MqttClient | null = null;
  private queue: HummingbotRecord[] = [];
  private draining: Promise<void> | null = null;
  /** From 250 ms to 5 s between attempts to reach the broker. */
  private readonly backoff = new Backoff({ initialMs: 250, maxMs: 5000 });
  private retry: NodeJS.Timeout | null = null;
  private outage = false;
  private stopped = false;
  private readonly logged = new Set<string>();

  constructor(
    private readonly options: HummingbotSourceOptions,
    private readonly ingestor: Ingestor,
    private readonly errors: LabeledCounter,
    private readonly log: Logger,
  ) {}

  start(): void {
    const ns = this.options.namespace;
    const client = connect(this.options.url, {
      clientId: this.options.clientId,
      reconnectPeriod: 0, // reconnects with this source's own backoff
      connectTimeout: 5000,
      clean: false,
    });
    this.client = client;
    client.on('connect', () => {
      this.backoff.reset();
      if (this.outage) this.log.info({ source: SOURCE }, 'hummingbot: connected to the broker again');
      this.outage = false;
      client.subscribe([`${ns}/+/events`, `${ns}/+/hb`, `${ns}/+/performance`], { qos: 1 }, (err) => {
        if (err) this.fail('subscribe_failed', err);
      });
    });
    // Each failed attempt ends in 'close': counted there, once per attempt, with the error before it.
    let lastError: Error | null = null;
    client.on('error', (err) => (lastError = err));
    client.on('close', () => {
      if (this.stopped) return;
      this.fail('unreachable', lastError ?? new Error('connection closed'));
      lastError = null;
      this.scheduleReconnect();
    });
    client.on('message', (topic, payload) => this.receive(topic, payload));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await new Promise<void>((resolve) =>
      this.client ? this.client.end(true, {}, () => resolve()) : resolve(),
    );
    await this.draining;
  }

  private fail(reason: string, err: Error): void {
    if (this.stopped) return;
    this.errors.inc({ source: SOURCE, reason });
    if (this.outage) return;
    this.outage = true;
    this.log.warn(
      { source: SOURCE, reason, err: err.message },
      `hummingbot: cannot reach the MQTT broker (${reason}); retrying with backoff`,
    );
  }

  private scheduleReconnect(): void {
    if (this.retry || this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.stopped) this.client?.reconnect();
    }, this.backoff.next());
  }

  private receive(topic: string, payload: Buffer): void {
    const parts = topic.split('/');
    const channel = parts[2];
    if (parts.length !== 3 || (channel !== 'events' && channel !== 'hb' && channel !== 'performance')) return;
    if (this.queue.length >= MAX_QUEUED) {
      this.errors.inc({ source: SOURCE, reason: 'overflow' });
      this.logOnce(
        'overflow',
        `hummingbot: more than ${MAX_QUEUED} messages wait for the ingest service; dropping`,
      );
      return;
    }
    this.queue.push({
      instance: parts[1],
      channel,
      payload: payload.toString('utf8'),
      receivedAt: Date.now(),
    });
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      const result = await this.ingestor.ingest({ values: batch }, SOURCE, { format: SOURCE });
      if (!result.ok) {
        // The batch as a whole was refused (a cap, a journal failure): each message alone, once.
        for (const record of batch) {
          const alone = await this.ingestor.ingest({ values: [record] }, SOURCE, { format: SOURCE });
          if (!alone.ok) {
            this.errors.inc({
              source: SOURCE,
              reason: alone.reason === 'cardinality_limit' ? alone.reason : 'rejected',
            });
            this.logOnce(
              `${record.instance}:${alone.reason}`,
              `hummingbot ${record.instance}: a message refused (${alone.reason}): ${alone.error}`,
            );
          } else this.countRefused([record], alone.refused);
        }
        continue;
      }
      this.countRefused(batch, result.refused);
    }
  }

  private countRefused(
    batch: HummingbotRecord[],
    refused: { index: number; field: string; reason: string }[] | undefined,
  ) {
    for (const problem of refused ?? []) {
      const record = batch[problem.index];
      const cause = causeOf(problem);
      this.errors.inc({ source: SOURCE, reason: cause });
      this.logOnce(
        `${record?.instance}:${cause}`,
        `hummingbot ${record?.instance}: a ${record?.channel} message left out (${problem.field}): ${problem.reason}`,
      );
    }
  }

  private logOnce(key: string, message: string): void {
    if (this.logged.has(key) || this.logged.size >= 1000) return;
    this.logged.add(key);
    this.log.warn({ source: SOURCE }, message);
  }
}
