import type { AlertRule, Area } from '../model';
import { panelIdOf, type PanelIndex } from '../panels';
import { deployment } from '../thresholds';
import { annotations, labels } from './text';

/** A Prometheus rule file (one group per area). */
export function prometheusRuleFile(area: Area, rules: AlertRule[], panels: PanelIndex): object {
  return {
    groups: [
      {
        name: `tradewatch-${area}`,
        interval: deployment.evaluationInterval,
        rules: rules.map((rule) => ({
          alert: rule.alert,
          expr: rule.expr,
          for: rule.for,
          labels: labels(rule),
          annotations: annotations(rule, 'prometheus', panelIdOf(panels, rule)),
        })),
      },
    ],
  };
}
