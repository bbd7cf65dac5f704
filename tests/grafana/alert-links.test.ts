/**
 * Notifications link the panel that explains each alert, wherever Grafana is served: Grafana
 * rules carry dashboardUid and panelId, from which Grafana builds `.DashboardURL` and
 * `.PanelURL` under its root URL; no generated file holds a Grafana URL of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { allRules } from '../../alerting/src/rules';
import { panelIdOf, readPanelIndex } from '../../alerting/src/panels';
import { dashboardUids } from '../../alerting/src/thresholds';
import { dashboards, grafanaRules, panels, prometheusRules, REPO, rel, yamlFiles } from './grafana-files';

const rules = grafanaRules();
const byUid = new Map(Object.values(dashboards()).map((d) => [d.uid, d]));

/**
 * How Grafana's notifier extends an alert for templates (read in Grafana's alerting template
 * data code): the root URL's path joined with /d/<uid>, then `viewPanel=<id>` for the panel.
 */
function grafanaLinks(rootUrl: string, annotations: Record<string, string>) {
  const u = new URL(rootUrl);
  const base = u.pathname;
  const uid = annotations.__dashboardUid__;
  if (!uid) return {};
  u.pathname = posix.join(base, '/d/', uid);
  const dashboardURL = u.toString();
  const panel = annotations.__panelId__;
  if (!panel) return { dashboardURL };
  u.search = `viewPanel=${panel}`;
  return { dashboardURL, panelURL: u.toString() };
}

test.each(rules.map((r) => [r.title, r] as const))(
  '%s links a panel of its dashboard, the one the rule names',
  (_t, r) => {
    const source = allRules.find((x) => x.alert === r.title)!;
    expect(r.dashboardUid).toBe(dashboardUids[source.dashboard]);
    const dashboard = byUid.get(r.dashboardUid!)!;
    const panel = panels(dashboard).find((p) => p.id === r.panelId);
    expect(panel).toBeDefined();
    expect([panel!.type, panel!.title]).toEqual([expect.not.stringMatching(/^row$/), source.panel]);
  },
);

test('Grafana builds the links under GF_SERVER_ROOT_URL, sub path included', () => {
  const r = rules.find((x) => x.title === 'TradingHalted')!;
  const annotations = { __dashboardUid__: r.dashboardUid!, __panelId__: String(r.panelId) };
  expect(grafanaLinks('https://grafana.example.com/trading/', annotations)).toEqual({
    dashboardURL: 'https://grafana.example.com/trading/d/tradewatch-risk',
    panelURL: `https://grafana.example.com/trading/d/tradewatch-risk?viewPanel=${r.panelId}`,
  });
});

test('the message template links with .PanelURL / .DashboardURL, and reads only annotations every rule has', () => {
  const templates = Object.values(yamlFiles('provisioning/alerting')).flatMap(
    (d) => (d as { templates?: { template: string }[] }).templates ?? [],
  );
  const text = templates.map((t) => t.template).join('\n');
  expect(text).toContain('.PanelURL');
  expect(text).toContain('.DashboardURL');
  const read = [...text.matchAll(/\.Annotations\.(\w+)/g)].map((m) => m[1]);
  expect(read.length).toBeGreaterThan(0);
  for (const r of rules)
    for (const a of read) expect([r.title, a, r.annotations?.[a]]).toEqual([r.title, a, expect.any(String)]);
});

test('Prometheus rules carry the same panel as a path under Grafana, for an Alertmanager template', () => {
  for (const p of prometheusRules()) {
    const g = rules.find((r) => r.title === p.alert)!;
    expect([p.alert, p.annotations.dashboard_path]).toEqual([
      p.alert,
      `/d/${g.dashboardUid}?viewPanel=${g.panelId}`,
    ]);
  }
});

test('no generated or provisioned file holds a Grafana URL of its own', () => {
  const files = [
    ...readdirSync(rel('dashboards/generated')).map((f) => `dashboards/generated/${f}`),
    ...readdirSync(rel('alerting/generated/prometheus')).map((f) => `alerting/generated/prometheus/${f}`),
    ...readdirSync(rel('provisioning/alerting')).map((f) => `provisioning/alerting/${f}`),
    ...readdirSync(rel('alerting/tests')).map((f) => `alerting/tests/${f}`),
  ];
  for (const f of files) {
    const text = readFileSync(rel(f), 'utf8');
    expect([f, text.match(/https?:\/\/[^\s"']*(:3000|\/d\/)[^\s"']*/g)]).toEqual([f, null]);
    expect([f, /localhost:3000/.test(text)]).toEqual([f, false]);
  }
});

test('a rule naming a panel its dashboard lacks stops the generator, naming both', () => {
  expect(() =>
    panelIdOf(readPanelIndex(REPO), { alert: 'TradingHalted', dashboard: 'risk', panel: 'No such panel' }),
  ).toThrow(/TradingHalted links panel "No such panel", which dashboards\/generated\/risk.json lacks/);
});
