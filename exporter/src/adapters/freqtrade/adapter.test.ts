/**
 * The freqtrade adapter on literal records in freqtrade's shapes (Trade.to_json, Order.to_json,
 * rpc_types.py): what the end-to-end session (tests/sources/freqtrade.test.ts) does not reach.
 */
import type { TradingEventInput } from '../../events/schema';
import { createFreqtradeAdapter } from './adapter';
import type { KnownFtOrder } from './orders';

const T = Date.parse('2026-03-04T09:00:00Z');

function order(o: Record<string, unknown>) {
  return {
    amount: 1,
    safe_price: 0,
    ft_order_side: 'buy',
    order_filled_timestamp: null,
    ft_is_entry: true,
    ft_order_tag: null,
    pair: 'ETH/USDT',
    order_id: 'o1',
    status: 'open',
    average: 0,
    cost: 0,
    filled: 0,
    is_open: true,
    order_timestamp: T,
    order_type: 'limit',
    price: 2000,
    remaining: 1,
    ft_fee_base: null,
    ...o,
  };
}

function trade(t: Record<string, unknown>) {
  return {
    trade_id: 7,
    pair: 'ETH/USDT',
    base_currency: 'ETH',
    quote_currency: 'USDT',
    is_open: true,
    is_short: false,
    exchange: 'binance',
    amount: 1,
    strategy: 'S',
    enter_tag: 'tag',
    fee_open: 0.001,
    fee_open_cost: null,
    fee_open_currency: 'USDT',
    fee_close: 0.001,
    open_timestamp: T,
    current_rate: 2010,
    realized_profit: 0,
    orders: [],
    ...t,
  };
}

function run(records: unknown[], known: Record<string, KnownFtOrder> = {}) {
  const adapter = createFreqtradeAdapter({
    knownOrder: (_engine, id) => known[id],
    activeOrdersOfTrade: () => [],
  });
  const result = adapter(records);
  if (!result.ok) throw new Error('adapter refused the batch');
  return result as {
    events: TradingEventInput[];
    refused: { index: number; field: string; reason: string }[];
  };
}

const rec = (t: unknown) => ({ kind: 'trade', bot: 'b', at: T + 60_000, trade: t });

test('a fee in a third asset (BNB) is the recorded cost, shared among the side’s orders by filled quantity', () => {
  const t = trade({
    fee_open_currency: 'BNB',
    fee_open_cost: 0.003,
    orders: [
      order({ order_id: 'e1', filled: 1, amount: 1, average: 2000, status: 'closed' }),
      order({
        order_id: 'e2',
        filled: 2,
        amount: 2,
        average: 2010,
        status: 'closed',
        order_timestamp: T + 1,
      }),
    ],
  });
  const fills = run([rec(t)]).events.filter((e) => e.type === 'fill');
  expect(fills.map((f) => [f.order_id, f.fee, f.fee_currency])).toEqual([
    ['e1', '0.001', 'BNB'],
    ['e2', '0.002', 'BNB'],
  ]);
});

test('a stoploss order of a short is a buy stop on the exit side', () => {
  const t = trade({
    is_short: true,
    orders: [
      order({ order_id: 'in', ft_order_side: 'sell', filled: 1, average: 2000, status: 'closed' }),
      order({
        order_id: 'sl',
        ft_order_side: 'stoploss',
        ft_is_entry: false,
        order_type: 'stop_market',
        price: 2100,
        order_timestamp: T + 5,
      }),
    ],
  });
  const sl = run([rec(t)]).events.find((e) => e.type === 'order' && e.order_id === 'sl');
  expect(sl).toMatchObject({
    side: 'buy',
    order_type: 'stop',
    status: 'new',
    reason: 'exit short trade 7',
  });
});

test('a poll that finds an order as it was gives nothing new; a rise gives the rise only', () => {
  const t = trade({ orders: [order({ filled: 0.4, average: 2000, amount: 1 })] });
  const known: Record<string, KnownFtOrder> = {
    o1: { filled_quantity: 0.4, avg_fill_price: 2000, fees: 0.8, status: 'partially_filled', updated_at: T },
  };
  expect(run([rec(t)], known).events.map((e) => e.type)).toEqual(['mark']);
  const risen = trade({ orders: [order({ filled: 1, average: 2006, amount: 1, status: 'closed' })] });
  const fill = run([rec(risen)], known).events.find((e) => e.type === 'fill');
  // (2006 × 1 − 2000 × 0.4) / 0.6 = 2010; fee 0.001 × 2006 − 0.8 = 1.206.
  expect(fill).toMatchObject({ fill_id: 'o1@1', quantity: '0.6', price: '2010', fee: '1.206' });
});

test('two records of one order in one batch: the second sees the first', () => {
  const first = trade({ orders: [order({ filled: 0.5, average: 2000 })] });
  const second = trade({ orders: [order({ filled: 0.5, average: 2000 })] });
  const fills = run([rec(first), rec(second)]).events.filter((e) => e.type === 'fill');
  expect(fills).toHaveLength(1);
});

test('a record no freqtrade sends is refused alone, naming the field; an unknown message type too', () => {
  const bad = trade({ orders: [order({ ft_order_side: 'sideways' })] });
  const good = trade({
    trade_id: 8,
    orders: [order({ order_id: 'g', filled: 1, average: 2000, status: 'closed' })],
  });
  const result = run([
    rec(bad),
    rec(good),
    { kind: 'message', bot: 'b', at: T, message: { type: 'market_direction', data: 'long' } },
    { kind: 'message', bot: 'b', at: T, message: { type: 'exception', status: 'ccxt.NetworkError' } },
  ]);
  expect(result.refused.map((r) => [r.index, r.field])).toEqual([
    [0, 'trade.orders.0.ft_order_side'],
    [2, 'message.type'],
  ]);
  expect(result.events.filter((e) => e.type === 'fill').map((e) => e.order_id)).toEqual(['g']);
  expect(result.events.find((e) => e.type === 'alert')).toMatchObject({
    name: 'freqtrade_exception',
    severity: 'critical',
    message: 'ccxt.NetworkError',
  });
});

test('the heartbeat is the bot’s last loop; reported figures are the bot’s own', () => {
  const { events } = run([
    { kind: 'health', bot: 'b', at: T, health: { last_process_ts: 1772614800, last_process: 'x' } },
    { kind: 'profit', bot: 'b', at: T, profit: { profit_closed_coin: 9.07042 }, open_realized: [10.2905] },
  ]);
  expect(events[0]).toMatchObject({
    type: 'health',
    ts: 1772614800_000,
    component: 'freqtrade_bot',
    status: 'ok',
  });
  expect(events[1]).toMatchObject({
    type: 'risk',
    limits: { engine_last_process_timestamp_seconds: { value: '1772614800' } },
  });
  expect(events[2]).toMatchObject({
    type: 'risk',
    limits: { engine_reported_realized_pnl: { value: '19.36092' } },
  });
});
