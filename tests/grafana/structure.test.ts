/**
 * Static checks of every Grafana and Prometheus file against the rules Grafana and Prometheus
 * apply at start (an invalid provisioning file stops Grafana), plus staleness: regenerating
 * from the TypeScript sources gives exactly the committed files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { generatedFiles as generatedAlertingFiles } from '../../alerting/src/files';
import { panelIndexOf } from '../../alerting/src/panels';
import { dashboardUids } from '../../alerting/src/thresholds';
import { generatedFiles as dashboardFiles } from '../../dashboards/src/index';
import { dashboards, grafanaRules, panels, prometheusRules, rel, yamlFiles } from './grafana-files';

const CORE_PANELS = new Set([
  'row',
  'timeseries',
  'stat',
  'gauge',
  'bargauge',
  'table',
  'text',
  'alertlist',
  'state-timeline',
  'status-history',
  'barchart',
  'piechart',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'dashlist',
  'annolist',
  'nodeGraph',
  'traces',
  'flamegraph',
  'geomap',
  'canvas',
  'xychart',
  'trend',
  'candlestick',
  'datagrid',
]);
const PLUGIN_PANELS = new Set(['tradewatch-blotter-panel']);

/** The rule files as generated from the dashboards as generated (their panels' ids). */
const alertingFiles = () => {
  const fresh = dashboardFiles();
  return generatedAlertingFiles(panelIndexOf((key) => fresh[`dashboards/generated/${key}.json`]));
};

const datasourceUids = new Set(
  Object.values(yamlFiles('provisioning/datasources')).flatMap((d: any) =>
    d.datasources.map((s: any) => s.uid),
  ),
);
const alerting = yamlFiles('provisioning/alerting');
const contactPoints = Object.values(alerting).flatMap((d: any) => d.contactPoints ?? []);
const policies = Object.values(alerting).flatMap((d: any) => d.policies ?? []);
const muteTimes = Object.values(alerting).flatMap((d: any) => d.muteTimes ?? []);
const templates = Object.values(alerting).flatMap((d: any) => d.templates ?? []);
const rules = grafanaRules();
const runbook = readFileSync(rel('docs', 'runbook.md'), 'utf8');

function run(cmd: string, args: string[], cwd = rel()): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

describe('generated files are current', () => {
  test.each(Object.entries({ ...dashboardFiles(), ...alertingFiles() }))('%s', (path, content) => {
    expect(readFileSync(rel(path), 'utf8')).toBe(content);
  });
  test('no stale generated file is left over', () => {
    const expected = new Set(Object.keys({ ...dashboardFiles(), ...alertingFiles() }));
    const onDisk = [
      ...readdirSync(rel('dashboards/generated')).map((f) => `dashboards/generated/${f}`),
      ...readdirSync(rel('alerting/generated/prometheus')).map((f) => `alerting/generated/prometheus/${f}`),
      ...readdirSync(rel('provisioning/alerting'))
        .filter((f) => f.startsWith('rules-'))
        .map((f) => `provisioning/alerting/${f}`),
    ];
    expect(onDisk.filter((f) => !expected.has(f))).toEqual([]);
  });
});

describe('dashboards', () => {
  const all = dashboards();
  test('uids are unique and are the fixed uids', () => {
    const uids = Object.values(all).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.sort()).toEqual(Object.values(dashboardUids).sort());
  });

  describe.each(Object.entries(all))('%s', (_f, d) => {
    const ps = panels(d);
    test('panel types are core panels or our plugin', () => {
      for (const p of ps) expect(CORE_PANELS.has(p.type) || PLUGIN_PANELS.has(p.type)).toBe(true);
    });
    test('panel ids are unique', () => {
      const ids = ps.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
    test('panels lie inside the 24-column grid and do not overlap', () => {
      const boxes = ps.map((p) => ({ t: p.title, ...p.gridPos! }));
      for (const b of boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.x + b.w).toBeLessThanOrEqual(24);
        expect(b.w * b.h).toBeGreaterThan(0);
      }
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i],
            b = boxes[j];
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          if (overlap) throw new Error(`"${a.t}" overlaps "${b.t}"`);
        }
    });
    test('every datasource uid exists in provisioning', () => {
      const refs = [
        ...ps.map((p) => p.datasource),
        ...ps.flatMap((p) => (p.targets ?? []).map((t) => t.datasource)),
        ...(d.templating?.list ?? []).map((v) => v.datasource),
      ].filter((r): r is { uid: string } => !!r?.uid);
      expect(refs.length).toBeGreaterThan(0);
      for (const r of refs) expect(datasourceUids.has(r.uid)).toBe(true);
    });
    test('every query panel has a target with an expr (or SQL for the history, a channel for the feed) and a unique refId', () => {
      for (const p of ps.filter((p) => p.targets)) {
        const ids = p.targets!.map((t) => t.refId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const t of p.targets!) {
          const q = t as { expr?: string; rawSql?: string; channel?: string; datasource?: { uid?: string } };
          if (q.datasource?.uid === 'tradewatch-feed')
            expect(['orders', 'fills', 'positions', 'alerts']).toContain(q.channel);
          else expect(q.expr ?? q.rawSql).toBeTruthy();
        }
      }
    });
  });

  test('the Overview dashboard carries the blotter panel', () => {
    const overview = all['overview.json'];
    expect(panels(overview).some((p) => p.type === 'tradewatch-blotter-panel')).toBe(true);
  });
});

describe('alert rule provisioning', () => {
  test('rule uids are unique and at most 40 characters', () => {
    const uids = rules.map((r) => r.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const u of uids) expect(u.length).toBeLessThanOrEqual(40);
  });

  test.each(rules.map((r) => [r.title, r] as const))('%s is a valid Grafana rule', (_t, r) => {
    const refIds = r.data.map((d) => d.refId);
    expect(refIds).toContain(r.condition);
    expect(new Set(refIds).size).toBe(refIds.length);
    for (const d of r.data) {
      if (d.datasourceUid === '__expr__') {
        expect(['reduce', 'math', 'threshold', 'resample', 'classic_conditions']).toContain(d.model.type);
        const refs =
          d.model.type === 'math'
            ? [...d.model.expression!.matchAll(/\$(\w+)/g)].map((m) => m[1])
            : [d.model.expression!];
        for (const ref of refs) expect(refIds).toContain(ref);
      } else {
        expect(datasourceUids.has(d.datasourceUid)).toBe(true);
        expect(d.relativeTimeRange).toBeDefined();
        expect(d.relativeTimeRange!.from).toBeGreaterThan(d.relativeTimeRange!.to);
        expect(d.model.expr).toBeTruthy();
      }
    }
    expect(r.for).toMatch(/^(\d+(ms|s|m|h|d|w|y))+$/);
    expect(['OK', 'NoData', 'Alerting', 'KeepLast']).toContain(r.noDataState);
    expect(['OK', 'Error', 'Alerting', 'KeepLast']).toContain(r.execErrState);
    expect(['critical', 'warning', 'info']).toContain(r.labels!.severity);
    expect(r.annotations!.summary).toBeTruthy();
    // A link to the panel that explains it (tests/grafana/alert-links.test.ts), and to its runbook section.
    expect(Object.values(dashboardUids)).toContain(r.dashboardUid);
    expect(r.panelId).toBeGreaterThan(0);
    const anchor = r.annotations!.runbook_url.split('#')[1];
    expect(runbook).toMatch(new RegExp(`^## ${r.title}$`, 'm'));
    expect(anchor).toBe(r.title.toLowerCase());
  });

  test('Prometheus rules are the same rules with the same expressions', () => {
    const prom = prometheusRules();
    expect(prom.map((r) => r.alert).sort()).toEqual(rules.map((r) => r.title).sort());
    for (const r of rules) {
      const p = prom.find((x) => x.alert === r.title)!;
      expect(p.expr).toBe(r.data[0].model.expr);
      expect(p.labels).toEqual(r.labels);
      expect(p.for).toBe(r.for);
    }
  });

  test('every area has promtool tests that cover each of its alerts', () => {
    for (const file of readdirSync(rel('alerting/generated/prometheus'))) {
      const area = file.replace('.rules.yml', '');
      const test = readFileSync(rel('alerting/tests', `${area}.test.yaml`), 'utf8');
      for (const r of prometheusRules().filter((x) => x.labels.area === area))
        expect(test).toContain(`alertname: ${r.alert}`);
    }
  });
});

describe('contact points, policies, templates, mute timings', () => {
  test('no secret in the repo: destinations from the environment, or inert placeholders', () => {
    const fromEnv = Object.values(yamlFiles('provisioning/alerting-env')).flatMap(
      (d: any) => d.contactPoints,
    );
    for (const set of [contactPoints, fromEnv]) {
      expect(set.map((c: any) => c.name).sort()).toEqual(['tradewatch-email', 'tradewatch-webhook']);
      const types = set.flatMap((c: any) => c.receivers.map((r: any) => r.type));
      expect(types).toContain('webhook');
      expect(types.some((t: string) => t === 'email' || t === 'slack')).toBe(true);
    }
    const settings = (set: any[]) => set.flatMap((c: any) => c.receivers.map((r: any) => r.settings));
    for (const s of settings(fromEnv))
      for (const key of ['url', 'addresses', 'recipient', 'token', 'password', 'authorization_credentials'])
        if (s[key] !== undefined) expect(s[key]).toMatch(/^\$\{?[A-Z_]+\}?$/);
    for (const s of settings(contactPoints)) {
      for (const key of ['token', 'password', 'authorization_credentials']) expect(s[key]).toBeUndefined();
      if (s.url) expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:9\//);
      if (s.addresses) expect(s.addresses).toMatch(/@example\.invalid$/);
    }
  });
  test('policies route every severity to existing receivers and mute timings', () => {
    const receivers = new Set(contactPoints.map((c: any) => c.name));
    const muteNames = new Set(muteTimes.map((m: any) => m.name));
    const walk = (p: any): any[] => [p, ...(p.routes ?? []).flatMap(walk)];
    const all = policies.flatMap(walk);
    for (const p of all) {
      expect(receivers.has(p.receiver ?? policies[0].receiver)).toBe(true);
      for (const m of p.mute_time_intervals ?? []) expect(muteNames.has(m)).toBe(true);
    }
    const routed = all.flatMap((p) =>
      (p.object_matchers ?? []).filter((m: string[]) => m[0] === 'severity').map((m: string[]) => m[2]),
    );
    for (const sev of ['critical', 'warning', 'info']) expect(routed).toContain(sev);
  });
  test('templates used by contact points are defined', () => {
    const defined = templates.flatMap((t: any) =>
      [...t.template.matchAll(/define "([\w.]+)"/g)].map((m: any) => m[1]),
    );
    const used = JSON.stringify(contactPoints).match(/template \\"([\w.]+)\\"/g) ?? [];
    expect(used.length).toBeGreaterThan(0);
    for (const u of used) expect(defined).toContain(/"([\w.]+)\\"/.exec(u)![1].replace(/\\$/, ''));
  });
});

describe('tools accept the files', () => {
  test('promtool check config prometheus/prometheus.yml', () => {
    expect(run('promtool', ['check', 'config', 'prometheus/prometheus.yml'])).toMatch(/SUCCESS/);
  });
  test('promtool check rules on the generated Prometheus rules', () => {
    const files = readdirSync(rel('alerting/generated/prometheus')).map(
      (f) => `alerting/generated/prometheus/${f}`,
    );
    expect(run('promtool', ['check', 'rules', ...files])).toMatch(/SUCCESS/);
  });
  test('promtool test rules alerting/tests/*.test.yaml', () => {
    const files = readdirSync(rel('alerting/tests')).filter((f) => f.endsWith('.test.yaml'));
    expect(files.length).toBe(6);
    const out = run('promtool', ['test', 'rules', ...files], rel('alerting/tests'));
    expect(out).not.toMatch(/FAILED/);
  });
  test('docker-compose -f docker-compose.yml config', () => {
    const out = run('docker-compose', ['-f', 'docker-compose.yml', 'config']);
    expect(out).toMatch(/tradewatch-blotter-panel/);
    expect(existsSync(rel('exporter/Dockerfile'))).toBe(true);
  });
});
