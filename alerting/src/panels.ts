/**
 * Which panel of which dashboard each rule links to. The ids are those of the generated
 * dashboards Grafana loads (dashboards/generated/*.json): the dashboards package computes them
 * from its layout, and it depends on this package (thresholds), so this one reads its output
 * instead of importing it. Regenerate the dashboards first, then the rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertRule } from './model';
import { dashboardUids, type DashboardKey } from './thresholds';

export interface PanelRef {
  id: number;
  title?: string;
}

/** Each dashboard's panels, in order. */
export type PanelIndex = Record<DashboardKey, readonly PanelRef[]>;

/** The index of dashboards given as their JSON text, by key. */
export function panelIndexOf(jsonByKey: (key: DashboardKey) => string): PanelIndex {
  const index = {} as Record<DashboardKey, readonly PanelRef[]>;
  for (const key of Object.keys(dashboardUids) as DashboardKey[]) {
    const parsed = JSON.parse(jsonByKey(key)) as { panels?: PanelRef[] };
    index[key] = (parsed.panels ?? []).map(({ id, title }) => ({ id, title }));
  }
  return index;
}

/** The generated dashboards' panels; `root` is the repository root. */
export function readPanelIndex(root: string): PanelIndex {
  return panelIndexOf((key) => readFileSync(join(root, 'dashboards', 'generated', `${key}.json`), 'utf8'));
}

/** The id of the rule's panel; a title its dashboard lacks is an error naming both. */
export function panelIdOf(index: PanelIndex, rule: Pick<AlertRule, 'alert' | 'dashboard' | 'panel'>): number {
  const found = index[rule.dashboard]?.find((p) => p.title === rule.panel);
  if (!found)
    throw new Error(
      `alert ${rule.alert} links panel "${rule.panel}", which dashboards/generated/${rule.dashboard}.json lacks ` +
        '(regenerate the dashboards, or name an existing panel)',
    );
  return found.id;
}
