import type { AlertRule, Area } from '../model';
import { executionRules } from './execution';
import { healthRules } from './health';
import { hostRules } from './host';
import { marketRules } from './market';
import { portfolioRules } from './portfolio';
import { riskRules } from './risk';
import { strategyRules } from './strategy';

/** Every rule, by area; each area becomes one rule group and one file. */
export const rulesByArea: Record<Area, AlertRule[]> = {
  execution: [...executionRules, ...marketRules],
  portfolio: portfolioRules,
  risk: riskRules,
  strategy: strategyRules,
  health: healthRules,
  host: hostRules,
};

export const allRules: AlertRule[] = Object.values(rulesByArea).flat();
