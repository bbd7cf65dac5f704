/**
 * The Gal Friday adapter wired to a store: what the adapter knows of an order between
 * batches (its cumulative fill, to derive deltas) comes from the store's order book, which
 * is durable, so a restart never double counts a fill.
 */
import { createGalFridayAdapter, type GalFridayOptions } from '../events/galfriday';
import type { Store } from '../state/store';

export function galFridayAdapterFor(store: Store, options: Omit<GalFridayOptions, 'knownOrder'>) {
  return createGalFridayAdapter({
    ...options,
    knownOrder: (engine, orderId) => {
      const row = store.engines.get(engine)?.orders.find(orderId);
      return (
        row && {
          filled_quantity: row.filled_quantity,
          avg_fill_price: row.avg_fill_price,
          fees: row.fees,
          updated_at: Date.parse(row.updated_at),
        }
      );
    },
  });
}
