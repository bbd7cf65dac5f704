/**
 * The Gal Friday adapter wired to a store: what the adapter knows of an order between
 * batches (its cumulative fill, to derive deltas; its side, pair, status and type, to
 * complete a WebSocket report) comes from the store's order book, which is durable, so a
 * restart never double counts a fill.
 */
import { createGalFridayAdapter, type GalFridayOptions, type KnownOrder } from './adapter';
import type { OrderRecord } from '../../state/execution/orders';
import type { Store } from '../../state/store';

function knownOf(row: OrderRecord): KnownOrder {
  return {
    filled_quantity: row.filled_quantity,
    avg_fill_price: row.avg_fill_price,
    fees: row.fees,
    updated_at: row.updatedMs,
    status: row.status,
    side: row.side,
    symbol: row.symbol,
    order_type: row.order_type,
    quantity: row.quantity,
    fee_currency: row.fee_currency,
  };
}

export function galFridayAdapterFor(
  store: Store,
  options: Omit<GalFridayOptions, 'knownOrder' | 'orderIdOfClient'>,
) {
  return createGalFridayAdapter({
    ...options,
    knownOrder: (engine, orderId) => {
      const row = store.engines.get(engine)?.execution.orders.find(orderId);
      return row && knownOf(row);
    },
    // Rare (a WebSocket report without the exchange's id): a scan of the engine's orders.
    orderIdOfClient: (engine, clientOrderId) => {
      const orders = store.engines.get(engine)?.execution.orders;
      if (!orders) return undefined;
      for (const rows of [orders.active.values(), orders.recentlyClosed.values()])
        for (const row of rows) if (row.client_order_id === clientOrderId) return row.order_id;
      return undefined;
    },
  });
}
