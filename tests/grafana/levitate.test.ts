/**
 * @grafana/levitate on both plugins: does src/module.ts (the panel) or datasource/module.ts (the
 * feed data source), and what they import, use an API
 * of @grafana/data, @grafana/ui or @grafana/runtime that was removed or changed between the
 * version the plugin is built with and the oldest or the newest supported Grafana? Levitate
 * fetches the packages it compares from the npm registry as it runs, so this needs the registry
 * (reachable on the project's machines; it cannot run offline).
 * A negative control proves the check can fail: a module using @grafana/ui's Graph, which 13
 * removed, must be reported.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { rel } from './grafana-files';
import { GRAFANA_ENDS, grafanaHost, npmCi, type GrafanaEnd } from './hosts/hosts';

jest.setTimeout(900_000);

const LEVITATE = path.join(npmCi(path.join(__dirname, 'hosts', 'levitate')), '.bin', 'levitate');
const PACKAGES = ['@grafana/data', '@grafana/ui', '@grafana/runtime'];

function isCompatible(cwd: string, file: string, targets: string[]): { compatible: boolean; report: string } {
  const r = spawnSync(LEVITATE, ['is-compatible', '--path', file, '--target', targets.join(',')], {
    cwd,
    encoding: 'utf8',
    timeout: 800_000,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const report = `${r.stdout}\n${r.stderr}`;
  if (r.error) throw r.error;
  const compatible =
    (/appears to be compatible/.test(report) && !/INCOMPATIBILITIES/.test(report)) ||
    (/INCOMPATIBILITIES/.test(report) && incompatibilities(report).every(onlyTypeModifier));
  // levitate skips a package it cannot find in the project: that would pass vacuously
  expect(report).not.toMatch(/Skipping package/);
  return { compatible, report };
}

/** The numbered incompatibility blocks of a levitate report. */
function incompatibilities(report: string): string[] {
  const from = report.indexOf('INCOMPATIBILITIES');
  return report
    .slice(from)
    .split(/^\d+\) /m)
    .slice(1)
    .map((block) => block.split(/\n\s*\n\s*(?:🔬|src\/)/)[0]);
}

/**
 * A change levitate reports that is none: the same type, declared `type X` instead of `X`
 * (13.x's @grafana/data exports PanelMigrationHandler as `export { type … }`; its definition
 * is character for character the one of 12.3, checked in both hosts' panel.d.ts).
 */
function onlyTypeModifier(block: string): boolean {
  const lines = block.split('\n').map((l) => l.trim());
  const removed = lines.filter((l) => /^-[^ ]/.test(l)).map((l) => l.slice(1));
  const added = lines.filter((l) => /^\+[^ ]/.test(l)).map((l) => l.slice(1));
  return (
    removed.length > 0 && removed.length === added.length && removed.every((r, i) => added[i] === `type ${r}`)
  );
}

const PLUGINS: Array<[string, string]> = [
  ['the blotter panel', 'src/module.ts'],
  ['the feed data source', 'datasource/module.ts'],
];

describe.each(PLUGINS)('%s', (_name, entry) => {
  test.each(['oldest', 'newest'] as GrafanaEnd[])(
    'uses only APIs that @grafana/data, ui and runtime of the %s supported Grafana have',
    (end) => {
      const { version } = grafanaHost(end);
      const { compatible, report } = isCompatible(
        rel('grafana-plugin'),
        entry,
        PACKAGES.map((p) => `${p}@${version}`),
      );
      if (!compatible) throw new Error(`levitate on ${entry}, against Grafana ${version}:\n${report}`);
    },
  );
});

test('negative control: a module using @grafana/ui Graph is reported incompatible with 13', () => {
  const newest = grafanaHost('newest').version;
  grafanaHost('oldest');
  const { compatible, report } = isCompatible(GRAFANA_ENDS.oldest, 'levitate-control.ts', [
    `@grafana/ui@${newest}`,
  ]);
  expect(compatible).toBe(false);
  expect(report).toMatch(/Removed `Graph`/);
});

test('only a `type` modifier is forgiven, never a changed type', () => {
  const block = (from: string, to: string) =>
    `Changed \`PanelPlugin.setMigrationHandler\` used in \`src/module.ts:75\`\nParameter type changed:\n\n+ Added- Removed\n\n-${from}\n+${to}\n`;
  expect(onlyTypeModifier(block('PanelMigrationHandler', 'type PanelMigrationHandler'))).toBe(true);
  expect(onlyTypeModifier(block('PanelMigrationHandler', 'PanelMigrationHandler<string>'))).toBe(false);
  expect(onlyTypeModifier(block('(a: string) => void', 'type (a: number) => void'))).toBe(false);
});
