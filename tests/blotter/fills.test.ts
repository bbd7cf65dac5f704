/**
 * The blotter's fills mode in a real browser (Debian's Chromium through playwright-core)
 * against the real exporter running the demo engine, with its trade history on (SQLite, the
 * default): the standalone page at /blotter/?mode=fills, fills live on the tape, newest first,
 * with the PnL each realized colored by its sign; after a reload the tape starts from the
 * feed's snapshot, read from the history. Saves grafana-plugin/docs/fills-tape.png (README).
 *
 * Needs the builds: exporter (npm run build) and grafana-plugin's standalone build
 * (cd grafana-plugin && npm run build:standalone).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { TEST_IDS } from '../../grafana-plugin/src/constants';
import { REPO, postEvents, startExporter, type RunningExporter } from '../support/exporter';
import browser from '../support/chromium.json';

jest.setTimeout(120_000);

const STANDALONE = path.join(REPO, 'grafana-plugin', 'dist-standalone', 'index.html');
const SCREENSHOT = path.join(REPO, 'grafana-plugin', 'docs', 'fills-tape.png');
const id = (testId: string) => `[data-testid="${testId}"]`;
const fillSel = (fillId: string) => `${id(TEST_IDS.fills.row)}[data-fill-id="${fillId}"]`;
const ENGINE = 'tape-test';

let exporter: RunningExporter;
let context: BrowserContext;
let page: Page;
let profile: string;
const pageErrors: string[] = [];

function fillEvent(
  fillId: string,
  side: 'buy' | 'sell',
  price: number,
  fields: Record<string, unknown> = {},
) {
  return {
    type: 'fill',
    ts: Date.now(),
    engine: ENGINE,
    fill_id: fillId,
    order_id: `${fillId}-o`,
    symbol: 'XRP/USD',
    side,
    price,
    quantity: 100,
    fee: 0.01,
    fee_currency: 'USD',
    strategy: 'e2e',
    ...fields,
  };
}

/** The text of one cell of a fill row. */
async function cell(fillId: string, column: string): Promise<string> {
  return (
    (await page
      .locator(`${fillSel(fillId)} ${id(TEST_IDS.fills.cell)}[data-column="${column}"]`)
      .textContent()) ?? ''
  );
}

/** Fill ids on the tape, top to bottom. */
async function tapeIds(): Promise<string[]> {
  return page.locator(id(TEST_IDS.fills.row)).evaluateAll((rows) =>
    rows
      .map((r) => ({ id: r.getAttribute('data-fill-id') ?? '', top: r.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.id),
  );
}

beforeAll(async () => {
  if (!existsSync(STANDALONE)) {
    throw new Error(
      `no standalone blotter build at ${STANDALONE}: run "npm run build:standalone" in grafana-plugin`,
    );
  }
  if (!existsSync(browser.executablePath)) {
    throw new Error(`${browser.executablePath} is missing: apt-get install -y chromium`);
  }
  exporter = await startExporter();
  profile = mkdtempSync(path.join(tmpdir(), 'tradewatch-fills-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    headless: true,
    args: browser.args,
    viewport: { width: 1400, height: 800 },
    colorScheme: 'dark',
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await context?.close();
  await exporter?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('?mode=fills shows the demo fills live on the tape, newest first', async () => {
  await page.goto(`${exporter.baseUrl}/blotter/?mode=fills`);
  await page.fill(id(TEST_IDS.standalone.token), exporter.viewerToken);
  await page.click(id(TEST_IDS.standalone.connect));
  await page.waitForSelector(`${id(TEST_IDS.connection.root)}[data-status="live"]`, { timeout: 10_000 });
  expect(await page.getAttribute(id(TEST_IDS.standalone.mode), 'data-mode')).toBe('fills');
  await page.waitForSelector(id(TEST_IDS.fills.row), { timeout: 15_000 });
  const first = await tapeIds();
  // the demo keeps filling: a fill not on the tape before appears at the top
  await page.waitForFunction(
    ({ sel, seen }) => {
      const top = document.querySelector(sel);
      return top !== null && !seen.includes(top.getAttribute('data-fill-id') ?? '');
    },
    { sel: id(TEST_IDS.fills.row), seen: first },
    { timeout: 15_000 },
  );
  const headers = await page.locator(`${id(TEST_IDS.fills.grid)} [role="columnheader"]`).allTextContents();
  expect(headers).toEqual([
    'Time',
    'Engine',
    'Symbol',
    'Side',
    'Price',
    'Quantity',
    'Fee',
    'Realized PnL',
    'Strategy',
  ]);
  expect(pageErrors).toEqual([]);
});

test('a round trip posted through the ingest API is on the tape within 1 s, each fill with the PnL it realized', async () => {
  const stamp = Date.now();
  const buy = `${stamp}-buy`;
  const sell = `${stamp}-sell`;
  const t0 = Date.now();
  expect((await postEvents(exporter, [fillEvent(buy, 'buy', 0.4)])).status).toBeLessThan(300);
  await page.waitForSelector(fillSel(buy), { timeout: 1000 });
  expect(Date.now() - t0).toBeLessThan(1000);
  // an opening fill realizes minus its fee
  expect(await cell(buy, 'realizedPnl')).toBe('−0.01');
  expect(await page.getAttribute(fillSel(buy), 'data-pnl')).toBe('loss');

  expect((await postEvents(exporter, [fillEvent(sell, 'sell', 0.45)])).status).toBeLessThan(300);
  await page.waitForSelector(fillSel(sell), { timeout: 1000 });
  // closing 100 bought at 0.40 by selling at 0.45: 5.00, less its own fee of 0.01
  expect(await cell(sell, 'realizedPnl')).toBe('+4.99');
  expect(await page.getAttribute(fillSel(sell), 'data-pnl')).toBe('profit');
  expect(await cell(sell, 'engine')).toBe(ENGINE);
  expect(await cell(sell, 'side')).toBe('Sell');
  expect(await cell(sell, 'price')).toBe('0.45');
  expect(await cell(sell, 'quantity')).toBe('100');
  expect(await cell(sell, 'fee')).toBe('0.01 USD');
  expect(await cell(sell, 'strategy')).toBe('e2e');
  const profit = await page
    .locator(`${fillSel(sell)} [data-column="realizedPnl"] span`)
    .evaluate((el) => getComputedStyle(el).color);
  const loss = await page
    .locator(`${fillSel(buy)} [data-column="realizedPnl"] span`)
    .evaluate((el) => getComputedStyle(el).color);
  expect(profit).not.toBe(loss);
  const ids = await tapeIds();
  expect(ids.indexOf(sell)).toBeLessThan(ids.indexOf(buy)); // newest first
  expect(pageErrors).toEqual([]);
});

test('after a reload the tape starts from the snapshot, with the realized PnL of fills made before', async () => {
  const ids = await tapeIds();
  const sell = ids.find((f) => f.endsWith('-sell'));
  expect(sell).toBeDefined();
  await page.reload();
  expect(page.url()).toContain('mode=fills');
  await page.waitForSelector(fillSel(sell!), { timeout: 10_000 });
  expect(await cell(sell!, 'realizedPnl')).toBe('+4.99');
  expect(pageErrors).toEqual([]);
});

test('screenshot of the fills tape for the README', async () => {
  // a few fills of a second engine, winners and losers, beside the demo's
  const stamp = Date.now();
  const trades: Array<[string, 'buy' | 'sell', number, string]> = [
    ['DOGE/USD', 'buy', 0.1588, 'momentum'],
    ['DOGE/USD', 'sell', 0.1631, 'momentum'],
    ['XRP/USD', 'sell', 0.5931, 'mean_reversion'],
    ['XRP/USD', 'buy', 0.5978, 'mean_reversion'],
  ];
  const posted = await postEvents(
    exporter,
    trades.map(([symbol, side, price, strategy], i) =>
      fillEvent(`gf-${stamp}-${i}`, side, price, {
        engine: 'galfriday',
        symbol,
        strategy,
        quantity: 2500,
        fee: Math.round(2500 * price * 0.0026 * 100) / 100,
        ts: stamp + i,
      }),
    ),
  );
  expect(posted.status).toBeLessThan(300);
  await page.waitForSelector(fillSel(`gf-${stamp}-3`), { timeout: 2000 });
  await page.mouse.move(5, 5);
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  expect(existsSync(SCREENSHOT)).toBe(true);
});

test('the mode switch goes back to the orders', async () => {
  await page.getByTestId(TEST_IDS.standalone.mode).getByRole('radio', { name: 'Orders' }).check();
  await page.waitForSelector(id(TEST_IDS.blotter.row), { timeout: 10_000 });
  expect(await page.locator(id(TEST_IDS.fills.root)).count()).toBe(0);
  expect(page.url()).not.toContain('mode=');
  expect(pageErrors).toEqual([]);
});
