/**
 * The freqtrade adapter wired to a store: what it knows of an order between polls (its
 * cumulative fill, average price, fees, status) is the store's order book, which the
 * journal and snapshots keep, so a restart of the exporter re-derives nothing twice.
 */
import type { Store } from '../../state/store';
import type { OrderRecord } from '../../state/execution/orders';
import { createFreqtradeAdapter, type ActiveFtOrder } from './adapter';
import type { KnownFtOrder } from './orders';

function knownOf(row: OrderRecord): KnownFtOrder {
  return {
    filled_quantity: row.filled_quantity,
    ...(row.avg_fill_price !== undefined ? { avg_fill_price: row.avg_fill_price } : {}),
    fees: row.fees,
    status: row.status,
    updated_at: row.updatedMs,
    ...(row.fee_currency !== undefined ? { fee_currency: row.fee_currency } : {}),
  };
}

export function freqtradeAdapterFor(store: Store) {
  return createFreqtradeAdapter({
    knownOrder: (engine, orderId) => {
      const row = store.engines.get(engine)?.execution.orders.find(orderId);
      return row && knownOf(row);
    },
    // A trade's orders are few and a deleted trade is rare: a scan of the active ones.
    activeOrdersOfTrade: (engine, clientOrderId) => {
      const out: ActiveFtOrder[] = [];
      for (const row of store.engines.get(engine)?.execution.orders.active.values() ?? [])
        if (row.client_order_id === clientOrderId)
          out.push({
            ...knownOf(row),
            order_id: row.order_id,
            symbol: row.symbol,
            side: row.side,
            order_type: row.order_type,
            quantity: row.quantity,
            ...(row.strategy !== undefined ? { strategy: row.strategy } : {}),
          });
      return out;
    },
  });
}

/** Trade ids whose orders are still active in the store (the source reads each such trade once). */
export function activeTradeIdsOf(store: Store, engine: string): number[] {
  const ids = new Set<number>();
  for (const row of store.engines.get(engine)?.execution.orders.active.values() ?? []) {
    const m = /^ft-trade:(\d+)$/.exec(row.client_order_id ?? '');
    if (m) ids.add(Number(m[1]));
  }
  return [...ids];
}
