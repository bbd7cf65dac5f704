/** The one order the history tests move through its states, as the state keeps it. */
import type { OrderRecord } from '../../exporter/src/state/changes';

/** When order o1 was created. */
export const ORDER_CREATED_MS = Date.parse('2026-01-05T00:00:00Z');

/**
 * Order o1 of engine e1 (buy 1 BTC/USD, limit) in `status` as of `updatedMs`: filled
 * wholly when its status says so, else not at all, unless `fields` say otherwise.
 */
export const orderState = (
  status: OrderRecord['status'],
  updatedMs: number,
  fields: Partial<OrderRecord> = {},
): OrderRecord => ({
  engine: 'e1',
  order_id: 'o1',
  symbol: 'BTC/USD',
  side: 'buy',
  order_type: 'limit',
  status,
  quantity: 1,
  filled_quantity: status === 'filled' ? 1 : 0,
  fees: 0.1,
  createdMs: ORDER_CREATED_MS,
  updatedMs,
  ...fields,
});
