/** The Hummingbot adapter wired to a store: an order's cumulative fill and fees are the store's order record. */
import type { Store } from '../../state/store';
import { createHummingbotAdapter } from './adapter';

export function hummingbotAdapterFor(store: Store) {
  return createHummingbotAdapter({
    knownOrder: (engine, orderId) => {
      const row = store.engines.get(engine)?.execution.orders.find(orderId);
      if (!row) return undefined;
      return {
        symbol: row.symbol,
        side: row.side,
        order_type: row.order_type === 'market' ? 'market' : 'limit',
        status: row.status,
        // Each number was read from a short decimal string, which String() gives back.
        quantity: String(row.quantity),
        filled_quantity: String(row.filled_quantity),
        fees: String(row.fees),
        created_at: row.createdMs,
        ...(row.avg_fill_price !== undefined ? { avg_fill_price: String(row.avg_fill_price) } : {}),
        ...(row.limit_price !== undefined ? { limit_price: String(row.limit_price) } : {}),
        ...(row.fee_currency !== undefined ? { fee_currency: row.fee_currency } : {}),
      };
    },
    seenFill: (engine, fillId) => store.engines.get(engine)?.execution.fillIds.has(fillId) === true,
  });
}
