/**
 * The freqtrade source (TRADEWATCH_SOURCE=freqtrade): one poller (bot.ts) and, with a
 * ws_token, one message socket (socket.ts) per bot URL. Everything it reads goes to the
 * one ingest service as freqtrade records (`format: 'freqtrade'`, adapter.ts), never
 * around it. Each bot is its own engine.
 */
import type { Logger } from '../../log';
import type { Ingestor } from '../../ingest/ingestor';
import type { LabeledCounter } from '../../state/common/counters';
import { FreqtradeBot } from './bot';
import { MessageSocket } from './socket';
import type { FreqtradeRecord } from './records';

export interface FreqtradeSourceOptions {
  urls: string[];
  /** One for all bots, or one per URL (same order). */
  usernames: string[];
  passwords: string[];
  wsToken: string | null;
  pollMs: number;
  balanceMs: number;
}

export class FreqtradeSource {
  readonly bots: FreqtradeBot[] = [];
  private readonly sockets: MessageSocket[] = [];
  private readonly loggedRefusals = new Set<string>();

  constructor(
    private readonly options: FreqtradeSourceOptions,
    private readonly ingestor: Ingestor,
    /** tradewatch_source_errors_total, shared by the pull and bus sources. */
    private readonly errors: LabeledCounter,
    private readonly activeTradeIds: (engine: string) => number[],
    private readonly log: Logger,
  ) {}

  start(): void {
    const taken = new Set<string>();
    const pick = (list: string[], i: number) => (list.length === 1 ? list[0] : list[i]);
    for (const [i, url] of this.options.urls.entries()) {
      const error = (reason: string) => this.errors.inc({ source: 'freqtrade', reason });
      let bot: FreqtradeBot | null = null;
      const ingest = (records: FreqtradeRecord[]) => this.ingest(records, bot?.label ?? url);
      bot = new FreqtradeBot(
        {
          url,
          username: pick(this.options.usernames, i),
          password: pick(this.options.passwords, i),
          pollMs: this.options.pollMs,
          slowMs: this.options.balanceMs,
          timeoutMs: 10_000,
          maxBodyBytes: 64 * 1024 * 1024,
          taken,
        },
        { ingest, error, activeTradeIds: this.activeTradeIds, log: this.log },
      );
      this.bots.push(bot);
      bot.start();
      if (this.options.wsToken) {
        const b = bot;
        const socket = new MessageSocket(url, this.options.wsToken, {
          engine: () => b.engine,
          trigger: (slow?: boolean) => b.trigger(slow),
          ingest,
          error,
          log: this.log,
          label: () => b.label,
        });
        this.sockets.push(socket);
        socket.start();
      }
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.stop();
    await Promise.all(this.bots.map((b) => b.stop()));
  }

  private async ingest(records: FreqtradeRecord[], bot: string): Promise<boolean> {
    if (records.length === 0) return true;
    const result = await this.ingestor.ingest({ values: records }, 'freqtrade', { format: 'freqtrade' });
    if (!result.ok) {
      this.errors.inc({ source: 'freqtrade', reason: 'rejected' });
      this.logOnce(
        `${bot}:${result.reason}`,
        bot,
        `the ingest service refused a batch (${result.reason}): ${result.error}`,
      );
      return false;
    }
    if (result.refused && result.refused.length > 0) {
      this.errors.inc({ source: 'freqtrade', reason: 'unusable' }, result.refused.length);
      const first = result.refused[0];
      this.logOnce(
        `${bot}:unusable:${first.field}`,
        bot,
        `a record left out: ${first.field} ${first.reason}`,
      );
    }
    return true;
  }

  private logOnce(key: string, bot: string, message: string): void {
    if (this.loggedRefusals.has(key) || this.loggedRefusals.size > 1000) return;
    this.loggedRefusals.add(key);
    this.log.warn({ source: 'freqtrade', bot }, `freqtrade ${bot}: ${message}`);
  }
}
