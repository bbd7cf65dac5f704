/** What a snapshot carries of the risk slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import type { RiskSlice } from './slice';

export const RISK_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  RiskSlice: {
    version: 1,
    fields: fieldsOf<RiskSlice>()(['halted', 'haltReason', 'haltsTotal', 'riskLimits']),
  },
};
