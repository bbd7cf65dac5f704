/**
 * The blotter plugin loaded the way Grafana's frontend loads a panel plugin, at both ends of
 * the supported range (Grafana 12.3.0 with React 18, Grafana 13.x with React 19), in a real
 * browser (Debian's Chromium): SystemJS + AMD loads grafana-plugin/dist/module.js with the
 * shared dependencies from that release's npm packages, `plugin` is taken from it, its panel
 * renders with real PanelProps in a Grafana theme (dark and light), and its options editor
 * renders and drives the panel; the feed is a real exporter running the demo engine.
 * Saves grafana-plugin/docs/grafana-<version>-<theme>.png (shown in grafana-plugin/README.md).
 *
 * Needs the plugin build (cd grafana-plugin && npm run build) and the exporter build.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { TEST_IDS } from '../../grafana-plugin/src/constants';
import { serveHostPage, type HostPage } from '../grafana/hosts/page/build';
import type { GrafanaEnd } from '../grafana/hosts/hosts';
import { REPO, postEvents, startExporter, type RunningExporter } from '../support/exporter';
import browser from '../support/chromium.json';

jest.setTimeout(600_000);

const DIST = path.join(REPO, 'grafana-plugin', 'dist');
const DOCS = path.join(REPO, 'grafana-plugin', 'docs');
const ENDS: Array<[GrafanaEnd, RegExp, string]> = [
  ['oldest', /^12\.3\./, '18'],
  ['newest', /^13\./, '19'],
];
/** The dashboard's time zone, not the browser's (the browser runs in New York). */
const DASHBOARD_TZ = 'Asia/Tokyo';
const ENGINE = 'grafana-load';
const id = (testId: string) => `[data-testid="${testId}"]`;

let exporter: RunningExporter;
let context: BrowserContext;
let profile: string;
const pages: Partial<Record<GrafanaEnd, HostPage>> = {};
const orderId = `gl-${Date.now()}`;
const createdAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);

interface Report {
  status: string;
  error?: string;
  react?: string;
  options?: string[];
  theme?: { mode: string; text: string; background: string };
}

beforeAll(async () => {
  if (!existsSync(path.join(DIST, 'module.js'))) {
    throw new Error(`no plugin build at ${DIST}: run "npm run build" in grafana-plugin`);
  }
  for (const [end] of ENDS) pages[end] = await serveHostPage(end, DIST);
  exporter = await startExporter({
    env: {
      TRADEWATCH_ALLOWED_ORIGINS: Object.values(pages)
        .map((p) => p!.origin)
        .join(','),
    },
  });
  const posted = await postEvents(exporter, [
    {
      type: 'order',
      ts: Date.now(),
      engine: ENGINE,
      order_id: orderId,
      symbol: 'XRP/USD',
      side: 'buy',
      order_type: 'limit',
      status: 'new',
      quantity: 100,
      limit_price: 0.42,
      strategy: 'e2e',
      created_at: createdAt.toISOString(),
    },
  ]);
  expect(posted.status).toBeLessThan(300);
  profile = mkdtempSync(path.join(tmpdir(), 'tradewatch-grafana-load-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    headless: true,
    args: browser.args,
    viewport: { width: 1340, height: 700 },
    timezoneId: 'America/New_York',
  });
}, 600_000);

afterAll(async () => {
  await context?.close();
  await exporter?.stop();
  for (const p of Object.values(pages)) await p?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(
  end: GrafanaEnd,
  theme: 'dark' | 'light',
): Promise<{ page: Page; report: Report; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const vars = {
    feed_url: [`ws://127.0.0.1:${exporter.port}/feed`],
    engine: ['demo', ENGINE],
    strategy: ['$__all'],
    symbol: ['$__all'],
  };
  // as the Overview dashboard sets them (feed URL and filters from dashboard variables)
  const options = { feedUrl: '$feed_url', viewerToken: exporter.viewerToken, density: 'compact' };
  const query = new URLSearchParams({
    theme,
    tz: DASHBOARD_TZ,
    vars: JSON.stringify(vars),
    options: JSON.stringify(options),
  });
  await page.goto(`${pages[end]!.origin}/?${query}`);
  // the page's script reports here; if it dies before reporting, the page errors say why
  await Promise.race([
    page
      .waitForFunction(() => ['ok', 'error'].includes((window as any).__tw?.status), undefined, {
        timeout: 60_000,
      })
      .catch(() => undefined),
    page.waitForEvent('pageerror', { timeout: 60_000 }).catch(() => undefined),
  ]);
  const report = ((await page.evaluate(() => (window as any).__tw)) ?? {
    status: 'not loaded',
    error: errors.join('\n'),
  }) as Report;
  return { page, report, errors };
}

/** The colour as the browser computes it, to compare with what the element shows. */
const computed = (page: Page, color: string) =>
  page.evaluate((c) => {
    const el = document.createElement('span');
    el.style.color = c;
    document.body.appendChild(el);
    const out = getComputedStyle(el).color;
    el.remove();
    return out;
  }, color);

const tokyo = new Intl.DateTimeFormat('en-GB', {
  timeZone: DASHBOARD_TZ,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const newYork = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

describe.each(ENDS)('Grafana %s', (end, version, reactMajor) => {
  test.each(['dark', 'light'] as const)(
    'module.js loads through SystemJS and the panel shows the live demo in the %s theme and the dashboard time zone',
    async (theme) => {
      const { page, report, errors } = await open(end, theme);
      try {
        expect(report.error ?? '').toBe('');
        expect(report.status).toBe('ok');
        expect(pages[end]!.version).toMatch(version);
        expect(report.react!.split('.')[0]).toBe(reactMajor);

        // live demo orders through the exporter's feed, filtered by the $engine variable
        await page.waitForSelector(`${id(TEST_IDS.connection.root)}[data-status="live"]`, {
          timeout: 20_000,
        });
        await page.waitForSelector(id(TEST_IDS.blotter.row), { timeout: 20_000 });
        const engines = await page.$$eval(`${id(TEST_IDS.blotter.cell)}[data-column="engine"]`, (cells) => [
          ...new Set(cells.map((c) => c.textContent)),
        ]);
        expect(engines.length).toBeGreaterThan(0);
        for (const e of engines) expect(['demo', ENGINE]).toContain(e);

        // the page's theme reached the plugin's styles (one shared @grafana/data and @grafana/ui)
        const color = await page.$eval(id(TEST_IDS.blotter.root), (el) => getComputedStyle(el).color);
        expect(color).toBe(await computed(page, report.theme!.text));

        // the created time in the dashboard's time zone (Tokyo), not the browser's (New York)
        await page.fill(id(TEST_IDS.toolbar.search), orderId);
        const created = page.locator(
          `${id(TEST_IDS.blotter.row)}[data-order-id="${orderId}"] ${id(TEST_IDS.blotter.cell)}[data-column="created"]`,
        );
        await created.waitFor({ timeout: 10_000 });
        const text = (await created.textContent())!;
        expect(text.endsWith(tokyo.format(createdAt))).toBe(true);
        expect(text).not.toContain(newYork.format(createdAt));
        await page.fill(id(TEST_IDS.toolbar.search), '');
        await page.locator(id(TEST_IDS.toolbar.search)).blur();

        // the options editor: every option the plugin declares, its own editors included
        expect(report.options).toEqual(
          expect.arrayContaining(['feedUrl', 'viewerToken', 'columns', 'density', 'maxRows']),
        );
        for (const option of report.options!) await page.waitForSelector(id(`host-option-${option}`));
        await page.waitForSelector(id(TEST_IDS.editors.columns));
        await page.waitForSelector(id(TEST_IDS.editors.token));

        await page.waitForSelector(id(TEST_IDS.blotter.row), { timeout: 10_000 });
        mkdirSync(DOCS, { recursive: true });
        await page.screenshot({ path: path.join(DOCS, `grafana-${pages[end]!.version}-${theme}.png`) });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );

  test('the options editor drives the panel: unticking Strategy removes the column', async () => {
    const { page, report } = await open(end, 'dark');
    try {
      expect(report.status).toBe('ok');
      const strategy = `${id(TEST_IDS.columnHeader.root)}[data-column="strategy"]`;
      await page.waitForSelector(strategy, { timeout: 20_000 });
      await page.locator(id(TEST_IDS.editors.columns)).getByText('Strategy', { exact: true }).click();
      await page.waitForSelector(strategy, { state: 'detached', timeout: 5_000 });
      expect(await page.locator(`${id(TEST_IDS.columnHeader.root)}[data-column="symbol"]`).count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});
