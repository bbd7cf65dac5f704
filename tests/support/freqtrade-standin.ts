/**
 * A freqtrade API stand-in: real HTTP and a real WebSocket on loopback, serving a scripted
 * session in the shapes freqtrade's own code gives (read from freqtrade/rpc/api_server/
 * api_v1.py, api_auth.py, api_schemas.py, api_ws.py, rpc/rpc.py, rpc/rpc_types.py and
 * persistence/trade_model.py `Trade.to_json` / `Order.to_json`; none of its code is here):
 *
 * - `POST /api/v1/token/login` (HTTP Basic) → `{access_token, refresh_token}`, HS256 JWTs
 *   with `identity.u`, `type` and `exp` (access tokens expire after `accessTtlSec`, 15
 *   minutes in freqtrade); `POST /api/v1/token/refresh` with the refresh token as Bearer.
 *   Every other endpoint takes Basic or a Bearer access token, else 401.
 * - `/show_config`, `/status` (open trades with `current_rate`), `/trades?limit&offset`
 *   (closed trades ordered by id, `{trades, trades_count, offset, total_trades}`),
 *   `/trade/{id}` (404 "Trade not found." once deleted), `/balance`, `/profit`, `/health`,
 *   `/locks`.
 * - Rate limits per endpoint and minute (a newer freqtrade's: /status 20, /trades 10):
 *   over them, 429 with Retry-After.
 * - `/api/v1/message/ws?token=`: a ws_token or an access JWT, else closed with 1008;
 *   `{"type":"subscribe","data":[…]}` picks the message types; `publish` sends a message
 *   (flat: `type` beside its fields, as freqtrade's message stream does) to subscribers.
 * - Faults: the next N answers of an endpoint can be a 500, an HTML page, a truncated JSON
 *   body, a 401 or a 429.
 * - `restart()`: the server closes (sockets dropped) and opens again on the same port with
 *   the same trades, as a bot restarted on its database does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FtOrderJson {
  amount: number;
  safe_price: number;
  ft_order_side: 'buy' | 'sell' | 'stoploss';
  order_filled_timestamp: number | null;
  ft_is_entry: boolean;
  ft_order_tag: string | null;
  pair: string;
  order_id: string;
  status: string;
  average: number;
  cost: number;
  filled: number;
  is_open: boolean;
  order_date: string;
  order_timestamp: number;
  order_filled_date: string | null;
  order_type: string;
  price: number;
  remaining: number;
  ft_fee_base: number | null;
  funding_fee: number | null;
}

/** What a scripted trade states; the rest of freqtrade's fields are filled in by `tradeJson`. */
export interface ScriptedTrade {
  trade_id: number;
  pair: string;
  base_currency: string;
  quote_currency: string;
  is_open: boolean;
  is_short: boolean;
  amount: number;
  stake_amount: number;
  strategy: string;
  enter_tag: string | null;
  exit_reason: string | null;
  fee_open: number;
  fee_open_cost: number | null;
  fee_open_currency: string | null;
  fee_close: number | null;
  fee_close_cost: number | null;
  fee_close_currency: string | null;
  open_timestamp: number;
  close_timestamp: number | null;
  open_rate: number;
  close_rate: number | null;
  profit_abs: number | null;
  realized_profit: number;
  leverage: number;
  current_rate: number;
  trading_mode: 'spot' | 'futures';
  orders: FtOrderJson[];
}

export interface StandinOptions {
  botName: string;
  username: string;
  password: string;
  wsToken: string;
  stake?: string;
  tradingMode?: 'spot' | 'futures';
  accessTtlSec?: number;
  /** Requests a minute per endpoint before 429 (freqtrade's newer limits). */
  limits?: Record<string, number>;
  port?: number;
}

type Fault = '500' | 'html' | 'truncated' | '401' | '429';

const iso = (ms: number | null) =>
  ms === null ? null : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** Order.to_json (not minified) from a few facts. */
export function orderJson(o: {
  order_id: string;
  pair: string;
  side: 'buy' | 'sell' | 'stoploss';
  entry: boolean;
  amount: number;
  filled: number;
  average: number;
  status: 'open' | 'closed' | 'canceled';
  type?: string;
  price?: number;
  at: number;
  filledAt?: number | null;
  tag?: string | null;
  feeBase?: number | null;
}): FtOrderJson {
  const cost = Number((o.filled * o.average).toPrecision(15));
  return {
    amount: o.amount,
    safe_price: o.average || (o.price ?? 0),
    ft_order_side: o.side,
    order_filled_timestamp: o.filledAt ?? null,
    ft_is_entry: o.entry,
    ft_order_tag: o.tag ?? null,
    pair: o.pair,
    order_id: o.order_id,
    status: o.status,
    average: o.average,
    cost,
    filled: o.filled,
    is_open: o.status === 'open',
    order_date: iso(o.at) as string,
    order_timestamp: o.at,
    order_filled_date: iso(o.filledAt ?? null),
    order_type: o.type ?? 'limit',
    price: o.price ?? o.average,
    remaining: Number((o.amount - o.filled).toPrecision(15)),
    ft_fee_base: o.feeBase ?? null,
    funding_fee: 0,
  };
}

/** Trade.to_json (plus the open-trade fields of /status) from a scripted trade. */
export function tradeJson(t: ScriptedTrade, exchange = 'binance'): Record<string, unknown> {
  // freqtrade lists filled or open orders only (select_filled_or_open_orders).
  const orders = t.orders.filter((o) => o.is_open || o.filled > 0);
  const base: Record<string, unknown> = {
    trade_id: t.trade_id,
    pair: t.pair,
    base_currency: t.base_currency,
    quote_currency: t.quote_currency,
    is_open: t.is_open,
    exchange,
    amount: t.amount,
    amount_requested: t.amount,
    stake_amount: t.stake_amount,
    max_stake_amount: t.stake_amount,
    strategy: t.strategy,
    enter_tag: t.enter_tag,
    timeframe: 5,
    fee_open: t.fee_open,
    fee_open_cost: t.fee_open_cost,
    fee_open_currency: t.fee_open_currency,
    fee_close: t.fee_close,
    fee_close_cost: t.fee_close_cost,
    fee_close_currency: t.fee_close_currency,
    open_date: iso(t.open_timestamp),
    open_timestamp: t.open_timestamp,
    open_fill_date: iso(t.open_timestamp),
    open_fill_timestamp: t.open_timestamp,
    open_rate: t.open_rate,
    open_rate_requested: t.open_rate,
    open_trade_value: t.stake_amount,
    close_date: iso(t.close_timestamp),
    close_timestamp: t.close_timestamp,
    realized_profit: t.realized_profit,
    realized_profit_ratio: null,
    close_rate: t.close_rate,
    close_rate_requested: t.close_rate,
    close_profit: t.profit_abs === null ? null : t.profit_abs / t.stake_amount,
    close_profit_pct: null,
    close_profit_abs: t.profit_abs,
    trade_duration_s: t.close_timestamp ? Math.trunc((t.close_timestamp - t.open_timestamp) / 1000) : null,
    trade_duration: t.close_timestamp ? Math.trunc((t.close_timestamp - t.open_timestamp) / 60000) : null,
    profit_ratio: t.profit_abs === null ? null : t.profit_abs / t.stake_amount,
    profit_pct: null,
    profit_abs: t.profit_abs,
    exit_reason: t.exit_reason,
    exit_order_status: null,
    stop_loss_abs: null,
    stop_loss_ratio: null,
    stop_loss_pct: null,
    stoploss_last_update: null,
    stoploss_last_update_timestamp: null,
    initial_stop_loss_abs: null,
    initial_stop_loss_ratio: null,
    initial_stop_loss_pct: null,
    min_rate: null,
    max_rate: null,
    leverage: t.leverage,
    interest_rate: 0,
    liquidation_price: null,
    is_short: t.is_short,
    trading_mode: t.trading_mode,
    funding_fees: 0,
    amount_precision: null,
    price_precision: null,
    precision_mode: null,
    precision_mode_price: null,
    contract_size: 1,
    has_open_orders: orders.some((o) => o.is_open),
    orders,
  };
  if (t.is_open) {
    // OpenTradeSchema's additions (rpc._rpc_trade_status).
    base.current_rate = t.current_rate;
    base.total_profit_abs = t.realized_profit;
    base.stoploss_current_dist = null;
  }
  return base;
}

function b64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

export class FreqtradeStandin {
  readonly trades = new Map<number, ScriptedTrade>();
  balances: { currency: string; balance: number }[] = [];
  /** The bot's own /balance total (stake currency). */
  total = 0;
  lastProcessTs: number | null = Math.trunc(Date.now() / 1000);
  /** Reshapes each trade of /status (an older or newer release's schema). */
  statusShape: (trade: Record<string, unknown>) => Record<string, unknown> = (t) => t;
  /** Pair locks (`*` locks every pair), in the shape of LockModel. */
  locks: { pair: string; reason: string; until: number }[] = [];
  /** Requests by endpoint (path without /api/v1 and query), with their times. */
  readonly requests = new Map<string, number[]>();
  port = 0;
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly subscribers = new Map<WebSocket, Set<string>>();
  private readonly faults: { prefix: string; fault: Fault; left: number }[] = [];
  private readonly secret = `jwt-secret-${Math.random()}`;

  constructor(readonly options: StandinOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get stake(): string {
    return this.options.stake ?? 'USDT';
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/api/v1/message/ws') return socket.destroy();
      wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, url.searchParams.get('token')));
    });
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.wss = wss;
  }

  async stop(): Promise<void> {
    for (const ws of this.subscribers.keys()) ws.terminate();
    this.subscribers.clear();
    this.wss?.close();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** The bot restarts on its database: connections drop, the same trades are served again. */
  async restart(downMs = 0): Promise<void> {
    await this.stop();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  /** The next `count` answers of endpoints starting with `prefix` are `fault`. */
  inject(prefix: string, fault: Fault, count = 1): void {
    this.faults.push({ prefix, fault, left: count });
  }

  /** Sends a message-stream message to each socket subscribed to its type. */
  publish(message: { type: string } & Record<string, unknown>): void {
    const text = JSON.stringify(message);
    for (const [ws, types] of this.subscribers) if (types.has(message.type)) ws.send(text);
  }

  /** Sends raw text to every socket (garbage, unknown types). */
  publishRaw(text: string): void {
    for (const ws of this.subscribers.keys()) ws.send(text);
  }

  subscriberCount(): number {
    return this.subscribers.size;
  }

  countOf(endpoint: string, sinceMs = 0): number {
    return (this.requests.get(endpoint) ?? []).filter((t) => t >= sinceMs).length;
  }

  private jwt(type: 'access' | 'refresh', ttlSec: number): string {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const now = Math.trunc(Date.now() / 1000);
    const payload = b64url(
      JSON.stringify({ identity: { u: this.options.username }, exp: now + ttlSec, iat: now, type }),
    );
    const sig = b64url(createHmac('sha256', this.secret).update(`${header}.${payload}`).digest());
    return `${header}.${payload}.${sig}`;
  }

  /** freqtrade's get_user_from_token: signature, expiry and token type. */
  private tokenValid(token: string, type: 'access' | 'refresh'): boolean {
    const [h, p, s] = token.split('.');
    if (!h || !p || !s) return false;
    const want = createHmac('sha256', this.secret).update(`${h}.${p}`).digest();
    const got = Buffer.from(s, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return false;
    try {
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { exp: number; type: string };
      return claims.type === type && claims.exp * 1000 > Date.now();
    } catch {
      return false;
    }
  }

  private basicValid(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const [u, ...rest] = Buffer.from(header.slice(6), 'base64').toString().split(':');
    return u === this.options.username && rest.join(':') === this.options.password;
  }

  private onSocket(ws: WebSocket, token: string | null): void {
    // validate_ws_token: a ws_token, or a JWT access token; else policy violation.
    if (!token || (token !== this.options.wsToken && !this.tokenValid(token, 'access'))) {
      ws.close(1008);
      return;
    }
    this.subscribers.set(ws, new Set());
    ws.on('message', (data) => {
      try {
        const req = JSON.parse(data.toString()) as { type: string; data: unknown };
        if (req.type === 'subscribe' && Array.isArray(req.data))
          this.subscribers.set(ws, new Set(req.data as string[]));
      } catch {
        // freqtrade logs and ignores a bad request
      }
    });
    ws.on('close', () => this.subscribers.delete(ws));
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const now = Date.now();
    const key = path.startsWith('/trade/') ? '/trade' : path;
    const times = this.requests.get(key) ?? [];
    times.push(now);
    this.requests.set(key, times);

    const fault = this.faults.find((f) => f.left > 0 && path.startsWith(f.prefix));
    if (fault) {
      fault.left -= 1;
      if (fault.fault === '500') return this.send(res, 500, { detail: 'Internal Server Error' });
      if (fault.fault === '401') return this.send(res, 401, { detail: 'Unauthorized' });
      if (fault.fault === '429')
        return this.send(res, 429, { detail: 'Rate limit exceeded' }, { 'retry-after': '1' });
      if (fault.fault === 'html') {
        // What a URL pointing at FreqUI or at a proxy's login page answers: 200, a page.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end('<!DOCTYPE html><html><head><title>FreqUI</title></head><body></body></html>');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"trades": [{"trade_id": 1, "pair": "XRP/US');
    }

    const limit = this.options.limits?.[key];
    if (limit !== undefined && times.filter((t) => t > now - 60_000).length > limit)
      return this.send(
        res,
        429,
        { error: `Rate limit exceeded: ${limit} per 1 minute` },
        { 'retry-after': '60' },
      );

    if (path === '/token/login' && req.method === 'POST') {
      if (!this.basicValid(req.headers.authorization))
        return this.send(res, 401, { detail: 'Incorrect username or password' });
      return this.send(res, 200, {
        access_token: this.jwt('access', this.options.accessTtlSec ?? 900),
        refresh_token: this.jwt('refresh', 30 * 86400),
      });
    }
    if (path === '/token/refresh' && req.method === 'POST') {
      const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!this.tokenValid(bearer, 'refresh'))
        return this.send(res, 401, { detail: 'Could not validate credentials' });
      return this.send(res, 200, { access_token: this.jwt('access', this.options.accessTtlSec ?? 900) });
    }
    // http_basic_or_jwt_token
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    if (bearer ? !this.tokenValid(bearer, 'access') : !this.basicValid(auth))
      return this.send(res, 401, { detail: bearer ? 'Could not validate credentials' : 'Unauthorized' });

    if (path === '/show_config')
      return this.send(res, 200, {
        version: '2024.10-standin',
        api_version: 2.34,
        dry_run: true,
        trading_mode: this.options.tradingMode ?? 'spot',
        short_allowed: this.options.tradingMode === 'futures',
        stake_currency: this.stake,
        stake_amount: 'unlimited',
        stake_currency_decimals: 3,
        max_open_trades: 5,
        minimal_roi: { '0': 0.1 },
        stoploss: -0.1,
        stoploss_on_exchange: false,
        timeframe: '5m',
        timeframe_ms: 300000,
        timeframe_min: 5,
        exchange: 'binance',
        strategy: 'SampleStrategy',
        force_entry_enable: false,
        exit_pricing: {},
        entry_pricing: {},
        bot_name: this.options.botName,
        state: 'running',
        runmode: 'dry_run',
        position_adjustment_enable: false,
        max_entry_position_adjustment: -1,
      });
    if (path === '/status')
      return this.send(
        res,
        200,
        [...this.trades.values()].filter((t) => t.is_open).map((t) => this.statusShape(tradeJson(t))),
      );
    if (path === '/trades') {
      const lim = Math.min(Number(url.searchParams.get('limit') ?? 500), 500);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const closed = [...this.trades.values()]
        .filter((t) => !t.is_open)
        .sort((a, b) => a.trade_id - b.trade_id);
      const page = closed.slice(offset, offset + lim).map((t) => tradeJson(t));
      return this.send(res, 200, {
        trades: page,
        trades_count: page.length,
        offset,
        total_trades: closed.length,
      });
    }
    if (path.startsWith('/trade/')) {
      const t = this.trades.get(Number(path.slice(7)));
      if (!t) return this.send(res, 404, { detail: 'Trade not found.' });
      return this.send(res, 200, tradeJson(t));
    }
    if (path === '/balance')
      return this.send(res, 200, {
        currencies: this.balances.map((b) => ({
          currency: b.currency,
          free: b.balance,
          balance: b.balance,
          used: 0,
          bot_owned: b.balance,
          est_stake: b.balance,
          est_stake_bot: b.balance,
          stake: this.stake,
          side: 'long',
          is_position: false,
          position: 0,
          is_bot_managed: true,
        })),
        total: this.total,
        total_bot: this.total,
        symbol: this.stake,
        value: this.total,
        value_bot: this.total,
        stake: this.stake,
        note: 'Simulated balances',
        starting_capital: 1000,
        starting_capital_ratio: 0,
        starting_capital_pct: 0,
        starting_capital_fiat: 0,
        starting_capital_fiat_ratio: 0,
        starting_capital_fiat_pct: 0,
      });
    if (path === '/profit') {
      const closed = [...this.trades.values()].filter((t) => !t.is_open);
      const sum = closed.reduce((s, t) => s + (t.profit_abs ?? 0), 0);
      return this.send(res, 200, {
        profit_closed_coin: Number(sum.toPrecision(12)),
        profit_all_coin: Number(sum.toPrecision(12)),
        trade_count: this.trades.size,
        closed_trade_count: closed.length,
        winning_trades: closed.filter((t) => (t.profit_abs ?? 0) > 0).length,
        losing_trades: closed.filter((t) => (t.profit_abs ?? 0) < 0).length,
      });
    }
    if (path === '/locks') {
      const locks = this.locks.map((l, i) => ({
        id: i + 1,
        active: l.until > Date.now(),
        lock_end_time: iso(l.until),
        lock_end_timestamp: l.until,
        lock_time: iso(now),
        lock_timestamp: now,
        pair: l.pair,
        side: '*',
        reason: l.reason,
      }));
      return this.send(res, 200, { lock_count: locks.length, locks });
    }
    if (path === '/health')
      return this.send(res, 200, {
        last_process: this.lastProcessTs === null ? null : new Date(this.lastProcessTs * 1000).toISOString(),
        last_process_ts: this.lastProcessTs,
        bot_start: null,
        bot_start_ts: null,
        bot_startup: null,
        bot_startup_ts: null,
      });
    return this.send(res, 404, { detail: 'Not Found' });
  }
}
