/** Reads the committed Grafana and Prometheus files the tests check (what Grafana really loads). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO = path.resolve(__dirname, '..', '..');
export const rel = (...p: string[]) => path.join(REPO, ...p);

export interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
export interface Panel {
  id?: number;
  type: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  fieldConfig?: { defaults?: { mappings?: Array<{ type: string; options?: { match?: string } }> } };
  panels?: Panel[];
}
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: {
    list: Array<{ name: string; type: string; query?: unknown; datasource?: { uid?: string } }>;
  };
}

export function dashboards(): Record<string, Dashboard> {
  const dir = rel('dashboards', 'generated');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Dashboard]),
  );
}

/** Every panel (rows flattened). */
export function panels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface GrafanaRule {
  uid: string;
  title: string;
  condition: string;
  for?: string;
  noDataState?: string;
  execErrState?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  dashboardUid?: string;
  panelId?: number;
  data: Array<{
    refId: string;
    datasourceUid: string;
    relativeTimeRange?: { from: number; to: number };
    model: { expr?: string; type?: string; expression?: string };
  }>;
}

export function yamlFiles(dir: string): Record<string, any> {
  return Object.fromEntries(
    readdirSync(rel(dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => [f, parse(readFileSync(rel(dir, f), 'utf8'))]),
  );
}

export function grafanaRules(): GrafanaRule[] {
  return Object.values(yamlFiles('provisioning/alerting'))
    .flatMap((doc: any) => doc.groups ?? [])
    .flatMap((g: any) => g.rules as GrafanaRule[]);
}

export function prometheusRules(): Array<{
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}> {
  return Object.values(yamlFiles('alerting/generated/prometheus')).flatMap((doc: any) =>
    doc.groups.flatMap((g: any) => g.rules),
  );
}

export const prometheusRuleFiles = () =>
  readdirSync(rel('alerting/generated/prometheus'))
    .filter((f) => f.endsWith('.rules.yml'))
    .map((f) => rel('alerting/generated/prometheus', f));

/** Grafana's values for our variables and macros, as the live test substitutes them. */
export function substitute(expr: string): string {
  return expr
    .replace(/\$__rate_interval/g, '1m')
    .replace(/\$__interval/g, '15s')
    .replace(/\$__range/g, '5m')
    .replace(/\$(engine|strategy|symbol)\b/g, '.*');
}
