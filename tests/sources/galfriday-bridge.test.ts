/**
 * The Gal Friday bridge end to end: the machine's python3 runs bridges/galfriday/test_bridge.py
 * (a stand-in PubSubManager, Gal Friday-shaped events) against the real exporter, and the
 * exporter's own figures are checked here too.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO, scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

let ex: RunningExporter;
beforeAll(async () => {
  ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
});
afterAll(async () => {
  await ex?.stop();
});

it('python3 bridge → exporter: positions from cumulative reports, halts, drops when away', async () => {
  const run = spawnSync(
    'python3',
    ['-m', 'unittest', '-v', path.join('bridges', 'galfriday', 'test_bridge.py')],
    {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        PYTHONDONTWRITEBYTECODE: '1',
        TRADEWATCH_URL: ex.baseUrl,
        TRADEWATCH_INGEST_TOKEN: ex.ingestToken,
        TRADEWATCH_VIEWER_TOKEN: ex.viewerToken,
      },
      encoding: 'utf8',
      timeout: 50_000,
    },
  );
  if (run.status !== 0)
    throw new Error(`python3 bridge tests failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  expect(run.stderr).toMatch(/Ran 2 tests[\s\S]*OK/);
  // The batch holding the bad dictionary was refused whole (nothing of it applied; up to all
  // 8 events if they went in one batch), then the bridge sent its good ones again.
  const samples = await scrape(ex.baseUrl);
  const refused = sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'invalid_event' });
  expect(refused).toBeGreaterThanOrEqual(1);
  expect(refused).toBeLessThanOrEqual(8);
  expect(sumOf(samples, 'tradewatch_events_rejected_total', { reason: 'unauthorized' })).toBe(0);
});
