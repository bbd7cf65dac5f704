/**
 * Scripted freqtrade sessions, worked by hand (the figures in the comments are the ones the
 * tests assert). Spot bot "alpha" (stake USDT, fees 0.1 % in the quote unless said):
 *
 *  1. XRP/USDT long, winning: buy 100 @ 0.50 (fee 0.05), sell 100 @ 0.60 (fee 0.06).
 *     freqtrade profit_abs = 60 − 0.06 − (50 + 0.05) = 9.89; ours the same.
 *  2. DOGE/USDT long, losing: buy 1000 @ 0.20 (fee 0.2), sell 1000 @ 0.18 (fee 0.18).
 *     profit_abs = 179.82 − 200.2 = −20.38; ours the same.
 *  3. ADA/USDT long, partial fills then a partial exit, left open:
 *     entry 200: first seen filled 120 @ average 0.99 (cost 118.8), then 200 @ average 0.995
 *     (cost 199): fills 120 @ 0.99 and 80 @ (199 − 118.8)/80 = 1.0025; entry fees
 *     0.001 × 199 = 0.199 (0.1188 + 0.0802). Exit sell 100 @ 1.10 (fee 0.11).
 *     Ours: 100 × (1.10 − 0.995) − 0.11 − 0.199 = 10.191 realized; 100 ADA left at 0.995,
 *     marked at current_rate 1.05: unrealized 5.5.
 *     freqtrade's realized_profit for that exit = 100 × 1.10 × 0.999 − 100 × 0.995 × 1.001
 *     = 10.2905: it charges the entry fee pro rata to what is exited, tradewatch at entry
 *     (the 0.0995 of entry fee on the 100 ADA still held is the whole difference).
 *  4. SOL/USDT long, fee in base: buy 10 @ 20, freqtrade takes 0.01 SOL (ft_fee_base;
 *     amount 9.99), sell 9.99 @ 22 (fee 0.21978 USDT).
 *     Ours: −0.01 × 20 + 9.99 × 2 − 0.21978 = 19.56022; freqtrade's profit_abs =
 *     219.78 × 0.999 − 9.99 × 20 × 1.001 = 19.56042 (its fee rate on 9.99, not on 10).
 *  5. LINK/USDT entry 50 @ 10 that never fills; freqtrade deletes the trade: canceled.
 *
 *  alpha totals: realized 9.89 − 20.38 + 10.191 + 19.56022 = 19.26122; USDT fees
 *  0.05 + 0.06 + 0.2 + 0.18 + 0.199 + 0.11 + 0.21978 = 1.01878, SOL fees 0.01; 9 fills;
 *  9 signals (one per order); cash USDT 1000 + 9.89 − 20.38 − 89.309 + 19.56022 = 919.76122,
 *  equity 919.76122 + 100 × 1.05 = 1024.76122 (= the bot's own /balance total).
 *  freqtrade's closed profit 9.89 − 20.38 + 19.56042 = 9.07042, plus the open trade's
 *  realized 10.2905: reported realized 19.36092.
 *
 * Futures bot "beta" (stake USDT, fees 0.05 %):
 *  6. BTC/USDT:USDT short, leverage 3: sell 0.01 @ 50000 (fee 0.25), buy 0.01 @ 48000
 *     (fee 0.24). profit_abs = (500 − 0.25) − (480 + 0.24) = 19.51; ours
 *     0.01 × 2000 − 0.49 = 19.51.
 */
import { orderJson, type FreqtradeStandin, type ScriptedTrade } from '../support/freqtrade-standin';

const HOUR = 3_600_000;

function trade(partial: Partial<ScriptedTrade> & Pick<ScriptedTrade, 'trade_id' | 'pair'>): ScriptedTrade {
  const [base, quoteAndSettle] = partial.pair.split('/');
  return {
    base_currency: base,
    quote_currency: quoteAndSettle.split(':')[0],
    is_open: true,
    is_short: false,
    amount: 0,
    stake_amount: 0,
    strategy: 'SampleStrategy',
    enter_tag: null,
    exit_reason: null,
    fee_open: 0.001,
    fee_open_cost: null,
    fee_open_currency: 'USDT',
    fee_close: 0.001,
    fee_close_cost: null,
    fee_close_currency: null,
    open_timestamp: 0,
    close_timestamp: null,
    open_rate: 0,
    close_rate: null,
    profit_abs: null,
    realized_profit: 0,
    leverage: 1,
    current_rate: 0,
    trading_mode: 'spot',
    orders: [],
    ...partial,
  };
}

/** Trades 1 and 2, closed before tradewatch first looks (read from /trades). */
export function alphaHistory(bot: FreqtradeStandin, now: number): void {
  const t1 = now - 3 * HOUR;
  bot.trades.set(
    1,
    trade({
      trade_id: 1,
      pair: 'XRP/USDT',
      is_open: false,
      amount: 100,
      stake_amount: 50,
      enter_tag: 'rsi_cross',
      exit_reason: 'roi',
      fee_open_cost: 0.05,
      fee_close_cost: 0.06,
      fee_close_currency: 'USDT',
      open_timestamp: t1,
      close_timestamp: t1 + 600_000,
      open_rate: 0.5,
      close_rate: 0.6,
      profit_abs: 9.89,
      realized_profit: 9.89,
      orders: [
        orderJson({
          order_id: 'x-1-buy',
          pair: 'XRP/USDT',
          side: 'buy',
          entry: true,
          amount: 100,
          filled: 100,
          average: 0.5,
          status: 'closed',
          at: t1,
          filledAt: t1 + 1000,
          tag: 'rsi_cross',
        }),
        orderJson({
          order_id: 'x-1-sell',
          pair: 'XRP/USDT',
          side: 'sell',
          entry: false,
          amount: 100,
          filled: 100,
          average: 0.6,
          status: 'closed',
          at: t1 + 500_000,
          filledAt: t1 + 600_000,
          tag: 'roi',
        }),
      ],
    }),
  );
  const t2 = now - 2 * HOUR;
  bot.trades.set(
    2,
    trade({
      trade_id: 2,
      pair: 'DOGE/USDT',
      is_open: false,
      amount: 1000,
      stake_amount: 200,
      enter_tag: 'breakout',
      exit_reason: 'stop_loss',
      fee_open_cost: 0.2,
      fee_close_cost: 0.18,
      fee_close_currency: 'USDT',
      open_timestamp: t2,
      close_timestamp: t2 + 900_000,
      open_rate: 0.2,
      close_rate: 0.18,
      profit_abs: -20.38,
      realized_profit: -20.38,
      orders: [
        orderJson({
          order_id: 'd-2-buy',
          pair: 'DOGE/USDT',
          side: 'buy',
          entry: true,
          amount: 1000,
          filled: 1000,
          average: 0.2,
          status: 'closed',
          at: t2,
          filledAt: t2 + 1000,
          tag: 'breakout',
        }),
        orderJson({
          order_id: 'd-2-sell',
          pair: 'DOGE/USDT',
          side: 'sell',
          entry: false,
          amount: 1000,
          filled: 1000,
          average: 0.18,
          status: 'closed',
          at: t2 + 800_000,
          filledAt: t2 + 900_000,
          tag: 'stop_loss',
          type: 'market',
        }),
      ],
    }),
  );
  bot.balances = [{ currency: 'USDT', balance: 989.51 }];
  bot.total = 989.51;
}

/** Trade 3, entry partly filled: 120 of 200 @ 0.99. */
export function adaPartialEntry(bot: FreqtradeStandin, now: number): void {
  bot.trades.set(
    3,
    trade({
      trade_id: 3,
      pair: 'ADA/USDT',
      amount: 120,
      stake_amount: 118.8,
      enter_tag: 'dip',
      fee_open_cost: 0.1188,
      open_timestamp: now,
      open_rate: 0.99,
      current_rate: 1,
      orders: [
        orderJson({
          order_id: 'a-3-buy',
          pair: 'ADA/USDT',
          side: 'buy',
          entry: true,
          amount: 200,
          filled: 120,
          average: 0.99,
          status: 'open',
          price: 1,
          at: now,
          tag: 'dip',
        }),
      ],
    }),
  );
  bot.balances = [
    { currency: 'USDT', balance: 870.5912 },
    { currency: 'ADA', balance: 120 },
  ];
  bot.total = 990.5912;
}

/** Trade 3's entry completes: 200 @ average 0.995. */
export function adaEntryFilled(bot: FreqtradeStandin, now: number): void {
  const t = bot.trades.get(3) as ScriptedTrade;
  t.amount = 200;
  t.stake_amount = 199;
  t.open_rate = 0.995;
  t.fee_open_cost = 0.199;
  t.current_rate = 1;
  t.orders = [
    orderJson({
      order_id: 'a-3-buy',
      pair: 'ADA/USDT',
      side: 'buy',
      entry: true,
      amount: 200,
      filled: 200,
      average: 0.995,
      status: 'closed',
      price: 1,
      at: t.open_timestamp,
      filledAt: now,
      tag: 'dip',
    }),
  ];
  bot.balances = [
    { currency: 'USDT', balance: 790.311 },
    { currency: 'ADA', balance: 200 },
  ];
  bot.total = 990.311;
}

/** Trade 3 exits half: sell 100 @ 1.10; left open with 100 ADA marked at 1.05. */
export function adaPartialExit(bot: FreqtradeStandin, now: number): void {
  const t = bot.trades.get(3) as ScriptedTrade;
  t.amount = 100;
  t.realized_profit = 10.2905;
  t.fee_close_cost = 0.11;
  t.fee_close_currency = 'USDT';
  t.current_rate = 1.05;
  t.orders = [
    ...t.orders,
    orderJson({
      order_id: 'a-3-sell',
      pair: 'ADA/USDT',
      side: 'sell',
      entry: false,
      amount: 100,
      filled: 100,
      average: 1.1,
      status: 'closed',
      at: now - 1000,
      filledAt: now,
      tag: 'partial_tp',
    }),
  ];
  bot.balances = [
    { currency: 'USDT', balance: 900.201 },
    { currency: 'ADA', balance: 100 },
  ];
  bot.total = 1005.201;
}

/** Trade 4, opened and closed while tradewatch is down: fee in base. */
export function solRoundTrip(bot: FreqtradeStandin, now: number): void {
  const t4 = now - 60_000;
  bot.trades.set(
    4,
    trade({
      trade_id: 4,
      pair: 'SOL/USDT',
      is_open: false,
      amount: 9.99,
      stake_amount: 200,
      enter_tag: 'momentum',
      exit_reason: 'exit_signal',
      fee_open_cost: 0.01,
      fee_open_currency: 'SOL',
      fee_close_cost: 0.21978,
      fee_close_currency: 'USDT',
      open_timestamp: t4,
      close_timestamp: now - 1000,
      open_rate: 20,
      close_rate: 22,
      profit_abs: 19.56042,
      realized_profit: 19.56042,
      orders: [
        orderJson({
          order_id: 's-4-buy',
          pair: 'SOL/USDT',
          side: 'buy',
          entry: true,
          amount: 10,
          filled: 10,
          average: 20,
          status: 'closed',
          at: t4,
          filledAt: t4 + 1000,
          tag: 'momentum',
          feeBase: 0.01,
        }),
        orderJson({
          order_id: 's-4-sell',
          pair: 'SOL/USDT',
          side: 'sell',
          entry: false,
          amount: 9.99,
          filled: 9.99,
          average: 22,
          status: 'closed',
          at: now - 2000,
          filledAt: now - 1000,
          tag: 'exit_signal',
        }),
      ],
    }),
  );
  bot.balances = [
    { currency: 'USDT', balance: 919.76122 },
    { currency: 'ADA', balance: 100 },
  ];
  bot.total = 1024.76122;
}

/** Trade 5: an entry that waits unfilled. */
export function linkEntry(bot: FreqtradeStandin, now: number): void {
  bot.trades.set(
    5,
    trade({
      trade_id: 5,
      pair: 'LINK/USDT',
      amount: 50,
      stake_amount: 500,
      enter_tag: 'dip',
      open_timestamp: now,
      open_rate: 10,
      current_rate: 10.2,
      orders: [
        orderJson({
          order_id: 'l-5-buy',
          pair: 'LINK/USDT',
          side: 'buy',
          entry: true,
          amount: 50,
          filled: 0,
          average: 0,
          status: 'open',
          price: 10,
          at: now,
          tag: 'dip',
        }),
      ],
    }),
  );
}

/** Trade 6 on beta: a leveraged short, entered. */
export function btcShortOpen(bot: FreqtradeStandin, now: number): void {
  bot.trades.set(
    6,
    trade({
      trade_id: 6,
      pair: 'BTC/USDT:USDT',
      is_short: true,
      amount: 0.01,
      stake_amount: 166.66666667,
      enter_tag: 'short_signal',
      fee_open: 0.0005,
      fee_open_cost: 0.25,
      fee_close: 0.0005,
      open_timestamp: now - HOUR,
      open_rate: 50000,
      leverage: 3,
      current_rate: 49000,
      trading_mode: 'futures',
      orders: [
        orderJson({
          order_id: 'b-6-sell',
          pair: 'BTC/USDT:USDT',
          side: 'sell',
          entry: true,
          amount: 0.01,
          filled: 0.01,
          average: 50000,
          status: 'closed',
          at: now - HOUR,
          filledAt: now - HOUR + 1000,
          tag: 'short_signal',
        }),
      ],
    }),
  );
  bot.balances = [{ currency: 'USDT', balance: 999.75 }];
  bot.total = 1009.75;
}

/** Trade 6 covered at 48000. */
export function btcShortClose(bot: FreqtradeStandin, now: number): void {
  const t = bot.trades.get(6) as ScriptedTrade;
  t.is_open = false;
  t.close_timestamp = now;
  t.close_rate = 48000;
  t.exit_reason = 'roi';
  t.fee_close_cost = 0.24;
  t.fee_close_currency = 'USDT';
  t.profit_abs = 19.51;
  t.realized_profit = 19.51;
  t.orders = [
    ...t.orders,
    orderJson({
      order_id: 'b-6-buy',
      pair: 'BTC/USDT:USDT',
      side: 'buy',
      entry: false,
      amount: 0.01,
      filled: 0.01,
      average: 48000,
      status: 'closed',
      at: now - 1000,
      filledAt: now,
      tag: 'roi',
    }),
  ];
  bot.balances = [{ currency: 'USDT', balance: 1019.51 }];
  bot.total = 1019.51;
}
