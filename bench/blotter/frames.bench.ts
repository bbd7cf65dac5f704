/**
 * The blotter panel fed by the feed data source's frames, in Debian's Chromium: the same load
 * as bench.mjs (N active orders, R changes per second from the same feed stand-in) but the way a
 * Grafana dashboard runs it: the data source (dist-datasource, loaded by SystemJS with Grafana
 * 12.3.0's packages) connects through a stand-in of Grafana's data proxy and rebuilds a frame
 * per query at most every 100 ms; the panel (dist) diffs each frame into its store. Prints the
 * same figures as bench.mjs (run that too, in the same minutes, for today's direct-feed figure).
 *
 *   npx tsx bench/blotter/frames.bench.ts [--orders 10000] [--rate 1000] [--seconds 20]
 *
 * Needs: npm run build (in grafana-plugin), /usr/bin/chromium.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { DataProxy, SESSION_COOKIE } from '../../tests/grafana/hosts/page/data-proxy';
import { serveHostPage } from '../../tests/grafana/hosts/page/build';

const browser = JSON.parse(readFileSync(path.join(__dirname, '../../tests/support/chromium.json'), 'utf8'));
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ORDERS = arg('orders', 10_000);
const RATE = arg('rate', 1000);
const SECONDS = arg('seconds', 20);
const BASELINE_SECONDS = arg('baseline-seconds', 5);
const TOKEN = 'bench-viewer-token';
const plugin = path.resolve(__dirname, '../../grafana-plugin');

async function main() {
  // ES modules shared with bench.mjs (this file is CommonJS, as the root tsconfig compiles it)
  const { startFeedServer } = await import('./feed-server.mjs');
  const { f, measure, stats, table } = await import('./measure.mjs');
  const feed = await startFeedServer({
    staticDir: path.join(plugin, 'dist-standalone'),
    token: TOKEN,
    active: ORDERS,
    updatesPerSecond: RATE,
  });
  const routes = JSON.parse(readFileSync(path.join(plugin, 'dist-datasource', 'plugin.json'), 'utf8')).routes;
  const proxy = new DataProxy({
    datasource: { uid: 'tradewatch-feed', url: feed.baseUrl, routes, secureJsonData: { viewerToken: TOKEN } },
    users: { viewer: { canQuery: true } },
  });
  const host = await serveHostPage('oldest', path.join(plugin, 'dist'), 0, {
    entry: 'dshost.tsx',
    datasourceDist: path.join(plugin, 'dist-datasource'),
    proxy,
  });
  const profile = mkdtempSync(path.join(tmpdir(), 'tradewatch-bench-frames-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    headless: true,
    args: browser.args,
    viewport: { width: 1600, height: 900 },
  });
  try {
    // tsx (esbuild, keepNames) wraps functions in __name(); page.evaluate ships them as source
    await context.addInitScript('globalThis.__name = (f) => f;');
    await context.addCookies([{ name: SESSION_COOKIE, value: 'viewer', url: host.origin }]);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto('about:blank');
    const idle = await page.evaluate(measure, BASELINE_SECONDS * 1000);

    const query = new URLSearchParams({
      theme: 'dark',
      table: '0',
      target: JSON.stringify({ refId: 'A', channel: 'orders' }),
    });
    const t0 = Date.now();
    await page.goto(`${host.origin}/?${query}`);
    await page.waitForFunction(
      (n) =>
        Number(document.querySelector('[data-testid="blotter-grid"]')?.getAttribute('data-row-count')) >= n,
      ORDERS,
      { timeout: 120_000 },
    );
    const loadMs = Date.now() - t0;
    await page.waitForTimeout(1000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: Array<{ name: string; value: number }>;
      };
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      return {
        task: m.TaskDuration,
        script: m.ScriptDuration,
        style: m.RecalcStyleDuration,
        layout: m.LayoutDuration,
      };
    };
    const b0 = await busy();
    const still = await page.evaluate(measure, BASELINE_SECONDS * 1000);
    const b1 = await busy();
    feed.setStreaming(true);
    const sent0 = feed.changesSent();
    const b2 = await busy();
    const loaded = await page.evaluate(measure, SECONDS * 1000);
    const b3 = await busy();
    const sent = feed.changesSent() - sent0;
    feed.setStreaming(false);
    const report = await page.evaluate(
      () => (window as unknown as { __tw: { frames: number; transport?: string } }).__tw,
    );

    const sIdle = stats(idle, BASELINE_SECONDS);
    const sStill = stats(still, BASELINE_SECONDS);
    const sLoad = stats(loaded, SECONDS);
    type Busy = Awaited<ReturnType<typeof busy>>;
    const perFrame = (a: Busy, b: Busy, s: { frames: number }) => ({
      task: ((b.task - a.task) * 1000) / s.frames,
      script: ((b.script - a.script) * 1000) / s.frames,
      style: ((b.style - a.style) * 1000) / s.frames,
      layout: ((b.layout - a.layout) * 1000) / s.frames,
    });
    const wStill = perFrame(b0, b1, sStill);
    const wLoad = perFrame(b2, b3, sLoad);
    console.log(
      `\nblotter fed by the data source's frames: ${ORDERS.toLocaleString('en-US')} active orders, ${RATE}/s changes for ${SECONDS} s (${sent.toLocaleString('en-US')} sent), through the data proxy stand-in (${report.transport}); ${report.frames} frames reached the panel`,
    );
    console.log(`Grafana ${host.version} packages; snapshot to ${ORDERS} rows on screen: ${loadMs} ms`);
    console.log(
      `machine: ${cpus().length} cores, load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}\n`,
    );
    table([
      ['baseline: idle blank page', sIdle],
      ['blotter (frames), no updates', sStill],
      [`blotter (frames), ${RATE} changes/s`, sLoad],
    ]);
    const w = (x: typeof wLoad) =>
      `${f(x.task)} ms (script ${f(x.script)}, style ${f(x.style)}, layout ${f(x.layout)})`;
    console.log(
      `\nrenderer main-thread work per frame: no updates ${w(wStill)}; ${RATE} changes/s ${w(wLoad)}`,
    );
  } finally {
    await context.close();
    await host.close();
    await feed.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}

void main();
