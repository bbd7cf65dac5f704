/** What a snapshot carries of the market slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import type { MarketSlice } from './slice';

export const MARKET_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  MarketSlice: { version: 1, fields: fieldsOf<MarketSlice>()(['marks']) },
};
