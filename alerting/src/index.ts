export * from './thresholds';
export * from './model';
export { allRules, rulesByArea } from './rules';
export { generatedFiles, grafanaRulePath, prometheusRulePath } from './files';
export { GRAFANA_FOLDER, PROMETHEUS_UID } from './render/grafana';
export { readPanelIndex, panelIndexOf, panelIdOf, type PanelIndex, type PanelRef } from './panels';
