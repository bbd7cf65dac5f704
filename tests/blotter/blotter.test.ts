/**
 * The blotter in a real browser (Debian's Chromium through playwright-core) against the real
 * exporter running the demo engine: the standalone page at /blotter/ (the same component as
 * the Grafana panel), its token form, the live feed, ingest → screen latency, fills, cancels,
 * and the 401 message. Saves grafana-plugin/docs/screenshot.png.
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

const CHROMIUM = browser.executablePath;
const LAUNCH_ARGS = browser.args;

jest.setTimeout(120_000);

const STANDALONE = path.join(REPO, 'grafana-plugin', 'dist-standalone', 'index.html');
const SCREENSHOT = path.join(REPO, 'grafana-plugin', 'docs', 'screenshot.png');
const id = (testId: string) => `[data-testid="${testId}"]`;
const rowSel = (orderId: string) => `${id(TEST_IDS.blotter.row)}[data-order-id="${orderId}"]`;

let exporter: RunningExporter;
let context: BrowserContext;
let page: Page;
let profile: string;
const pageErrors: string[] = [];

function orderEvent(orderId: string, fields: Record<string, unknown> = {}) {
  return {
    type: 'order',
    ts: Date.now(),
    engine: 'browser-test',
    order_id: orderId,
    symbol: 'XRP/USD',
    side: 'buy',
    order_type: 'limit',
    status: 'new',
    quantity: 100,
    limit_price: 0.42,
    strategy: 'e2e',
    created_at: new Date().toISOString(),
    ...fields,
  };
}

async function search(text: string): Promise<void> {
  await page.fill(id(TEST_IDS.toolbar.search), text);
}

beforeAll(async () => {
  if (!existsSync(STANDALONE)) {
    throw new Error(
      `no standalone blotter build at ${STANDALONE}: run "npm run build:standalone" in grafana-plugin`,
    );
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  }
  exporter = await startExporter();
  profile = mkdtempSync(path.join(tmpdir(), 'tradewatch-blotter-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
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

test('the page asks for the token (never in the URL), then shows the demo orders live', async () => {
  await page.goto(`${exporter.baseUrl}/blotter/`);
  await page.waitForSelector(id(TEST_IDS.standalone.form));
  await page.fill(id(TEST_IDS.standalone.token), exporter.viewerToken);
  await page.click(id(TEST_IDS.standalone.connect));

  await page.waitForSelector(`${id(TEST_IDS.connection.root)}[data-status="live"]`, { timeout: 10_000 });
  await page.waitForSelector(id(TEST_IDS.blotter.row), { timeout: 15_000 });
  expect(await page.locator(id(TEST_IDS.blotter.row)).count()).toBeGreaterThan(0);
  expect(page.url()).not.toContain(exporter.viewerToken);
  expect(await page.evaluate(() => sessionStorage.getItem('tradewatch.viewerToken'))).toBe(
    exporter.viewerToken,
  );
  // The header's summary follows the rows within a frame: wait for it, then read it.
  const count = (text: string | null) => Number((text ?? '').replace(/,/g, ''));
  await page.waitForFunction(
    (selector) => Number((document.querySelector(selector)?.textContent ?? '').replace(/,/g, '')) > 0,
    id(TEST_IDS.header.orders),
    { timeout: 5_000 },
  );
  expect(count(await page.textContent(id(TEST_IDS.header.orders)))).toBeGreaterThan(0);
  expect(pageErrors).toEqual([]);
});

test('an order posted through the ingest API appears within 1 s, fills and fades out when canceled', async () => {
  const orderId = `bt-${Date.now()}`;
  await search(orderId);

  const t0 = Date.now();
  const posted = await postEvents(exporter, [orderEvent(orderId)]);
  expect(posted.status).toBeLessThan(300);
  await page.waitForSelector(rowSel(orderId), { timeout: 1000 });
  const latencyMs = Date.now() - t0;
  expect(latencyMs).toBeLessThan(1000);

  const row = page.locator(rowSel(orderId));
  expect(await row.getAttribute('data-status')).toBe('new');
  expect(await row.locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('0');

  // a fill of 40 and the order's new state, as an engine reports them
  const filled = await postEvents(exporter, [
    {
      type: 'fill',
      ts: Date.now(),
      engine: 'browser-test',
      fill_id: `${orderId}-f1`,
      order_id: orderId,
      symbol: 'XRP/USD',
      side: 'buy',
      price: 0.42,
      quantity: 40,
      fee: 0.03,
      fee_currency: 'USD',
      strategy: 'e2e',
    },
    orderEvent(orderId, {
      status: 'partially_filled',
      filled_quantity: 40,
      avg_fill_price: 0.42,
      fees: 0.03,
    }),
  ]);
  expect(filled.status).toBeLessThan(300);
  await page.waitForSelector(`${rowSel(orderId)}[data-status="partially_filled"]`, { timeout: 2000 });
  expect(await row.locator('[role="progressbar"]').getAttribute('aria-valuenow')).toBe('40');

  const canceled = await postEvents(exporter, [
    orderEvent(orderId, { status: 'canceled', filled_quantity: 40, avg_fill_price: 0.42, fees: 0.03 }),
  ]);
  expect(canceled.status).toBeLessThan(300);
  await page.waitForSelector(`${rowSel(orderId)}[data-closed="true"]`, { timeout: 2000 });
  expect(await row.getAttribute('data-status')).toBe('canceled');
  // The fade transition: waited for until the row is dimmed.
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel);
      return el !== null && Number(getComputedStyle(el).opacity) < 1;
    },
    rowSel(orderId),
    { timeout: 2000 },
  );
  expect(await row.textContent()).toContain('Canceled');
});

test('screenshot for the README', async () => {
  // a few working orders of a second engine next to the demo's, some partly filled
  const book: Array<[string, 'buy' | 'sell', number, number, number]> = [
    ['XRP/USD', 'buy', 2500, 0.5712, 1000],
    ['XRP/USD', 'sell', 1800, 0.5931, 0],
    ['DOGE/USD', 'buy', 40000, 0.1588, 12000],
    ['DOGE/USD', 'sell', 25000, 0.1662, 25000 * 0.8],
    ['XRP/USD', 'buy', 900, 0.5655, 0],
    ['DOGE/USD', 'buy', 15000, 0.1571, 0],
  ];
  const stamp = Date.now();
  const posted = await postEvents(
    exporter,
    book.map(([symbol, side, quantity, price, filled], i) =>
      orderEvent(`gf-${stamp}-${i}`, {
        engine: 'galfriday',
        strategy: i % 2 ? 'mean_reversion' : 'momentum',
        symbol,
        side,
        quantity,
        limit_price: price,
        filled_quantity: filled,
        avg_fill_price: filled ? price : undefined,
        fees: Math.round(filled * price * 0.0026 * 100) / 100,
        fee_currency: 'USD',
        status: filled ? 'partially_filled' : 'new',
        created_at: new Date(stamp - i * 400).toISOString(),
      }),
    ),
  );
  expect(posted.status).toBeLessThan(300);
  await search('');
  await page.locator(id(TEST_IDS.toolbar.search)).blur();
  await page.mouse.move(5, 5);
  // The new rows are shown and their flashes have ended (the demo's own rows may flash on).
  await page.waitForFunction(
    ({ rows, flash }) =>
      document.querySelector(rows) !== null && document.querySelector(`${rows} ${flash}`) === null,
    { rows: `[data-order-id^="gf-${stamp}-"]`, flash: id(TEST_IDS.blotter.flash) },
    { timeout: 10_000 },
  );
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  expect(existsSync(SCREENSHOT)).toBe(true);
});

test('a wrong token shows the 401 message and lets the user try another', async () => {
  await page.click('text=Change token');
  await page.waitForSelector(id(TEST_IDS.standalone.form));
  await page.fill(id(TEST_IDS.standalone.token), 'not-a-viewer-token');
  await page.click(id(TEST_IDS.standalone.connect));
  const error = page.locator(id(TEST_IDS.state.error));
  await error.waitFor({ timeout: 10_000 });
  const text = (await error.textContent()) ?? '';
  expect(text).toContain('401');
  expect(text).toContain('check the viewer token');
  expect(text).toContain(`/feed`);
  expect(await page.getAttribute(id(TEST_IDS.connection.root), 'data-status')).toBe('reconnecting');
  expect(pageErrors).toEqual([]);
});
