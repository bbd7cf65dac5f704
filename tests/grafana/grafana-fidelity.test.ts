/**
 * What Grafana itself does with our files, as read from its provisioning, migration and
 * rule-conversion code (12.3 to 13.x), checked on the committed files. No Grafana server can
 * run here, so each test states the Grafana behaviour it relies on.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ALL_COLUMNS, DEFAULT_OPTIONS } from '../../grafana-plugin/src/constants';
import { dashboards, grafanaRules, panels, rel, yamlFiles } from './grafana-files';

const alerting = yamlFiles('provisioning/alerting');
const ruleGroups = Object.values(alerting).flatMap((d: any) => d.groups ?? []);
const providers = Object.values(yamlFiles('provisioning/dashboards')).flatMap((d: any) => d.providers ?? []);
const compose = () => {
  const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    cwd: rel(),
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  if (r.status !== 0) throw new Error(`docker-compose config failed:\n${r.stderr}`);
  return parse(r.stdout);
};

/**
 * Grafana's interpolation of provisioning values: `$$` is a literal `$`, `$__env{X}` and then
 * `${X}` / `$X` (Go's os.ExpandEnv) read the environment; an unset variable becomes "" (there is
 * no default syntax such as `${X:-d}`: os.ExpandEnv reads "X:-d" as the name).
 */
export function expandLikeGrafana(value: string, env: Record<string, string | undefined>): string {
  return value
    .split('$$')
    .map((part) =>
      part
        .replace(/\$__env\{([^}]*)\}/g, (_m, n: string) => env[n] ?? '')
        .replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g, (_m, a?: string, b?: string) => env[(a ?? b)!] ?? ''),
    )
    .join('$');
}

describe('one "tradewatch" folder', () => {
  /**
   * Grafana provisions alert rules before dashboards (init provisioners, then the dashboard
   * provisioner). A rule group names its folder by title only (its file format has no folder
   * uid): Grafana finds the folder by title or creates it with a random uid. A dashboard provider
   * with `folderUid` then looks the folder up by that uid only and, not finding it, creates a
   * second folder with the same title. Without `folderUid` it looks it up by title.
   */
  function provisionFolders(): Array<{ uid: string; title: string }> {
    const folders: Array<{ uid: string; title: string }> = [];
    let random = 0;
    const byTitle = (title: string) =>
      folders.find((f) => f.title === title) ??
      (folders.push({ uid: `random-${++random}`, title }), folders[folders.length - 1]);
    for (const g of ruleGroups) byTitle(g.folder);
    for (const p of providers) {
      if (p.folderUid) {
        if (!folders.some((f) => f.uid === p.folderUid)) folders.push({ uid: p.folderUid, title: p.folder });
      } else byTitle(p.folder);
    }
    return folders;
  }

  test('alert rules and dashboards land in the same single folder', () => {
    const folders = provisionFolders();
    expect(folders.filter((f) => f.title === 'tradewatch')).toHaveLength(1);
    expect(new Set(ruleGroups.map((g: any) => g.folder))).toEqual(new Set(['tradewatch']));
    expect(providers.map((p: any) => p.folder)).toEqual(['tradewatch']);
  });

  test('the Overview alert list shows the tradewatch rules in every state Grafana 12.3+ has', () => {
    const list = panels(dashboards()['overview.json']).find((p) => p.type === 'alertlist') as any;
    expect(list).toBeDefined();
    const o = list.options;
    // Grafana 11+ filters by folder.uid only: a folder given by title filters nothing, and the
    // folder's uid is not fixed (see above); the rules' own labels select them instead, and
    // Grafana gives every alert instance its folder's title as `grafana_folder`.
    expect(o.folder?.uid).toBeUndefined();
    expect(o.alertInstanceLabelFilter).toMatch(/service="tradewatch"/);
    expect(o.alertInstanceLabelFilter).toMatch(/grafana_folder="tradewatch"/);
    expect(o.stateFilter).toMatchObject({ firing: true, pending: true, recovering: true, error: true });
  });
});

describe('dashboards as Grafana 12.3+ (scenes) loads them', () => {
  test.each(Object.entries(dashboards()))('%s: links are shown above the dashboard', (_f, d: any) => {
    // "inControlsMenu" puts a link into the dashboard controls menu, hidden until opened (and
    // dropped where scenes do not know it); links we ship must be visible.
    expect(d.links.length).toBeGreaterThan(0);
    for (const l of d.links) expect(l.placement).toBeUndefined();
  });
  test.each(Object.entries(dashboards()))('%s: tables keep no options.footer (12.3 moved it)', (_f, d) => {
    for (const p of panels(d).filter((x) => x.type === 'table'))
      expect((p as any).options?.footer).toBeUndefined();
  });
});

describe('contact points', () => {
  const receivers = Object.values(alerting).flatMap((d: any) =>
    (d.contactPoints ?? []).flatMap((c: any) => c.receivers),
  );
  const required: Record<string, string[]> = { webhook: ['url'], email: ['addresses'] };

  test('Grafana accepts them with no environment at all (any launch, not only compose)', () => {
    expect(receivers.length).toBeGreaterThanOrEqual(2);
    for (const r of receivers)
      for (const key of required[r.type] ?? [])
        expect(expandLikeGrafana(String(r.settings[key]), {}).trim()).not.toBe('');
  });

  test('docker compose hands Grafana real destinations from TRADEWATCH_ALERT_* when set', () => {
    const grafana = compose().services.grafana;
    const files = (grafana.volumes as Array<string | { source: string; target: string }>).map((v) =>
      typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v,
    );
    const mounted = files.find((v) => v.target === '/etc/grafana/provisioning/alerting/contact-points.yaml');
    expect(mounted).toBeDefined();
    const doc = parse(readFileSync(mounted!.source, 'utf8'));
    const env = {
      TRADEWATCH_ALERT_WEBHOOK_URL: 'https://pager.example/hook',
      TRADEWATCH_ALERT_EMAIL: 'a@b.c',
    };
    const settings = doc.contactPoints.flatMap((c: any) => c.receivers).map((r: any) => r.settings);
    const urls = settings.map((s: any) => s.url && expandLikeGrafana(s.url, env)).filter(Boolean);
    const addresses = settings
      .map((s: any) => s.addresses && expandLikeGrafana(s.addresses, env))
      .filter(Boolean);
    expect(urls).toEqual(['https://pager.example/hook']);
    expect(addresses).toEqual(['a@b.c']);
    // and compose itself always sets them (its defaults are the inert ones of the plain file)
    expect(grafana.environment.TRADEWATCH_ALERT_WEBHOOK_URL).toBeTruthy();
    expect(grafana.environment.TRADEWATCH_ALERT_EMAIL).toBeTruthy();
  });
});

describe('alert rules in the shape Grafana gives imported Prometheus rules', () => {
  // Grafana's Prometheus rule conversion: query (instant PromQL, 10 min range) →
  // prometheus_math (is_number || is_nan || is_inf: every returned series) → threshold (> 0),
  // condition threshold, no data OK, errors Error; nothing reduces an instant vector.
  test.each(grafanaRules().map((r) => [r.title, r] as const))('%s', (_t, r: any) => {
    expect(r.data.map((d: any) => d.refId)).toEqual(['query', 'prometheus_math', 'threshold']);
    expect(r.condition).toBe('threshold');
    const [query, math, threshold] = r.data;
    expect(query.model).toMatchObject({ instant: true, range: false, refId: 'query' });
    expect(query.relativeTimeRange).toEqual({ from: 600, to: 0 });
    expect(math.model).toMatchObject({
      type: 'math',
      expression: 'is_number($query) || is_nan($query) || is_inf($query)',
    });
    expect(threshold.model).toMatchObject({
      type: 'threshold',
      expression: 'prometheus_math',
      conditions: [{ evaluator: { type: 'gt', params: [0] } }],
    });
    expect(r.data.some((d: any) => d.model.type === 'reduce')).toBe(false);
    expect(r.execErrState).toBe('Error');
    // the value in the summary is the query's own value, as Grafana rewrites $value to
    if (r.annotations.summary.includes('$values'))
      expect(r.annotations.summary).toMatch(/\$values\.query\.Value/);
  });
});

describe('docker compose up builds the plugin first', () => {
  test('a one-shot service builds grafana-plugin/dist and Grafana waits for it', () => {
    const { services } = compose();
    const builders = Object.entries(services).filter(([, s]: [string, any]) =>
      /npm run build/.test([s.entrypoint, s.command].flat().filter(Boolean).join(' ')),
    );
    expect(builders).toHaveLength(1);
    const [name, builder] = builders[0] as [string, any];
    expect(builder.working_dir).toMatch(/grafana-plugin$/);
    expect(services.grafana.depends_on[name]).toEqual({ condition: 'service_completed_successfully' });
  });
});

describe("the Overview's blotter panel", () => {
  test('shows the columns the plugin shows by default, fees included (one source: the plugin)', () => {
    const blotter = panels(dashboards()['overview.json']).find(
      (p) => p.type === 'tradewatch-blotter-panel',
    ) as any;
    // Grafana fills an option the panel JSON leaves out with the plugin's default (module.ts).
    const shown = blotter.options.columns ?? DEFAULT_OPTIONS.columns;
    expect(shown).toEqual(ALL_COLUMNS);
    expect(shown).toContain('fees');
    expect(blotter.options).not.toHaveProperty('columns');
  });
});
