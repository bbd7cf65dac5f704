export * from './thresholds';
export * from './model';
export { allRules, rulesByArea } from './rules';
export { generatedFiles, grafanaRulePath, prometheusRulePath } from './files';
export { GRAFANA_FOLDER, PROMETHEUS_UID } from './render/grafana';
