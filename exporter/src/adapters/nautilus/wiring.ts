/**
 * The Nautilus adapter wired to a store: an order's cumulative fill, fees and average (to
 * derive its next state from an OrderFilled), the event ids applied (to skip a copy), the
 * engine's reported PnL so far and its latest marks all come from the store, which the
 * journal and snapshots keep, so a restart of the exporter derives nothing twice.
 */
import type { OrderRecord } from '../../state/execution/orders';
import type { Store } from '../../state/store';
import { createNautilusAdapter, ENGINE_REPORTED_REALIZED_PNL, type KnownNtOrder } from './adapter';

function knownOf(row: OrderRecord): KnownNtOrder {
  return {
    symbol: row.symbol,
    venue: row.venue ?? '',
    side: row.side,
    order_type: row.order_type,
    status: row.status,
    // The record keeps numbers; each was read from a short decimal string, which String() gives back.
    quantity: String(row.quantity),
    filled_quantity: String(row.filled_quantity),
    fees: String(row.fees),
    created_at: row.createdMs,
    ...(row.avg_fill_price !== undefined ? { avg_fill_price: String(row.avg_fill_price) } : {}),
    ...(row.limit_price !== undefined ? { limit_price: String(row.limit_price) } : {}),
    ...(row.stop_price !== undefined ? { stop_price: String(row.stop_price) } : {}),
    ...(row.fee_currency !== undefined ? { fee_currency: row.fee_currency } : {}),
    ...(row.strategy !== undefined ? { strategy: row.strategy } : {}),
    ...(row.time_in_force !== undefined ? { time_in_force: row.time_in_force } : {}),
  };
}

export function nautilusAdapterFor(
  store: Store,
  options: { valuationCurrency: string; markIntervalMs: number },
) {
  return createNautilusAdapter({
    ...options,
    knownOrder: (engine, orderId) => {
      const row = store.engines.get(engine)?.execution.orders.find(orderId);
      return row && knownOf(row);
    },
    seenEvent: (engine, id) => store.hasEventId(engine, id),
    seenFill: (engine, fillId) => store.engines.get(engine)?.execution.fillIds.has(fillId) === true,
    reportedRealized: (engine) => {
      const figure = store.engines.get(engine)?.risk.riskLimits.get(ENGINE_REPORTED_REALIZED_PNL);
      return figure && String(figure.value);
    },
    lastMarkMs: (engine, symbol) => store.engines.get(engine)?.market.marks.get(symbol)?.ts,
  });
}
