/**
 * Golden scrape (node_exporter's habit): the real exporter is fed a committed event file,
 * /metrics is scraped, the series that depend on the machine or the clock are dropped, and
 * the rest must equal exporter/test/golden/metrics.prom to the digit. A change to any figure
 * shows up here as a reviewable diff. Regenerate with: UPDATE_GOLDEN=1 npx jest tests/exporter/golden
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, postEvents, startExporter, type RunningExporter } from '../support/exporter';

const FIXTURE = path.join(REPO, 'exporter/test/fixtures/demo-2d.jsonl');
const GOLDEN = path.join(REPO, 'exporter/test/golden/metrics.prom');
/** Machine, process and clock dependent: everything else is a function of the events. */
const VOLATILE =
  /^(host_|process_|nodejs_|tradewatch_collector_duration_seconds|tradewatch_journal_|tradewatch_snapshot_|tradewatch_feed_|tradewatch_build_info|tradewatch_engine_last_seen|tradewatch_recovery|tradewatch_history_|trading_market_data_age_seconds)/;

let ex: RunningExporter;
beforeAll(async () => {
  ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
});
afterAll(async () => {
  await ex?.stop();
});

function stable(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const name = line.startsWith('#') ? line.split(' ')[2] : line.split(/[{ ]/)[0];
    if (!VOLATILE.test(name)) out.push(line);
  }
  return out.join('\n') + '\n';
}

describe('golden scrape of a recorded event file', () => {
  it('the figures equal the committed golden file', async () => {
    const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
    for (let i = 0; i < lines.length; i += 1000) {
      const r = await postEvents(ex, lines.slice(i, i + 1000).join('\n'), {
        contentType: 'application/x-ndjson',
      });
      expect(r.status).toBe(200);
    }
    const text = stable(await (await fetch(`${ex.baseUrl}/metrics`)).text());
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('the golden file passes `promtool check metrics`', () => {
    const r = spawnSync('promtool', ['check', 'metrics'], {
      input: readFileSync(GOLDEN, 'utf8'),
      encoding: 'utf8',
    });
    expect({ status: r.status, out: (r.stdout + r.stderr).trim() }).toEqual({ status: 0, out: '' });
  });
});
