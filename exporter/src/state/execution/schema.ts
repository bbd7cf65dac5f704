/** What a snapshot carries of the execution slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import { recordsOfArray, recordsOfMap, type TimeFields } from '../common/snapshot-times';
import type { OrderBook } from './orders';
import type { ExecutionQuality } from './quality';
import type { ExecutionSlice } from './slice';

/** Version 1 kept orders and fills as wire rows (RFC 3339 times); version 2 as records (epoch ms). */
const ORDER_TIMES: TimeFields = { created_at: 'createdMs', updated_at: 'updatedMs' };
const FILL_TIMES: TimeFields = { ts: 'tsMs' };

export const EXECUTION_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  ExecutionSlice: {
    version: 2,
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
    migrations: {
      1: (f, _target, resolve) => ({ ...f, recentFills: recordsOfArray(f.recentFills, FILL_TIMES, resolve) }),
    },
  },
  OrderBook: {
    version: 2,
    fields: fieldsOf<OrderBook>()(['active', 'recentlyClosed']),
    migrations: {
      1: (f, _target, resolve) => ({
        ...f,
        active: recordsOfMap(f.active, ORDER_TIMES, resolve),
        recentlyClosed: recordsOfMap(f.recentlyClosed, ORDER_TIMES, resolve),
      }),
    },
  },
  ExecutionQuality: {
    // Version 2: the mark arrivals and the ring of recent marks are the market slice's
    // (EngineState's migration to version 3 moves them there before this one runs).
    version: 2,
    migrations: { 1: ({ markArrivals: _arrivals, recentMarks: _ring, ...fields }) => fields },
    fields: fieldsOf<ExecutionQuality>()([
      'arrivals',
      'slippage',
      'unpriced',
      'limitImprovement',
      'fillRatio',
      'lastFill',
    ]),
  },
};
