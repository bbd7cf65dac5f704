/**
 * The two ends of the supported Grafana range, as npm packages (Apache-2.0): each folder here
 * is a tiny npm project pinning what that Grafana release gives a plugin (@grafana/data, ui,
 * runtime, schema, React, @emotion/css) plus SystemJS. Tests check against both ends.
 * No Grafana server is involved (none can run here, and its server code is AGPL).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const GRAFANA_ENDS = {
  /** The oldest supported release: 12.3 (dashboards use schemaVersion 42). */
  oldest: path.join(__dirname, 'grafana-12.3'),
  /** The newest supported release: the newest 13.x on npm when this was written. */
  newest: path.join(__dirname, 'grafana-13'),
} as const;
export type GrafanaEnd = keyof typeof GRAFANA_ENDS;

/** Installs the packages of one folder here from its lockfile when missing or stale (npm ci). */
export function npmCi(dir: string): string {
  const modules = path.join(dir, 'node_modules');
  const installed = path.join(modules, '.package-lock.json');
  const lock = path.join(dir, 'package-lock.json');
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
    const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (r.status !== 0) throw new Error(`npm ci in ${dir} failed:\n${r.stdout}\n${r.stderr}`);
  }
  return modules;
}

/** One end's packages, installed if needed; `version` is its @grafana/data version. */
export function grafanaHost(end: GrafanaEnd): { dir: string; version: string; modules: string } {
  const dir = GRAFANA_ENDS[end];
  const modules = npmCi(dir);
  const version = JSON.parse(
    readFileSync(path.join(modules, '@grafana', 'data', 'package.json'), 'utf8'),
  ).version;
  return { dir, version, modules };
}
