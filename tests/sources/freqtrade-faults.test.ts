/**
 * Bad input from freqtrade, through a real exporter: 500s, an HTML page, a truncated JSON
 * body, a 429, refused credentials, garbage and unknown types on the message socket. Each
 * cause is counted (tradewatch_source_errors_total{source,reason}), logged once with the
 * bot's name, backed off; the exporter never crashes, counts nothing twice and recovers;
 * credentials never reach the logs.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { FreqtradeStandin } from '../support/freqtrade-standin';
import { scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';
import { adaPartialEntry, alphaHistory, linkEntry } from './freqtrade-session';

jest.setTimeout(180_000);

const PASSWORD = 'pw-Secret-faults-5521';
const WS_TOKEN = 'wstoken-Secret-faults-77';

let gamma: FreqtradeStandin;
let locked: FreqtradeStandin;
let ex: RunningExporter;
/** A bot that accepts connections and never answers. */
let hanging: Server;
const hangingSockets = new Set<Socket>();

async function errors(reason: string): Promise<number> {
  return sumOf(await scrape(ex.baseUrl), 'tradewatch_source_errors_total', { source: 'freqtrade', reason });
}

async function errorsReach(reason: string, n: number): Promise<void> {
  await waitFor(`${n} ${reason} errors`, async () => (await errors(reason)) >= n, 30_000, 200);
}

/** Log lines (JSON) of the exporter that name a reason. */
function linesWith(reason: string): string[] {
  return ex
    .output()
    .split('\n')
    .filter((l) => l.includes(`"reason":"${reason}"`));
}

beforeAll(async () => {
  gamma = new FreqtradeStandin({ botName: 'gamma', username: 'ft', password: PASSWORD, wsToken: WS_TOKEN });
  alphaHistory(gamma, Date.now());
  // A bot whose api_server has other credentials than tradewatch was given.
  locked = new FreqtradeStandin({ botName: 'locked', username: 'ft', password: 'another-one', wsToken: 'x' });
  await gamma.start();
  await locked.start();
  hanging = createServer((socket) => {
    hangingSockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()));
  const hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  ex = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'freqtrade',
      TRADEWATCH_FREQTRADE_URL: `${gamma.url},${locked.url},${hangingUrl}`,
      TRADEWATCH_FREQTRADE_USERNAME: 'ft',
      TRADEWATCH_FREQTRADE_PASSWORD: PASSWORD,
      TRADEWATCH_FREQTRADE_WS_TOKEN: WS_TOKEN,
      TRADEWATCH_FREQTRADE_POLL_INTERVAL: '5s',
      TRADEWATCH_VALUATION_CURRENCY: 'USDT',
    },
  });
  await waitFor(
    'gamma read',
    async () => sumOf(await scrape(ex.baseUrl), 'trading_fills_total', { engine: 'gamma' }) === 4,
    30_000,
  );
});

afterAll(async () => {
  await ex?.stop();
  await gamma?.stop();
  await locked?.stop();
  for (const socket of hangingSockets) socket.destroy();
  await new Promise((resolve) => hanging?.close(resolve));
});

test('refused credentials: counted, one line naming the bot, no password anywhere', async () => {
  await errorsReach('unauthorized', 2);
  const lines = linesWith('unauthorized');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`freqtrade 127.0.0.1:${locked.port}: /token/login: 401 (credentials refused)`);
});

test.each([
  ['500', '/status', 'server_error', '/status: 500'],
  ['html', '/status', 'html', 'an HTML page instead of JSON'],
  ['truncated', '/status', 'malformed_json', 'malformed JSON'],
  ['429', '/health', 'rate_limited', '/health: 429 Too Many Requests'],
] as const)(
  'a %s from %s: counted per answer, logged once, backed off, recovered',
  async (fault, path, reason, words) => {
    const before = await errors(reason);
    gamma.inject(path, fault, 3);
    await errorsReach(reason, before + 3);
    const lines = linesWith(reason);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`freqtrade gamma: ${path.replace(/^\//, '/')}`);
    expect(lines[0]).toContain(words);
    expect(lines[0]).toContain('backing off');
    // Back: the API component is up again and the figures did not move.
    await waitFor(
      'gamma answering again',
      async () =>
        sumOf(await scrape(ex.baseUrl), 'trading_component_up', {
          engine: 'gamma',
          component: 'freqtrade_api',
        }) === 1,
      30_000,
    );
    const s = await scrape(ex.baseUrl);
    expect(sumOf(s, 'trading_fills_total', { engine: 'gamma' })).toBe(4);
    expect(sumOf(s, 'trading_realized_pnl', { engine: 'gamma', symbol: 'XRP/USDT' })).toBe(9.89);
  },
);

test('an access token refused twice (the bot restarted with a new secret): renewed, then counted', async () => {
  const before = await errors('unauthorized');
  gamma.inject('/status', '401', 2);
  await errorsReach('unauthorized', before + 1);
  await waitFor(
    'the line for gamma',
    async () => linesWith('unauthorized').some((l) => l.includes('freqtrade gamma: /status: 401')),
    30_000,
  );
  expect(sumOf(await scrape(ex.baseUrl), 'trading_fills_total', { engine: 'gamma' })).toBe(4);
});

test('the message socket: garbage and unknown types are counted and logged once; warnings become alerts', async () => {
  await waitFor('the socket', async () => gamma.subscriberCount() > 0, 20_000);
  gamma.publishRaw('{"type": "entry_fill", "trade_id": 1, "pair": "XRP/US');
  gamma.publishRaw('{"type": "entry_fill", "trade_id": 1, "pair": "XRP/US');
  gamma.publishRaw(JSON.stringify({ type: 'market_direction', data: 'long' }));
  gamma.publishRaw(JSON.stringify({ type: 'market_direction', data: 'long' }));
  gamma.publish({ type: 'warning', status: 'Bot is stopping: exchange unreachable' });
  await errorsReach('ws_malformed', 2);
  await errorsReach('ws_unknown_message', 2);
  expect(linesWith('ws_malformed')).toHaveLength(1);
  expect(linesWith('ws_unknown_message')).toHaveLength(1);
  expect(linesWith('ws_unknown_message')[0]).toContain('market_direction');
  const alerts = await waitFor(
    'the warning as an alert',
    async () => {
      const res = await fetch(`${ex.baseUrl}/api/v1/alerts/history?engine=gamma`, {
        headers: { Authorization: `Bearer ${ex.viewerToken}` },
      });
      const body = (await res.json()) as { alerts: { name: string; message: string }[] };
      return body.alerts.length > 0 && body.alerts;
    },
    20_000,
  );
  expect(alerts[0]).toMatchObject({
    name: 'freqtrade_warning',
    message: 'Bot is stopping: exchange unreachable',
  });
});

test('schemas of other releases: new fields pass; a trade without orders[] is left out alone, counted, logged once', async () => {
  const now = Date.now();
  adaPartialEntry(gamma, now);
  linkEntry(gamma, now);
  // A newer release: fields tradewatch does not know.
  gamma.statusShape = (t) => ({ ...t, funding_fee_running: 0.1, orders_v3: [] });
  await waitFor(
    'both open trades read',
    async () => sumOf(await scrape(ex.baseUrl), 'trading_orders_active', { engine: 'gamma' }) === 2,
    30_000,
  );
  const before = await errors('schema');
  // An older release: no orders[] in the LINK trade; ADA's entry fills meanwhile.
  gamma.statusShape = (t) => {
    if (t.trade_id !== 5) return t;
    const { orders: _dropped, ...rest } = t;
    return rest;
  };
  const ada = gamma.trades.get(3)!;
  ada.orders = ada.orders.map((o) => ({
    ...o,
    filled: 200,
    average: 0.995,
    cost: 199,
    status: 'closed',
    is_open: false,
  }));
  await waitFor(
    "ADA's fill applied while LINK is left out",
    async () =>
      sumOf(await scrape(ex.baseUrl), 'trading_position_quantity', {
        engine: 'gamma',
        symbol: 'ADA/USDT',
      }) === 200,
    30_000,
  );
  await errorsReach('schema', before + 2);
  const lines = linesWith('schema');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('freqtrade gamma: /status: a trade this release does not know (orders');
  gamma.statusShape = (t) => t;
});

test('the exporter lived through it all and never logged a credential', async () => {
  expect(ex.process.exitCode).toBeNull();
  expect((await fetch(`${ex.baseUrl}/readyz`)).ok).toBe(true);
  expect(ex.output()).not.toContain(PASSWORD);
  expect(ex.output()).not.toContain(WS_TOKEN);
  expect(ex.output()).not.toContain('another-one');
});

test('a bot that never answers: each request times out after 10 s, counted, one line naming it', async () => {
  await errorsReach('timeout', 1);
  const lines = linesWith('timeout');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(
    `freqtrade 127.0.0.1:${(hanging.address() as AddressInfo).port}: /token/login: no answer within 10000 ms`,
  );
  expect(ex.process.exitCode).toBeNull();
});
