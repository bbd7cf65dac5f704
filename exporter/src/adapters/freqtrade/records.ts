/**
 * What the freqtrade source hands the ingest service: freqtrade's own answers, unchanged,
 * each wrapped in a record that says which bot it came from and when it was read. The
 * shapes are those of freqtrade's REST API (freqtrade/rpc/api_server/api_schemas.py:
 * OpenTradeSchema, TradeSchema, OrderSchema as `Order.to_json` fills it, Balances, Profit,
 * Health) and of its message WebSocket (rpc/rpc_types.py). Each schema asks only for the
 * fields the adapter reads, so an older or newer release with more or fewer fields passes
 * as long as those are there; unknown keys are dropped.
 */
import { z } from 'zod';

/** freqtrade serializes Python floats: JSON numbers (null where the bot has none). */
const figure = z.number().finite();
const maybe = figure.nullish();
const ms = z.number().int().nonnegative().nullish();
const text = (max: number) => z.string().max(max).nullish();

/** One order of a trade (`Order.to_json`, persistence/trade_model.py). */
export const ftOrder = z.object({
  order_id: z.string().min(1).max(128),
  /** buy, sell, or stoploss (a stop order on the exchange, on the exit side). */
  ft_order_side: z.enum(['buy', 'sell', 'stoploss']),
  ft_is_entry: z.boolean().optional(),
  order_type: text(64),
  status: text(64),
  amount: figure,
  filled: maybe,
  average: maybe,
  cost: maybe,
  price: maybe,
  order_timestamp: ms,
  order_filled_timestamp: ms,
  ft_fee_base: maybe,
  ft_order_tag: text(256),
});
export type FtOrder = z.output<typeof ftOrder>;

/** A trade (`Trade.to_json`, plus `current_rate` on open trades from /status and /trade/{id}). */
export const ftTrade = z.object({
  trade_id: z.number().int().nonnegative(),
  pair: z.string().min(1).max(128),
  base_currency: z.string().min(1).max(32),
  quote_currency: z.string().min(1).max(32),
  is_open: z.boolean(),
  is_short: z.boolean().nullish(),
  exchange: text(128),
  amount: figure,
  strategy: text(128),
  enter_tag: text(256),
  exit_reason: text(256),
  fee_open: maybe,
  fee_open_cost: maybe,
  fee_open_currency: text(32),
  fee_close: maybe,
  fee_close_cost: maybe,
  fee_close_currency: text(32),
  open_timestamp: ms,
  close_timestamp: ms,
  leverage: maybe,
  current_rate: maybe,
  profit_abs: maybe,
  realized_profit: maybe,
  orders: z.array(ftOrder).max(10_000),
});
export type FtTrade = z.output<typeof ftTrade>;

/** GET /api/v1/balance (Balances). */
export const ftBalance = z.object({
  currencies: z
    .array(
      z.object({
        currency: z.string().min(1).max(32),
        balance: figure,
        is_position: z.boolean().nullish(),
      }),
    )
    .max(10_000),
  total: maybe,
  stake: z.string().min(1).max(32),
});

/** GET /api/v1/profit (Profit): the closed profit in the stake currency. */
export const ftProfit = z.object({
  profit_closed_coin: figure,
  closed_trade_count: z.number().int().nullish(),
});

/** GET /api/v1/locks (Locks): pair locks set by protections or by hand; pair `*` locks every pair. */
export const ftLocks = z.object({
  locks: z
    .array(
      z.object({
        pair: z.string().max(128),
        active: z.boolean(),
        reason: z.string().max(1024).nullish(),
        lock_end_time: z.string().max(64).nullish(),
        side: z.string().max(16).nullish(),
      }),
    )
    .max(10_000),
});

/** GET /api/v1/health: `last_process_ts` is epoch seconds (int(datetime.timestamp())). */
export const ftHealth = z.object({ last_process_ts: z.number().int().nonnegative().nullish() });

/** GET /api/v1/show_config: only what names the bot and its money. */
export const ftShowConfig = z.object({
  bot_name: z.string().max(128).nullish(),
  stake_currency: z.string().min(1).max(32),
  dry_run: z.boolean().nullish(),
  exchange: text(128),
  trading_mode: text(32),
  strategy: text(128),
});

/** GET /api/v1/trades (TradeResponse); trades are validated one by one. */
export const ftTradesPage = z.object({
  trades: z.array(z.unknown()).max(10_000),
  total_trades: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative().nullish(),
});

/** POST /api/v1/token/login and /token/refresh. */
export const ftTokens = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
});

/** A message of the message WebSocket: a `type` and that type's fields (RPCSendMsg). */
export const ftMessage = z
  .object({
    type: z.string().min(1).max(64),
    status: text(4096),
    msg: text(4096),
    data: z.unknown().optional(),
    pair: text(128),
    reason: text(1024),
    trade_id: z.number().int().nullish(),
  })
  .passthrough();

/** The record the source hands the ingest service (`?format=freqtrade`). */
export const freqtradeRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trade'), bot: z.string().min(1).max(128), at: z.number(), trade: z.unknown() }),
  /** An open trade that left /status and that /trade/{id} no longer knows: freqtrade deleted it. */
  z.object({
    kind: z.literal('trade_gone'),
    bot: z.string().min(1).max(128),
    at: z.number(),
    trade_id: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('balance'),
    bot: z.string().min(1).max(128),
    at: z.number(),
    balance: z.unknown(),
    /**
     * A futures bot's open trades (/status, same cycle): its wallet is margin, not spent
     * notional, so the stake currency's cash is the wallet less the open positions' entry value.
     */
    futures_positions: z
      .array(z.object({ amount: z.number().finite(), open_rate: z.number().finite(), is_short: z.boolean() }))
      .max(10_000)
      .optional(),
  }),
  z.object({
    kind: z.literal('profit'),
    bot: z.string().min(1).max(128),
    at: z.number(),
    profit: z.unknown(),
    /** `realized_profit` of each open trade (/status), read in the same cycle. */
    open_realized: z.array(z.number().finite()).max(10_000).default([]),
  }),
  z.object({
    kind: z.literal('health'),
    bot: z.string().min(1).max(128),
    at: z.number(),
    health: z.unknown(),
  }),
  z.object({ kind: z.literal('locks'), bot: z.string().min(1).max(128), at: z.number(), locks: z.unknown() }),
  /** The API answered (ok) or did not (down, with the cause): the bot's `freqtrade_api` component. */
  z.object({
    kind: z.literal('api'),
    bot: z.string().min(1).max(128),
    at: z.number(),
    status: z.enum(['ok', 'down']),
    error: z.string().max(1024).optional(),
  }),
  z.object({
    kind: z.literal('message'),
    bot: z.string().min(1).max(128),
    at: z.number(),
    message: z.unknown(),
  }),
]);
export type FreqtradeRecord = z.input<typeof freqtradeRecord>;
