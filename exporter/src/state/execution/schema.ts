/** What a snapshot carries of the execution slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import type { OrderBook } from './orders';
import type { ExecutionQuality } from './quality';
import type { ExecutionSlice } from './slice';

export const EXECUTION_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  ExecutionSlice: {
    version: 1,
    fields: fieldsOf<ExecutionSlice>()([
      'orders',
      'fillIds',
      'recentFills',
      'submitted',
      'closed',
      'fills',
      'filledNotional',
      'feesPaid',
      'fillTime',
      'quality',
    ]),
  },
  OrderBook: { version: 1, fields: fieldsOf<OrderBook>()(['active', 'recentlyClosed']) },
  ExecutionQuality: {
    version: 1,
    fields: fieldsOf<ExecutionQuality>()([
      'markArrivals',
      'recentMarks',
      'arrivals',
      'slippage',
      'unpriced',
      'limitImprovement',
      'fillRatio',
      'lastFill',
    ]),
  },
};
