/**
 * Gal Friday's wished thresholds as a ready rule file (docs/integrations/galfriday-alerts.rules.yml):
 * promtool accepts it, and its own unit tests pass.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from '../support/exporter';

const DIR = path.join(REPO, 'docs', 'integrations');

it.each([
  ['check', 'rules', 'galfriday-alerts.rules.yml'],
  ['test', 'rules', 'galfriday-alerts.test.yml'],
])('promtool %s %s %s', (...args) => {
  const run = spawnSync('promtool', args, { cwd: DIR, encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`promtool ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  expect(run.stdout + run.stderr).toMatch(/SUCCESS/);
});
