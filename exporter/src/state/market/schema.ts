/** What a snapshot carries of the market slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import type { MarketSlice } from './slice';

export const MARKET_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  MarketSlice: {
    // Version 2: with the mark arrivals and the ring of recent marks, which EngineState's
    // migration to version 3 brings from the execution quality before this one runs.
    version: 2,
    fields: fieldsOf<MarketSlice>()(['marks', 'markArrivals', 'recentMarks']),
    migrations: { 1: (fields) => fields },
  },
};
