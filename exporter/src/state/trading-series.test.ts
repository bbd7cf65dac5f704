/**
 * What a batch adds to the trading series (the TRADEWATCH_MAX_SERIES cap): an order stated
 * earlier in the same batch lends its strategy to its fills.
 */
import { validateBatch } from '../events/validate';
import type { TradingEvent } from '../events/schema';
import { Store } from './store';
import { mostSeriesAdded, TradingSeriesTally } from './trading-series';

const T0 = Date.parse('2026-03-02T10:00:00Z');

function events(raws: Record<string, unknown>[]): TradingEvent[] {
  const r = validateBatch(raws);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.events;
}

const order = (engine: string, strategy: string) => ({
  type: 'order',
  ts: T0,
  engine,
  order_id: 'o1',
  symbol: 'BTC/USD',
  side: 'buy',
  order_type: 'limit',
  status: 'new',
  quantity: '2',
  limit_price: '100',
  strategy,
});
const fill = (engine: string, fillId: string, strategy?: string) => ({
  type: 'fill',
  ts: T0 + 1,
  engine,
  fill_id: fillId,
  order_id: 'o1',
  symbol: 'BTC/USD',
  side: 'buy',
  price: '100',
  quantity: '1',
  ...(strategy ? { strategy } : {}),
});

function tally(raws: Record<string, unknown>[]): number[] {
  const t = new TradingSeriesTally(
    new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 86_400_000 } }),
  );
  return events(raws).map((e) => t.add(e));
}

test("a fill without a strategy takes its order's, stated earlier in the batch: no new series", () => {
  // submitted alpha; fills alpha (counted twice: the notional too); a second fill of the same series.
  expect(tally([order('e1', 'alpha'), fill('e1', 'f1', 'alpha'), fill('e1', 'f2')])).toEqual([1, 2, 0]);
});

test('mostSeriesAdded bounds what the tally gives each event, at its most (the cardinality check skips the tally under it)', () => {
  const { type: _type, ts: _ts, engine: _engine, ...payload } = order('e1', 'beta');
  const raws = [
    { ...order('e1', 'alpha'), status: 'filled', filled_quantity: '2', avg_fill_price: '100' }, // submitted and closed
    fill('e1', 'f1', 'gamma'), // a new series, counted twice
    {
      type: 'snapshot',
      ts: T0 + 2,
      engine: 'e1',
      orders: [{ ...payload, order_id: 'o2', status: 'canceled' }],
    },
    { type: 'mark', ts: T0 + 3, engine: 'e1', symbol: 'BTC/USD', price: '100' },
  ];
  expect(tally(raws)).toEqual([2, 2, 2, 0]);
  expect(events(raws).map((e) => mostSeriesAdded([e]))).toEqual([2, 2, 2, 0]);
  expect(mostSeriesAdded(events(raws))).toBe(6);
});
