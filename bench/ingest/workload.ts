/**
 * The ingest benchmarks' workload: the order/fill mix of a live engine. Each order is
 * placed, filled in two parts, and reported filled — with decimal strings, as Gal Friday
 * sends them. Deterministic for a given batch number.
 */
export interface WorkloadOptions {
  engine?: string;
  symbols?: number;
  strategies?: readonly string[];
  /** Event-time step between orders, in ms. */
  stepMs?: number;
}

const T0 = Date.parse('2026-03-02T00:00:00Z');

export function orderFillBatch(
  b: number,
  size: number,
  options: WorkloadOptions = {},
): Record<string, unknown>[] {
  const {
    engine = 'bench',
    symbols = 200,
    strategies = ['alpha', 'beta', 'gamma', 'delta'],
    stepMs = 1,
  } = options;
  const events: Record<string, unknown>[] = [];
  for (let n = b * size; events.length < size; n++) {
    const ts = T0 + n * stepMs;
    const base = {
      engine,
      symbol: `S${n % symbols}/USD`,
      side: n % 2 === 0 ? 'buy' : 'sell',
      strategy: strategies[n % strategies.length],
    };
    const order = {
      type: 'order',
      ts,
      ...base,
      order_id: `o${n}`,
      order_type: 'limit',
      quantity: '2',
      limit_price: '100.5',
      time_in_force: 'GTC',
    };
    const fill = {
      type: 'fill',
      ...base,
      order_id: `o${n}`,
      price: '100.5',
      quantity: '1',
      fee: '0.05',
      fee_currency: 'USD',
    };
    events.push({ ...order, status: 'new' });
    events.push({ ...fill, ts: ts + 1, fill_id: `f${n}a` });
    events.push({
      ...order,
      ts: ts + 1,
      status: 'partially_filled',
      filled_quantity: '1',
      avg_fill_price: '100.5',
      fees: '0.05',
    });
    events.push({ ...fill, ts: ts + 2, fill_id: `f${n}b` });
    events.push({
      ...order,
      ts: ts + 2,
      status: 'filled',
      filled_quantity: '2',
      avg_fill_price: '100.5',
      fees: '0.1',
    });
  }
  return events.slice(0, size);
}
