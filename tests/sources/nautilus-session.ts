/**
 * Recorded NautilusTrader sessions, written the way its real code writes them (read from
 * nautilus_trader at a95c8042: crates/infrastructure/src/redis/msgbus.rs drain_buffer, the
 * Rust serde of crates/model/src/events/{order,position,account}, the Python node's
 * model/events/*.pyx to_dict through serialization/serializer.pyx with timestamps_as_str,
 * execution/engine.pyx's topics). Worked by hand below; nothing here is Nautilus's code.
 *
 * Trader A (Python node, `stream_per_topic`, one stream per topic), ETHUSDT.BINANCE:
 *   O-A1 buy limit 2 @ 2000: filled 0.5 @ 2000.00 (fee 0.20 USDT, maker) then 1.5 @ 1999.50
 *        (fee 0.59985 USDT, maker): long 2 @ 1999.625, fees 0.79985.
 *   O-A2 sell market 2: filled 2 @ 2010.00 (fee 0.804 USDT, taker).
 *        realized = (2010 − 1999.625) × 2 − (0.20 + 0.59985 + 0.804) = 20.75 − 1.60385 = 19.14615,
 *        and Nautilus's own PositionClosed says realized_pnl "19.14615000 USDT".
 *   O-A3 buy limit 1 @ 1900: accepted, then canceled.   O-A4 buy limit 1 @ 1800: rejected.
 *   AccountState: USDT total 10019.14615 (the only balance: the reported equity).
 *   Every fill and cancel is also on events.fills.* / events.cancels.* (as Nautilus does),
 *   written there first.
 * Trader B (Rust node, one stream for all topics), BTC-USDT.BINANCE:
 *   O-B1 sell market 0.1: filled 0.1 @ 60000.0 (fee 2.4 USDT): short 0.1.
 *   O-B2 buy market 0.1: filled 0.04 @ 59000.0 (fee 0.944) then 0.06 @ 59000.0 (fee 1.416).
 *        realized = (60000 − 59000) × 0.1 − (2.4 + 0.944 + 1.416) = 100 − 4.76 = 95.24;
 *        PositionClosed realized_pnl "95.24000000 USDT".
 *   Each fill is written twice on the one stream (order topic and fills topic, as the
 *   single-stream mode does), and 2,000 quotes within one second of event time.
 */

export interface StreamEntry {
  topic: string;
  payload: string;
  /** Written by v1.229+ writers; the Python node's messages have an empty type. */
  type?: string;
  encoding?: string;
}

/** Nanoseconds as digits: `ms` plus six more digits (the sub-millisecond part, cut by tradewatch). */
export const nanos = (ms: number, sub = 987_654): string => `${ms}${String(sub).padStart(6, '0')}`;

let uuidSeq = 0;
/** A UUID4-shaped event id, unique per run. */
export function eventId(): string {
  uuidSeq += 1;
  const hex = (uuidSeq + Math.floor(Math.random() * 1e9)).toString(16).padStart(12, '0').slice(-12);
  return `3f1c2a4e-9b7d-4c1e-8f00-${hex}`;
}

// --- Python node: to_dict as JSON, ts_* as nanosecond strings (timestamps_as_str) ----------

function py(topic: string, dict: Record<string, unknown>, modern = true): StreamEntry {
  // The writer since v1.229 adds `type` (empty: a Python payload) and `encoding`.
  return modern
    ? { topic, payload: JSON.stringify(dict), type: '', encoding: 'json' }
    : { topic, payload: JSON.stringify(dict) };
}

interface Ids {
  trader: string;
  strategy: string;
  instrument: string;
  account: string;
}

export function pyInitialized(
  ids: Ids,
  o: { id: string; side: 'BUY' | 'SELL'; type: 'LIMIT' | 'MARKET'; qty: string; price?: string; ms: number },
): StreamEntry {
  return py(`events.order.${ids.strategy}`, {
    type: 'OrderInitialized',
    trader_id: ids.trader,
    strategy_id: ids.strategy,
    instrument_id: ids.instrument,
    client_order_id: o.id,
    order_side: o.side,
    order_type: o.type,
    quantity: o.qty,
    time_in_force: o.type === 'MARKET' ? 'IOC' : 'GTC',
    post_only: false,
    reduce_only: false,
    quote_quantity: false,
    options: o.price ? { price: o.price, expire_time_ns: 0, display_qty: null } : {},
    emulation_trigger: 'NO_TRIGGER',
    trigger_instrument_id: null,
    contingency_type: 'NO_CONTINGENCY',
    order_list_id: null,
    linked_order_ids: null,
    parent_order_id: null,
    exec_algorithm_id: null,
    exec_algorithm_params: null,
    exec_spawn_id: null,
    tags: null,
    event_id: eventId(),
    ts_init: nanos(o.ms),
    ts_event: nanos(o.ms),
    reconciliation: false,
  });
}

export function pyOrderEvent(
  ids: Ids,
  type: 'OrderSubmitted' | 'OrderAccepted' | 'OrderCanceled' | 'OrderRejected',
  o: { id: string; ms: number; venueOrderId?: string; reason?: string },
  topic = `events.order.${ids.strategy}`,
  id = eventId(),
): StreamEntry {
  const base: Record<string, unknown> = {
    type,
    trader_id: ids.trader,
    strategy_id: ids.strategy,
    instrument_id: ids.instrument,
    client_order_id: o.id,
    account_id: ids.account,
    event_id: id,
    ts_event: nanos(o.ms),
    ts_init: nanos(o.ms),
  };
  if (type === 'OrderAccepted' || type === 'OrderCanceled')
    base.venue_order_id = o.venueOrderId ?? `V-${o.id}`;
  if (type !== 'OrderSubmitted') base.reconciliation = false;
  if (type === 'OrderRejected') {
    base.reason = o.reason ?? 'INSUFFICIENT_MARGIN';
    base.due_post_only = false;
  }
  return py(topic, base);
}

export interface FillSpec {
  id: string;
  side: 'BUY' | 'SELL';
  type: 'LIMIT' | 'MARKET';
  trade: string;
  qty: string;
  px: string;
  fee: string;
  liquidity: 'MAKER' | 'TAKER';
  ms: number;
  eventId?: string;
}

export function pyFilled(ids: Ids, f: FillSpec, topic = `events.order.${ids.strategy}`): StreamEntry {
  return py(
    topic,
    {
      type: 'OrderFilled',
      trader_id: ids.trader,
      strategy_id: ids.strategy,
      instrument_id: ids.instrument,
      client_order_id: f.id,
      venue_order_id: `V-${f.id}`,
      account_id: ids.account,
      trade_id: f.trade,
      position_id: `${ids.instrument}-${ids.strategy}`,
      order_side: f.side,
      order_type: f.type,
      last_qty: f.qty,
      last_px: f.px,
      currency: 'USDT',
      commission: `${f.fee} USDT`,
      liquidity_side: f.liquidity,
      event_id: f.eventId ?? eventId(),
      ts_event: nanos(f.ms),
      ts_init: nanos(f.ms, 999_999),
      info: {},
      reconciliation: false,
    },
    false, // a writer before v1.229: topic and payload only
  );
}

export function pyPositionClosed(
  ids: Ids,
  p: { realized: string; ms: number; openedMs: number },
): StreamEntry {
  return py(`events.position.${ids.strategy}`, {
    type: 'PositionClosed',
    trader_id: ids.trader,
    strategy_id: ids.strategy,
    instrument_id: ids.instrument,
    position_id: `${ids.instrument}-${ids.strategy}`,
    account_id: ids.account,
    opening_order_id: 'O-A1',
    closing_order_id: 'O-A2',
    entry: 'BUY',
    side: 'FLAT',
    signed_qty: 0.0,
    quantity: '0.000',
    peak_qty: '2.000',
    last_qty: '2.000',
    last_px: '2010.00',
    currency: 'USDT',
    avg_px_open: 1999.625,
    avg_px_close: 2010.0,
    realized_return: 0.00518849,
    realized_pnl: `${p.realized} USDT`,
    event_id: eventId(),
    ts_opened: nanos(p.openedMs),
    ts_closed: nanos(p.ms),
    duration_ns: (p.ms - p.openedMs) * 1_000_000,
    ts_init: nanos(p.ms),
  });
}

export function pyAccountState(ids: Ids, total: string, ms: number): StreamEntry {
  return py(`events.account.${ids.account}`, {
    type: 'AccountState',
    account_id: ids.account,
    account_type: 'CASH',
    base_currency: null,
    balances: [{ type: 'AccountBalance', total, locked: '0.00000000', free: total, currency: 'USDT' }],
    margins: [],
    reported: true,
    info: {},
    event_id: eventId(),
    ts_event: nanos(ms),
    ts_init: nanos(ms),
  });
}

// --- Rust node: serde JSON, integer nanoseconds, events wrapped by variant -----------------

/** JSON with the named fields written as bare integers (serde writes u64 nanoseconds so). */
function rustJson(value: unknown, integerFields: string[]): string {
  let text = JSON.stringify(value);
  for (const field of integerFields)
    text = text.replace(new RegExp(`"${field}":"(\\d+)"`, 'g'), `"${field}":$1`);
  return text;
}

function rust(topic: string, type: string, value: unknown): StreamEntry {
  return {
    topic,
    type,
    payload: rustJson(value, ['ts_event', 'ts_init', 'ts_opened', 'ts_closed', 'duration']),
    encoding: 'json',
  };
}

export function rsInitialized(
  ids: Ids,
  o: { id: string; side: 'BUY' | 'SELL'; qty: string; ms: number },
  topic = `events.order.${ids.strategy}`,
): StreamEntry {
  return rust(topic, 'OrderEventAny', {
    Initialized: {
      type: 'OrderInitialized',
      trader_id: ids.trader,
      strategy_id: ids.strategy,
      instrument_id: ids.instrument,
      client_order_id: o.id,
      order_side: o.side,
      order_type: 'MARKET',
      quantity: o.qty,
      time_in_force: 'IOC',
      post_only: false,
      reduce_only: false,
      quote_quantity: false,
      reconciliation: false,
      event_id: eventId(),
      ts_event: nanos(o.ms),
      ts_init: nanos(o.ms),
      price: null,
      trigger_price: null,
      trigger_type: null,
      limit_offset: null,
      trailing_offset: null,
      trailing_offset_type: null,
      expire_time: null,
      display_qty: null,
      emulation_trigger: null,
      trigger_instrument_id: null,
      contingency_type: null,
      order_list_id: null,
      linked_order_ids: null,
      parent_order_id: null,
      exec_algorithm_id: null,
      exec_algorithm_params: null,
      exec_spawn_id: null,
      tags: null,
    },
  });
}

export function rsFilled(ids: Ids, f: FillSpec, topic = `events.order.${ids.strategy}`): StreamEntry {
  return rust(topic, 'OrderEventAny', {
    Filled: {
      type: 'OrderFilled',
      trader_id: ids.trader,
      strategy_id: ids.strategy,
      instrument_id: ids.instrument,
      client_order_id: f.id,
      venue_order_id: `V-${f.id}`,
      account_id: ids.account,
      trade_id: f.trade,
      order_side: f.side,
      order_type: f.type,
      last_qty: f.qty,
      last_px: f.px,
      currency: 'USDT',
      liquidity_side: f.liquidity,
      event_id: f.eventId ?? eventId(),
      // 999,999 ns into the millisecond: as a double the count rounds up into the next one.
      ts_event: nanos(f.ms, 999_999),
      ts_init: nanos(f.ms, 999_999),
      reconciliation: false,
      position_id: `${ids.instrument}-${ids.strategy}`,
      commission: `${f.fee} USDT`,
    },
  });
}

export function rsPositionClosed(
  ids: Ids,
  p: { realized: string; ms: number; openedMs: number },
): StreamEntry {
  return rust(`events.position.${ids.strategy}`, 'PositionEvent', {
    PositionClosed: {
      trader_id: ids.trader,
      strategy_id: ids.strategy,
      instrument_id: ids.instrument,
      position_id: `${ids.instrument}-${ids.strategy}`,
      account_id: ids.account,
      opening_order_id: 'O-B1',
      closing_order_id: 'O-B2',
      entry: 'SELL',
      side: 'FLAT',
      signed_qty: 0.0,
      quantity: '0.00000',
      peak_quantity: '0.10000',
      last_qty: '0.06000',
      last_px: '59000.0',
      currency: 'USDT',
      avg_px_open: 60000.0,
      avg_px_close: 59000.0,
      realized_return: 0.016666666666666666,
      realized_pnl: `${p.realized} USDT`,
      unrealized_pnl: '0.00000000 USDT',
      duration: String((p.ms - p.openedMs) * 1_000_000),
      event_id: eventId(),
      ts_opened: nanos(p.openedMs),
      ts_closed: nanos(p.ms),
      ts_event: nanos(p.ms),
      ts_init: nanos(p.ms),
    },
  });
}

export function rsAccountState(ids: Ids, total: string, ms: number): StreamEntry {
  return rust(`events.account.${ids.account}`, 'AccountState', {
    account_id: ids.account,
    account_type: 'MARGIN',
    base_currency: null,
    balances: [
      { currency: 'USDT', total: `${total} USDT`, locked: '0.00000000 USDT', free: `${total} USDT` },
    ],
    margins: [],
    is_reported: true,
    event_id: eventId(),
    ts_event: nanos(ms),
    ts_init: nanos(ms),
  });
}

export function rsQuote(ids: Ids, bid: string, ask: string, ms: number, sub: number): StreamEntry {
  const [symbol, venue] = [
    ids.instrument.slice(0, ids.instrument.lastIndexOf('.')),
    ids.instrument.split('.').pop(),
  ];
  return rust(`data.quotes.${venue}.${symbol}`, 'QuoteTick', {
    type: 'QuoteTick',
    instrument_id: ids.instrument,
    bid_price: bid,
    ask_price: ask,
    bid_size: '1.00000',
    ask_size: '1.00000',
    ts_event: nanos(ms, sub),
    ts_init: nanos(ms, sub),
  });
}

// --- The sessions --------------------------------------------------------------------------

export interface Session {
  /** Entries in the order they are written, by stream topic (stream_per_topic) or one stream. */
  first: StreamEntry[];
  second: StreamEntry[];
}

/** Trader A: Python node, one stream per topic. Split where the exporter is restarted. */
export function traderA(trader: string, t0: number): Session {
  const ids = { trader, strategy: 'EMACross-001', instrument: 'ETHUSDT.BINANCE', account: 'BINANCE-001' };
  const fill1: FillSpec = {
    id: 'O-A1',
    side: 'BUY',
    type: 'LIMIT',
    trade: 'T-1',
    qty: '0.500',
    px: '2000.00',
    fee: '0.20000000',
    liquidity: 'MAKER',
    ms: t0 + 2000,
    eventId: eventId(),
  };
  const fill2: FillSpec = {
    id: 'O-A1',
    side: 'BUY',
    type: 'LIMIT',
    trade: 'T-2',
    qty: '1.500',
    px: '1999.50',
    fee: '0.59985000',
    liquidity: 'MAKER',
    ms: t0 + 3000,
    eventId: eventId(),
  };
  const fill3: FillSpec = {
    id: 'O-A2',
    side: 'SELL',
    type: 'MARKET',
    trade: 'T-3',
    qty: '2.000',
    px: '2010.00',
    fee: '0.80400000',
    liquidity: 'TAKER',
    ms: t0 + 6000,
    eventId: eventId(),
  };
  const cancelId = eventId();
  const fills = `events.fills.${ids.instrument}`;
  return {
    first: [
      pyInitialized(ids, { id: 'O-A1', side: 'BUY', type: 'LIMIT', qty: '2.000', price: '2000.00', ms: t0 }),
      pyOrderEvent(ids, 'OrderSubmitted', { id: 'O-A1', ms: t0 + 10 }),
      pyOrderEvent(ids, 'OrderAccepted', { id: 'O-A1', ms: t0 + 20 }),
      pyFilled(ids, fill1, fills), // the copy first, as streams are not ordered against each other
      pyFilled(ids, fill1),
      pyFilled(ids, fill2),
      pyFilled(ids, fill2, fills),
    ],
    second: [
      pyInitialized(ids, { id: 'O-A2', side: 'SELL', type: 'MARKET', qty: '2.000', ms: t0 + 5000 }),
      pyOrderEvent(ids, 'OrderSubmitted', { id: 'O-A2', ms: t0 + 5010 }),
      pyFilled(ids, fill3, fills),
      pyFilled(ids, fill3),
      pyPositionClosed(ids, { realized: '19.14615000', ms: t0 + 6000, openedMs: t0 + 2000 }),
      pyAccountState(ids, '10019.14615000', t0 + 6000),
      pyInitialized(ids, {
        id: 'O-A3',
        side: 'BUY',
        type: 'LIMIT',
        qty: '1.000',
        price: '1900.00',
        ms: t0 + 7000,
      }),
      pyOrderEvent(ids, 'OrderAccepted', { id: 'O-A3', ms: t0 + 7010 }),
      pyOrderEvent(
        ids,
        'OrderCanceled',
        { id: 'O-A3', ms: t0 + 8000 },
        `events.cancels.${ids.instrument}`,
        cancelId,
      ),
      pyOrderEvent(
        ids,
        'OrderCanceled',
        { id: 'O-A3', ms: t0 + 8000 },
        `events.order.${ids.strategy}`,
        cancelId,
      ),
      pyInitialized(ids, {
        id: 'O-A4',
        side: 'BUY',
        type: 'LIMIT',
        qty: '1.000',
        price: '1800.00',
        ms: t0 + 9000,
      }),
      pyOrderEvent(ids, 'OrderRejected', { id: 'O-A4', ms: t0 + 9010, reason: 'INSUFFICIENT_MARGIN' }),
    ],
  };
}

/** Trader B: Rust node, one stream for every topic (stream_per_topic = false). */
export function traderB(trader: string, t0: number, quotes = 2000): Session {
  const ids = { trader, strategy: 'Momentum-002', instrument: 'BTC-USDT.BINANCE', account: 'BINANCE-002' };
  const fills = `events.fills.${ids.instrument}`;
  const sell: FillSpec = {
    id: 'O-B1',
    side: 'SELL',
    type: 'MARKET',
    trade: 'B-1',
    qty: '0.10000',
    px: '60000.0',
    fee: '2.40000000',
    liquidity: 'TAKER',
    ms: t0 + 1000,
    eventId: eventId(),
  };
  const buy1: FillSpec = {
    id: 'O-B2',
    side: 'BUY',
    type: 'MARKET',
    trade: 'B-2',
    qty: '0.04000',
    px: '59000.0',
    fee: '0.94400000',
    liquidity: 'TAKER',
    ms: t0 + 4000,
    eventId: eventId(),
  };
  const buy2: FillSpec = {
    id: 'O-B2',
    side: 'BUY',
    type: 'MARKET',
    trade: 'B-3',
    qty: '0.06000',
    px: '59000.0',
    fee: '1.41600000',
    liquidity: 'TAKER',
    ms: t0 + 4001,
    eventId: eventId(),
  };
  const flood: StreamEntry[] = [];
  for (let i = 0; i < quotes; i++)
    flood.push(rsQuote(ids, '59990.0', '60010.0', t0 + 500 + Math.floor(i / 4), i));
  return {
    first: [
      rsInitialized(ids, { id: 'O-B1', side: 'SELL', qty: '0.10000', ms: t0 }),
      ...flood,
      rsFilled(ids, sell),
      rsFilled(ids, sell, fills),
    ],
    second: [
      rsInitialized(ids, { id: 'O-B2', side: 'BUY', qty: '0.10000', ms: t0 + 3000 }),
      rsFilled(ids, buy1, fills),
      rsFilled(ids, buy1),
      rsFilled(ids, buy2),
      rsFilled(ids, buy2, fills),
      rsPositionClosed(ids, { realized: '95.24000000', ms: t0 + 4001, openedMs: t0 + 1000 }),
      rsAccountState(ids, '10095.24000000', t0 + 4001),
    ],
  };
}
