/** What a snapshot carries of the strategy slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import type { StrategySlice } from './slice';

export const STRATEGY_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  StrategySlice: {
    version: 1,
    fields: fieldsOf<StrategySlice>()(['strategies', 'strategyTransitions', 'lastActiveStrategy', 'signals']),
  },
};
