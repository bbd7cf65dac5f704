/**
 * One freqtrade bot, polled: its engine name from /show_config (`bot_name`, else host and
 * port), then a cycle every `pollMs`:
 *
 * - /status (open trades with their orders and `current_rate`) and /health (heartbeat);
 * - a trade that left /status, or that still has orders active here (after a restart of
 *   either side), is read once with /trade/{id}: closed, it gives its exit fills; unknown
 *   (404), freqtrade deleted it (an entry cancelled before it filled);
 * - every `slowMs`: /balance, /profit (the bot's own equity and realized profit) and /locks
 *   (a lock on every pair halts the engine);
 * - /trades, page by page (500 a page, ordered by id), at start and whenever /profit
 *   counts more closed trades than were seen: closed trades missed while either side was
 *   down. Applying a trade again changes nothing (fills are derived from what the store
 *   holds), so a page read twice counts nothing twice.
 *
 * The message WebSocket (socket.ts) only makes the next cycle come sooner. Every request
 * takes a token of its endpoint's budget (a token bucket), which keeps the source under
 * freqtrade's rate limits whatever triggers arrive. A failure is counted by cause, logged
 * once per cause (and once when the bot recovers), and backed off exponentially, honouring
 * a 429's Retry-After; the bot's `freqtrade_api` component says it is down meanwhile.
 */
import type { Logger } from '../../log';
import { TokenBucket } from '../../limits/token-bucket';
import { Backoff } from '../../retry/backoff';
import { FreqtradeClient, FreqtradeError } from './client';
import type { FreqtradeRecord } from './records';
import { ftBalance, ftHealth, ftLocks, ftProfit, ftShowConfig, ftTrade, ftTradesPage } from './records';
import { z } from 'zod';

export interface BotOptions {
  url: string;
  username: string;
  password: string;
  pollMs: number;
  slowMs: number;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Engine names already taken by other bots of this source (two bots with one bot_name). */
  taken: Set<string>;
}

export interface BotDeps {
  /** Hands records to the ingest service; false when it refused them. */
  ingest(records: FreqtradeRecord[]): Promise<boolean>;
  /** Counts a failure (tradewatch_source_errors_total{source="freqtrade",reason}). */
  error(reason: string): void;
  /** Trade ids whose orders are still active here (the store's order book). */
  activeTradeIds(engine: string): number[];
  log: Logger;
}

/**
 * Requests a minute (and burst) per endpoint, under freqtrade's limits (/status 20 a
 * minute, /trades 10 a minute). A bucket starts with one token, so in any minute, even
 * across a restart of the exporter, /status sees at most 15 + 2 + 1 = 18 requests and
 * /trades 7 + 2 + 1 = 10. The poll interval (at least 5 s) takes 12 /status a minute; the
 * other 3 (and the burst) are for the polls the message socket asks for.
 */
export const BUDGETS = {
  status: { perMinute: 15, burst: 2 },
  trades: { perMinute: 7, burst: 2 },
  trade: { perMinute: 10, burst: 3 },
  health: { perMinute: 15, burst: 2 },
  balance: { perMinute: 15, burst: 2 },
  profit: { perMinute: 15, burst: 2 },
  locks: { perMinute: 15, burst: 2 },
  show_config: { perMinute: 6, burst: 2 },
} as const;
type Endpoint = keyof typeof BUDGETS;

const PAGE = 500;

const ftStatus = z.array(z.unknown()).max(10_000);

export class FreqtradeBot {
  readonly client: FreqtradeClient;
  engine: string | null = null;
  private futures = false;
  /**
   * One token at start, not the burst: a restarted exporter must not add a full burst to
   * the requests its previous process made in the same minute.
   */
  private readonly budgets = Object.fromEntries(
    Object.entries(BUDGETS).map(([k, b]) => [
      k,
      new TokenBucket({ perSecond: b.perMinute / 60, burst: b.burst, initial: 1 }),
    ]),
  ) as Record<Endpoint, TokenBucket>;
  private stopped = false;
  private wake: (() => void) | null = null;
  private triggered = false;
  private running: Promise<void> | null = null;
  private openIds = new Set<number>();
  private closedSeen = -1;
  private needPaging = true;
  private lastSlow = 0;
  private lastHealthTs: number | null = null;
  private lastBalance = '';
  private lastProfit = '';
  private lastLocks = '';
  private readonly schemaLogged = new Set<string>();
  private apiUp: boolean | null = null;
  private failing: string | null = null;
  /** From 1 s to a minute between failed cycles. */
  private readonly backoff = new Backoff({ initialMs: 1000, maxMs: 60_000 });
  /** Wall-clock ms of the last trigger (the WebSocket), for the latency log line. */
  lastTriggerAt = 0;

  constructor(
    private readonly options: BotOptions,
    private readonly deps: BotDeps,
  ) {
    this.client = new FreqtradeClient({
      baseUrl: options.url,
      username: options.username,
      password: options.password,
      timeoutMs: options.timeoutMs,
      maxBodyBytes: options.maxBodyBytes,
    });
  }

  /** How the bot is named in logs before it has told its name. */
  get label(): string {
    return this.engine ?? new URL(this.options.url).host;
  }

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.client.close();
    this.wake?.();
    await this.running;
  }

  /**
   * Something happened (a WebSocket message): poll as soon as the budget allows; `slow`
   * also reads /balance, /profit and /locks in that poll (a protection just locked pairs).
   */
  trigger(slow = false): void {
    if (slow) this.lastSlow = 0;
    this.triggered = true;
    this.lastTriggerAt = Date.now();
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let delay = this.options.pollMs;
      try {
        await this.cycle();
        if (this.failing) {
          this.deps.log.info(
            { source: 'freqtrade', bot: this.label },
            `freqtrade ${this.label}: answering again`,
          );
          this.failing = null;
        }
        this.backoff.reset();
        await this.setApi(true);
      } catch (err) {
        if (this.stopped) break;
        delay = await this.failed(err);
      }
      if (this.stopped) break;
      // A trigger shortens the wait to what the /status budget allows.
      if (!this.triggered) await this.sleep(delay);
      if (this.triggered && !this.stopped) {
        this.triggered = false;
        const wait = this.budgets.status.waitMs();
        if (wait > 0) await this.sleep(wait);
      }
    }
  }

  private async failed(err: unknown): Promise<number> {
    const e =
      err instanceof FreqtradeError
        ? err
        : new FreqtradeError('schema', `unexpected: ${(err as Error).message}`);
    this.deps.error(e.reason);
    if (this.failing !== e.reason) {
      this.failing = e.reason;
      this.deps.log.warn(
        { source: 'freqtrade', bot: this.label, reason: e.reason },
        `freqtrade ${this.label}: ${e.message}; backing off`,
      );
    }
    // A refused login, a 429 or a bot that is down: the API is not usable for now.
    if (e.reason !== 'schema') await this.setApi(false, `${e.reason}: ${e.message}`);
    return Math.max(this.backoff.next(), e.retryAfterMs ?? 0);
  }

  private async setApi(up: boolean, error?: string): Promise<void> {
    if (this.apiUp === up || !this.engine) return;
    const ok = await this.deps.ingest([
      {
        kind: 'api',
        bot: this.engine,
        at: Date.now(),
        status: up ? 'ok' : 'down',
        ...(error ? { error } : {}),
      },
    ]);
    if (ok) this.apiUp = up;
  }

  /** Waits for a token of an endpoint's budget (bounded by the budget's rate). */
  private async spend(budget: TokenBucket): Promise<void> {
    while (!budget.take()) {
      if (this.stopped) throw new FreqtradeError('unreachable', 'stopping');
      await this.sleep(budget.waitMs());
    }
  }

  private async cycle(): Promise<void> {
    if (!this.engine) await this.identify();
    const engine = this.engine as string;
    const records: FreqtradeRecord[] = [];
    const at = () => Date.now();

    await this.spend(this.budgets.status);
    const status = await this.client.get('/status', ftStatus, () => this.spend(this.budgets.status));
    const open = new Set<number>();
    const openRealized: number[] = [];
    const positions: { amount: number; open_rate: number; is_short: boolean }[] = [];
    for (const raw of status) {
      const t = ftTrade.safeParse(raw);
      if (!t.success) {
        // A trade in a shape no known release sends (an older one without orders[], say) is
        // left out alone: counted, logged once per field, the others go on.
        this.deps.error('schema');
        const issue = t.error.issues[0];
        const where = issue.path.join('.') || '(trade)';
        if (!this.schemaLogged.has(where) && this.schemaLogged.size < 100) {
          this.schemaLogged.add(where);
          this.deps.log.warn(
            { source: 'freqtrade', bot: this.label, reason: 'schema' },
            `freqtrade ${this.label}: /status: a trade this release does not know (${where}: ${issue.message}); left out`,
          );
        }
        continue;
      }
      open.add(t.data.trade_id);
      if (t.data.realized_profit) openRealized.push(t.data.realized_profit);
      const rate = (raw as { open_rate?: unknown }).open_rate;
      if (typeof rate === 'number' && Number.isFinite(rate))
        positions.push({ amount: t.data.amount, open_rate: rate, is_short: t.data.is_short ?? false });
      records.push({ kind: 'trade', bot: engine, at: at(), trade: raw });
    }
    // Trades that left /status, or that still have active orders here: read once each.
    const gone = new Set(
      [...this.openIds, ...this.deps.activeTradeIds(engine)].filter((id) => !open.has(id)),
    );
    for (const id of gone) {
      await this.spend(this.budgets.trade);
      try {
        const trade = await this.client.get(`/trade/${id}`, z.unknown(), () =>
          this.spend(this.budgets.trade),
        );
        records.push({ kind: 'trade', bot: engine, at: at(), trade });
      } catch (err) {
        if (!(err instanceof FreqtradeError) || err.reason !== 'not_found') throw err;
        records.push({ kind: 'trade_gone', bot: engine, at: at(), trade_id: id });
      }
      if (this.closedSeen >= 0) this.closedSeen += 1;
    }

    await this.spend(this.budgets.health);
    const health = await this.client.get('/health', ftHealth, () => this.spend(this.budgets.health));
    if (health.last_process_ts !== this.lastHealthTs && health.last_process_ts) {
      records.push({ kind: 'health', bot: engine, at: at(), health });
    }

    const slow = Date.now() - this.lastSlow >= this.options.slowMs;
    let profitSeen: z.output<typeof ftProfit> | null = null;
    if (slow) {
      await this.spend(this.budgets.balance);
      const balance = await this.client.get('/balance', ftBalance, () => this.spend(this.budgets.balance));
      await this.spend(this.budgets.profit);
      const profit = await this.client.get('/profit', ftProfit, () => this.spend(this.budgets.profit));
      profitSeen = profit;
      await this.spend(this.budgets.locks);
      const locks = await this.client.get('/locks', ftLocks, () => this.spend(this.budgets.locks));
      // Only whether every pair is locked, and why, is news (a lock's end time is in its reason).
      const global = locks.locks.find((x) => x.active && x.pair === '*');
      const k = JSON.stringify(global ?? null);
      if (k !== this.lastLocks) records.push({ kind: 'locks', bot: engine, at: at(), locks });
      const b = JSON.stringify([balance, this.futures ? positions : null]);
      if (b !== this.lastBalance)
        records.push({
          kind: 'balance',
          bot: engine,
          at: at(),
          balance,
          ...(this.futures ? { futures_positions: positions } : {}),
        });
      const p = JSON.stringify([profit.profit_closed_coin, openRealized]);
      if (p !== this.lastProfit)
        records.push({ kind: 'profit', bot: engine, at: at(), profit, open_realized: openRealized });
      if (await this.deps.ingest(records)) {
        this.lastBalance = b;
        this.lastProfit = p;
        this.lastLocks = k;
        this.commit(open, health.last_process_ts ?? null);
        this.lastSlow = Date.now();
      }
    } else if (await this.deps.ingest(records)) {
      this.commit(open, health.last_process_ts ?? null);
    }
    if (profitSeen?.closed_trade_count != null && profitSeen.closed_trade_count > this.closedSeen)
      this.needPaging = true;
    if (this.needPaging) await this.page(engine);
  }

  private commit(open: Set<number>, lastHealth: number | null): void {
    this.openIds = open;
    if (lastHealth) this.lastHealthTs = lastHealth;
  }

  private async identify(): Promise<void> {
    await this.spend(this.budgets.show_config);
    const config = await this.client.get('/show_config', ftShowConfig, () =>
      this.spend(this.budgets.show_config),
    );
    const fallback = new URL(this.options.url).host;
    let name = (config.bot_name ?? '').trim() || fallback;
    // Two bots with one bot_name would be one engine: the second is told apart by its address.
    if (this.options.taken.has(name)) {
      this.deps.log.warn(
        { source: 'freqtrade', bot: name, url: this.options.url },
        `freqtrade ${name}: another bot has this bot_name; this one is engine ${name}@${fallback}`,
      );
      name = `${name}@${fallback}`;
    }
    this.options.taken.add(name);
    this.futures = config.trading_mode === 'futures' || config.trading_mode === 'margin';
    this.engine = name.slice(0, 128);
    this.deps.log.info(
      { source: 'freqtrade', bot: this.engine, url: this.options.url, stake: config.stake_currency },
      `freqtrade ${this.engine}: polling ${this.options.url} (${config.trading_mode ?? 'spot'}, ${config.dry_run ? 'dry run' : 'live'})`,
    );
  }

  /** All closed trades, page by page (a restart of either side missed some). */
  private async page(engine: string): Promise<void> {
    let offset = 0;
    let total: number;
    do {
      await this.spend(this.budgets.trades);
      const page = await this.client.get(`/trades?limit=${PAGE}&offset=${offset}`, ftTradesPage, () =>
        this.spend(this.budgets.trades),
      );
      total = page.total_trades;
      const records: FreqtradeRecord[] = page.trades.map((trade) => ({
        kind: 'trade',
        bot: engine,
        at: Date.now(),
        trade,
      }));
      if (records.length > 0 && !(await this.deps.ingest(records))) return;
      if (page.trades.length === 0) break;
      offset += page.trades.length;
    } while (offset < total && !this.stopped);
    this.closedSeen = total;
    this.needPaging = false;
  }
}
