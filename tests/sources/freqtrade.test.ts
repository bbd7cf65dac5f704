/**
 * TRADEWATCH_SOURCE=freqtrade through a real exporter process against two freqtrade API
 * stand-ins (real HTTP, real WebSocket, login, JWT expiry, rate limits): the hand-worked
 * session of freqtrade-session.ts, a restart of the bot and a kill -9 of the exporter in
 * the middle, checked on /metrics exactly and against freqtrade's own profit.
 */
import { FreqtradeStandin } from '../support/freqtrade-standin';
import { scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';
import { openFeed, type RawFeed } from '../feed/support';
import {
  adaEntryFilled,
  adaPartialEntry,
  adaPartialExit,
  alphaHistory,
  btcShortClose,
  btcShortOpen,
  linkEntry,
  solRoundTrip,
} from './freqtrade-session';

jest.setTimeout(240_000);

const PASSWORD = 'pw-Secret-freqtrade-91';
const WS_TOKEN = 'wstoken-Secret-3317';
const LIMITS = { '/status': 20, '/trades': 10 };

let alpha: FreqtradeStandin;
let beta: FreqtradeStandin;
let ex: RunningExporter;
let dataDir: string;
let started = 0;
const outputs: string[] = [];

function env(): Record<string, string> {
  return {
    TRADEWATCH_SOURCE: 'freqtrade',
    TRADEWATCH_FREQTRADE_URL: `${alpha.url},${beta.url}`,
    TRADEWATCH_FREQTRADE_USERNAME: 'freqtrader',
    TRADEWATCH_FREQTRADE_PASSWORD: PASSWORD,
    TRADEWATCH_FREQTRADE_WS_TOKEN: WS_TOKEN,
    // Polls 6 times a minute: the /status budget (15) has room for the polls the socket asks for.
    TRADEWATCH_FREQTRADE_POLL_INTERVAL: '10s',
    TRADEWATCH_FREQTRADE_BALANCE_INTERVAL: '4s',
    TRADEWATCH_VALUATION_CURRENCY: 'USDT',
  };
}

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  return sumOf(await scrape(ex.baseUrl), name, labels);
}

/** Waits until a metric reads `want` (exactly), and returns it. */
async function until(name: string, labels: Record<string, string>, want: number, timeoutMs = 30_000) {
  let last = NaN;
  await waitFor(
    `${name}${JSON.stringify(labels)} = ${want} (last ${last})`,
    async () => {
      last = await metric(name, labels);
      return last === want;
    },
    timeoutMs,
    250,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last ${last}`);
  });
}

async function history(path: string): Promise<any> {
  const res = await fetch(`${ex.baseUrl}/api/v1/${path}`, {
    headers: { Authorization: `Bearer ${ex.viewerToken}` },
  });
  return res.json();
}

beforeAll(async () => {
  const now = Date.now();
  alpha = new FreqtradeStandin({
    botName: 'alpha',
    username: 'freqtrader',
    password: PASSWORD,
    wsToken: WS_TOKEN,
    // Access tokens expire every few seconds: the source must refresh them under way.
    accessTtlSec: 5,
    limits: LIMITS,
  });
  beta = new FreqtradeStandin({
    botName: 'beta',
    username: 'freqtrader',
    password: PASSWORD,
    wsToken: WS_TOKEN,
    tradingMode: 'futures',
    limits: LIMITS,
  });
  alphaHistory(alpha, now);
  btcShortOpen(beta, now);
  await alpha.start();
  await beta.start();
  started = Date.now();
  ex = await startExporter({ env: env() });
  dataDir = ex.dataDir;
});

afterAll(async () => {
  outputs.push(ex?.output() ?? '');
  await ex?.stop();
  await alpha?.stop();
  await beta?.stop();
});

test('closed trades from before tradewatch looked are read from /trades; two bots are two engines', async () => {
  // Trades 1 and 2: 9.89 − 20.38.
  await until('trading_realized_pnl', { engine: 'alpha', symbol: 'DOGE/USDT' }, -20.38);
  expect(await metric('trading_realized_pnl', { engine: 'alpha', symbol: 'XRP/USDT' })).toBe(9.89);
  expect(await metric('trading_fills_total', { engine: 'alpha' })).toBe(4);
  // Beta's open short: −0.01 BTC at 50000, marked at 49000; equity = wallet 999.75 + 10.
  await until('trading_position_quantity', { engine: 'beta', symbol: 'BTC/USDT' }, -0.01);
  expect(await metric('trading_position_avg_price', { engine: 'beta', symbol: 'BTC/USDT' })).toBe(50000);
  await waitFor(
    'beta equity',
    async () => Math.abs((await metric('trading_equity', { engine: 'beta' })) - 1009.75) < 1e-9,
    30_000,
  );
  expect(await metric('trading_engine_reported_equity', { engine: 'beta' })).toBe(1009.75);
  expect(await metric('trading_component_up', { engine: 'alpha', component: 'freqtrade_api' })).toBe(1);
  // The heartbeat: /health's last_process_ts.
  await until(
    'trading_engine_last_process_timestamp_seconds',
    { engine: 'alpha' },
    alpha.lastProcessTs as number,
  );
});

test('a fill whenever filled rises, at the exact average of the rise; the WebSocket brings it at once', async () => {
  adaPartialEntry(alpha, Date.now());
  await until('trading_position_quantity', { engine: 'alpha', symbol: 'ADA/USDT' }, 120);
  expect(await metric('trading_position_avg_price', { engine: 'alpha', symbol: 'ADA/USDT' })).toBe(0.99);
  await waitFor('the message socket to subscribe', async () => alpha.subscriberCount() > 0, 20_000);

  const feed: RawFeed = await openFeed(ex.baseUrl, { token: ex.viewerToken });
  feed.send({ op: 'subscribe', channel: 'fills', filter: { engine: 'alpha' } });
  await feed.next((m) => m.type === 'snapshot' && m.channel === 'fills');
  // Right after a regular poll, so that the next one is seconds away: the socket must do it.
  const polls = alpha.countOf('/status');
  await waitFor('a regular poll', async () => alpha.countOf('/status') > polls, 10_000, 20);
  const t0 = Date.now();
  adaEntryFilled(alpha, t0);
  alpha.publish({ type: 'entry_fill', trade_id: 3, pair: 'ADA/USDT', amount: 200, open_rate: 0.995 });
  const update = await feed.next(
    (m) => m.type === 'update' && m.upserts?.some((f: any) => f.fill_id === 'a-3-buy@200'),
    20_000,
  );
  const latency = Date.now() - t0;
  feed.close();
  const fill = update.upserts.find((f: any) => f.fill_id === 'a-3-buy@200');
  // (199 − 118.8) / 80 = 1.0025; the fee 0.001 × (199 − 118.8) = 0.0802.
  expect(fill).toMatchObject({
    engine: 'alpha',
    symbol: 'ADA/USDT',
    side: 'buy',
    quantity: 80,
    price: 1.0025,
  });
  expect(fill.fee).toBe(0.0802);
  console.log(`freqtrade: fill in the stand-in to the row on the feed: ${latency} ms`);
  // The next regular poll was about 10 s away.
  expect(latency).toBeLessThan(2500);
  await until('trading_position_avg_price', { engine: 'alpha', symbol: 'ADA/USDT' }, 0.995);
});

test('the bot restarts (down 6 s) while trade 3 exits half and beta covers its short: nothing missed, nothing twice', async () => {
  const restarting = alpha.restart(6000);
  adaPartialExit(alpha, Date.now());
  await restarting;
  btcShortClose(beta, Date.now());
  beta.publish({ type: 'exit_fill', trade_id: 6, pair: 'BTC/USDT:USDT', profit_amount: 19.51 });
  // 100 × (1.10 − 0.995) − 0.11 − 0.199 = 10.191.
  await until('trading_realized_pnl', { engine: 'alpha', symbol: 'ADA/USDT' }, 10.191);
  await until('trading_realized_pnl', { engine: 'beta' }, 19.51);
  await until('trading_component_up', { engine: 'alpha', component: 'freqtrade_api' }, 1);
  expect(await metric('trading_fills_total', { engine: 'alpha' })).toBe(7);
  // The dropped message socket (and any poll that met the bot down) was counted.
  expect(
    await metric('tradewatch_source_errors_total', { source: 'freqtrade', reason: 'ws_closed' }),
  ).toBeGreaterThan(0);
  // The socket came back after the restart.
  await waitFor('the message socket to subscribe again', async () => alpha.subscriberCount() > 0, 30_000);
});

test('the exporter is killed (-9) while trade 4 (fee in base) opens and closes: read on restart, nothing twice', async () => {
  await ex.kill();
  outputs.push(ex.output());
  solRoundTrip(alpha, Date.now());
  ex = await startExporter({ env: env(), dataDir });
  // −0.01 × 20 + 9.99 × 2 − 0.21978 = 19.56022.
  await until('trading_realized_pnl', { engine: 'alpha', symbol: 'SOL/USDT' }, 19.56022);
  expect(await metric('trading_realized_pnl', { engine: 'alpha', symbol: 'ADA/USDT' })).toBe(10.191);
  expect(await metric('trading_fills_total', { engine: 'alpha' })).toBe(9);
  expect(await metric('trading_fees_paid_total', { engine: 'alpha', currency: 'SOL' })).toBe(0.01);
  expect(await metric('trading_position_quantity', { engine: 'alpha', symbol: 'SOL/USDT' })).toBe(0);
  expect(await metric('trading_realized_pnl', { engine: 'beta' })).toBe(19.51);
  expect(await metric('trading_fills_total', { engine: 'beta' })).toBe(2);
});

test('an entry cancelled before it fills: freqtrade deletes the trade, the order is canceled', async () => {
  linkEntry(alpha, Date.now());
  alpha.publish({ type: 'entry', trade_id: 5, pair: 'LINK/USDT', amount: 50, open_rate: 10 });
  await until('trading_orders_active', { engine: 'alpha' }, 1);
  alpha.trades.delete(5);
  alpha.publish({ type: 'entry_cancel', trade_id: 5, pair: 'LINK/USDT', reason: 'timeout' });
  await until('trading_orders_active', { engine: 'alpha' }, 0);
  expect(await metric('trading_orders_closed_total', { engine: 'alpha', status: 'canceled' })).toBe(1);
  expect(await metric('trading_fills_total', { engine: 'alpha' })).toBe(9);
});

test('a protection locks every pair: the bot is halted until the lock ends', async () => {
  alpha.locks = [
    { pair: '*', reason: 'StoplossGuard: 4 stoplosses in 60 min', until: Date.now() + 3_600_000 },
  ];
  alpha.publish({
    type: 'protection_trigger_global',
    pair: '*',
    reason: 'StoplossGuard',
    lock_end_time: 'soon',
  });
  await until('trading_halted', { engine: 'alpha' }, 1);
  expect(await metric('trading_halted', { engine: 'beta' })).toBe(0);
  alpha.locks = [];
  await until('trading_halted', { engine: 'alpha' }, 0);
  expect(await metric('trading_halts_total', { engine: 'alpha' })).toBe(1);
});

test('the hand-worked figures, exactly, and freqtrade’s own profit beside them', async () => {
  await until('trading_engine_reported_realized_pnl', { engine: 'alpha' }, 19.36092);
  await until('trading_engine_reported_equity', { engine: 'alpha' }, 1024.76122);
  const s = await scrape(ex.baseUrl);
  const a = { engine: 'alpha' };
  // Each symbol's realized PnL is exact; their sum (19.26122) is taken here in doubles.
  const realized = { 'XRP/USDT': 9.89, 'DOGE/USDT': -20.38, 'ADA/USDT': 10.191, 'SOL/USDT': 19.56022 };
  for (const [symbol, pnl] of Object.entries(realized))
    expect(sumOf(s, 'trading_realized_pnl', { ...a, symbol })).toBe(pnl);
  expect(sumOf(s, 'trading_realized_pnl', a)).toBeCloseTo(19.26122, 9);
  expect(sumOf(s, 'trading_unrealized_pnl', { ...a, symbol: 'ADA/USDT' })).toBe(5.5);
  // The exporter sums equity in doubles (state/equity-valuation.ts): 1024.7612199999999.
  expect(sumOf(s, 'trading_equity', a)).toBeCloseTo(1024.76122, 9);
  expect(sumOf(s, 'trading_position_quantity', { ...a, symbol: 'ADA/USDT' })).toBe(100);
  expect(sumOf(s, 'trading_fees_paid_total', { ...a, currency: 'USDT' })).toBe(1.01878);
  expect(sumOf(s, 'trading_fees_paid_total', { ...a, currency: 'SOL' })).toBe(0.01);
  expect(sumOf(s, 'trading_cash_balance', { ...a, currency: 'USDT' })).toBe(919.76122);
  expect(sumOf(s, 'trading_engine_reported_equity', a)).toBe(1024.76122);
  expect(sumOf(s, 'trading_signals_total', { ...a, decision: 'approved' })).toBe(9);
  expect(sumOf(s, 'trading_equity', { engine: 'beta' })).toBeCloseTo(1019.51, 9);
  expect(sumOf(s, 'trading_engine_reported_realized_pnl', { engine: 'beta' })).toBe(19.51);
  expect(sumOf(s, 'trading_fees_paid_total', { engine: 'beta', currency: 'USDT' })).toBe(0.49);

  // Closed trades: our round trips against freqtrade's profit_abs, to the cent.
  const trips = (await history('round-trips?engine=alpha')).round_trips as { symbol: string; pnl: number }[];
  const closed = trips.filter((t) => ['XRP/USDT', 'DOGE/USDT', 'SOL/USDT'].includes(t.symbol));
  expect(closed).toHaveLength(3);
  const ours = closed.reduce((sum, t) => sum + t.pnl, 0);
  const theirs = [...alpha.trades.values()]
    .filter((t) => !t.is_open)
    .reduce((sum, t) => sum + (t.profit_abs ?? 0), 0);
  expect(Math.round(ours * 100)).toBe(Math.round(theirs * 100));
  expect(Math.round(ours * 100)).toBe(907);
});

test('the poll budget stays under freqtrade’s rate limits; credentials never reach the logs', async () => {
  const minutes = (Date.now() - started) / 60_000;
  for (const bot of [alpha, beta]) {
    const perMinute: Record<string, number> = {};
    for (const [endpoint, times] of bot.requests) {
      perMinute[endpoint] = Math.round((times.length / minutes) * 10) / 10;
      const limit = LIMITS[endpoint as keyof typeof LIMITS];
      if (limit === undefined) continue;
      // Every sliding minute holds at most the limit.
      for (const t of times)
        expect(times.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(limit);
    }
    console.log(
      `freqtrade ${bot.options.botName}: requests per minute over ${minutes.toFixed(1)} min`,
      perMinute,
    );
  }
  expect(await metric('tradewatch_source_errors_total', { reason: 'rate_limited' })).toBe(0);
  expect(await metric('tradewatch_source_errors_total', { reason: 'unauthorized' })).toBe(0);
  // The 5-second access tokens were refreshed, not replaced by new logins each time.
  expect(alpha.countOf('/token/refresh')).toBeGreaterThan(0);
  const all = outputs.join('') + ex.output();
  expect(all).toContain('freqtrade alpha');
  expect(all).not.toContain(PASSWORD);
  expect(all).not.toContain(WS_TOKEN);
  const metrics = await (await fetch(`${ex.baseUrl}/metrics`)).text();
  expect(metrics).not.toContain(PASSWORD);
});
