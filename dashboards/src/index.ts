import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard, type DashboardSpec } from './lib/dashboard';
import { executionDashboard } from './execution';
import { healthDashboard } from './health';
import { overviewDashboard } from './overview';
import { portfolioDashboard } from './portfolio';
import { riskDashboard } from './risk';
import { strategyDashboard } from './strategy';
import { buildTradesDashboard } from './trades';

export const specs: DashboardSpec[] = [
  overviewDashboard,
  executionDashboard,
  portfolioDashboard,
  riskDashboard,
  strategyDashboard,
  healthDashboard,
];

export function buildAll(): Record<string, dashboard.Dashboard> {
  return {
    ...Object.fromEntries(specs.map((s) => [s.key, buildDashboard(s)])),
    trades: buildTradesDashboard(),
  };
}

/** Every generated file: repository-relative path → content. Pure; generate.ts writes them. */
export function generatedFiles(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(buildAll()).map(([key, d]) => [
      `dashboards/generated/${key}.json`,
      JSON.stringify(d, null, 2) + '\n',
    ]),
  );
}
