/**
 * The generated dashboards against Grafana's own types (@grafana/schema) of the oldest and the
 * newest supported release: every dashboard as a Dashboard, every core panel's options and
 * custom field config as that panel's Options and FieldConfig. A key the release does not
 * know, a missing required key or a wrong enum value fails.
 */
import { dashboards, rel } from './grafana-files';
import { grafanaHost, type GrafanaEnd } from './hosts/hosts';
import { checkDashboards } from './schema-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';

jest.setTimeout(600_000);

const EXPECTED: Record<GrafanaEnd, RegExp> = { oldest: /^12\.3\./, newest: /^13\./ };

test.each(Object.keys(EXPECTED) as GrafanaEnd[])(
  'the generated dashboards type-check against @grafana/schema of the %s supported Grafana',
  (end) => {
    const host = grafanaHost(end);
    const result = checkDashboards(path.join(host.modules, '@grafana', 'schema'), dashboards() as never);
    expect(result.version).toMatch(EXPECTED[end]);
    expect(result.checked).toBeGreaterThan(100);
    expect(result.problems).toEqual([]);
  },
);

describe('the supported range, 12.3 to the newest 13.x, is declared the same everywhere', () => {
  const oldest = grafanaHost('oldest').version;
  const newest = grafanaHost('newest').version;
  const [oMajor, oMinor] = oldest.split('.').map(Number);
  const nMajor = Number(newest.split('.')[0]);

  test("the plugin's grafanaDependency is exactly the checked range", () => {
    const plugin = JSON.parse(readFileSync(rel('grafana-plugin', 'src', 'plugin.json'), 'utf8'));
    expect(plugin.dependencies.grafanaDependency).toBe(`>=${oMajor}.${oMinor}.0 <${nMajor + 1}.0.0`);
  });
  test('docker compose runs the oldest end unless GRAFANA_VERSION picks another', () => {
    const compose = readFileSync(rel('docker-compose.yml'), 'utf8');
    expect(compose).toContain(`image: grafana/grafana:\${GRAFANA_VERSION:-${oldest}}`);
  });
  test('docs/grafana.md states the range and the versions checked', () => {
    const docs = readFileSync(rel('docs', 'grafana.md'), 'utf8');
    expect(docs).toMatch(
      new RegExp(`## Supported Grafana versions[\\s\\S]*${oMajor}\\.${oMinor}[\\s\\S]*${nMajor}\\.x`),
    );
    expect(docs).toContain(oldest);
    expect(docs).toContain(newest);
  });
});
