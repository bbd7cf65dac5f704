import type { OrderRow } from '@tradewatch/feed-client';

import type { BlotterRow } from '../types';

/** An order's created_at as epoch ms (0 when unreadable). */
export const createdMs = (order: OrderRow): number => {
  const ms = Date.parse(order.created_at);
  return Number.isNaN(ms) ? 0 : ms;
};

/** The row's creation time, parsed once by the store (or now, for rows made elsewhere). */
export const rowCreatedMs = (row: BlotterRow): number => row.createdMs ?? createdMs(row.order);
