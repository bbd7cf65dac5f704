/**
 * Recorded Hummingbot sessions, as its MQTT bridge publishes them (read from hummingbot at
 * 2bfaccc4: remote_iface/mqtt.py MQTTMarketEventForwarder and mqtt_serialize (ujson:
 * Decimals as floats, enums as "TradeType.BUY"), core/event/events.py, trade_fee.py
 * to_json (percent and flat amounts as strings), the gateway's heartbeat {"ts": µs}, and
 * strategy_v2_base.py's "performance" publisher). Worked by hand; none of its code.
 *
 * bot-a, ETH-USDT: buy limit 1 @ 2000: 0.4 @ 2000.0 (percent 0.001 → 0.8 USDT) and
 *   0.6 @ 1999.5 (→ 1.1997): long 1 @ 1999.7; sell market 1 @ 2010.0 (flat fee 0.5 USDT).
 *   realized = (2010 − 1999.7) × 1 − (0.8 + 1.1997 + 0.5) = 10.3 − 2.4997 = 7.8003,
 *   and its controller's performance report says realized_pnl_quote 7.8003.
 *   A buy at 1900 canceled; a buy at 1800 failed (insufficient balance).
 * bot-b, SOL-USDT: buy 2 @ 150.0 with a flat fee of 0.002 SOL (→ 0.002 × 150 = 0.3 USDT);
 *   sell 2 @ 151.5, percent 0.00075 (→ 0.22725). realized = 3 − 0.52725 = 2.47275.
 */

export interface Message {
  topic: string;
  payload: string;
}

/** ujson writes a float's shortest form, and a whole float with ".0". */
const float = (v: string) => (v.includes('.') ? v : `${v}.0`);

function event(ns: string, instance: string, ts: number, type: string, data: string): Message {
  return {
    topic: `${ns}/${instance}/events`,
    payload: `{"timestamp":${ts},"type":"${type}","data":${data}}`,
  };
}

function createdData(o: {
  id: string;
  type: string;
  pair: string;
  amount: string;
  price: string;
  ts: number;
}) {
  return `{"type":"${o.type}","trading_pair":"${o.pair}","amount":${float(o.amount)},"price":${float(o.price)},"order_id":"${o.id}","creation_timestamp":${o.ts}.25,"exchange_order_id":null,"leverage":1,"position":"NIL"}`;
}

function filledData(f: {
  id: string;
  pair: string;
  side: 'BUY' | 'SELL';
  type: string;
  price: string;
  amount: string;
  percent: string;
  percentToken: string | null;
  flat: { token: string; amount: string }[];
  trade: string;
}) {
  const fee = `{"fee_type":"${f.side === 'BUY' ? 'AddedToCost' : 'DeductedFromReturns'}","percent":"${f.percent}","percent_token":${f.percentToken ? `"${f.percentToken}"` : 'null'},"flat_fees":[${f.flat.map((x) => `{"token":"${x.token}","amount":"${x.amount}"}`).join(',')}]}`;
  return `{"order_id":"${f.id}","trading_pair":"${f.pair}","trade_type":"TradeType.${f.side}","order_type":"${f.type}","price":${float(f.price)},"amount":${float(f.amount)},"trade_fee":${fee},"exchange_trade_id":"${f.trade}","exchange_order_id":"x-${f.id}","leverage":1,"position":"NIL"}`;
}

export function heartbeat(ns: string, instance: string, ms: number): Message {
  return { topic: `${ns}/${instance}/hb`, payload: `{"ts":${ms * 1000 + 500}}` };
}

export function botA(ns: string, t: number): Message[] {
  const a = 'bot-a';
  const pair = 'ETH-USDT';
  return [
    event(
      ns,
      a,
      t,
      'BuyOrderCreated',
      createdData({ id: 'buy-ETH-USDT-1', type: 'OrderType.LIMIT', pair, amount: '1', price: '2000', ts: t }),
    ),
    event(
      ns,
      a,
      t + 1,
      'OrderFilled',
      filledData({
        id: 'buy-ETH-USDT-1',
        pair,
        side: 'BUY',
        type: 'OrderType.LIMIT',
        price: '2000',
        amount: '0.4',
        percent: '0.001',
        percentToken: 'USDT',
        flat: [],
        trade: 't-1',
      }),
    ),
    event(
      ns,
      a,
      t + 2,
      'OrderFilled',
      filledData({
        id: 'buy-ETH-USDT-1',
        pair,
        side: 'BUY',
        type: 'OrderType.LIMIT',
        price: '1999.5',
        amount: '0.6',
        percent: '0.001',
        percentToken: 'USDT',
        flat: [],
        trade: 't-2',
      }),
    ),
    event(
      ns,
      a,
      t + 2,
      'BuyOrderCompleted',
      `{"order_id":"buy-ETH-USDT-1","base_asset":"ETH","quote_asset":"USDT","base_asset_amount":1.0,"quote_asset_amount":1999.7,"order_type":"OrderType.LIMIT","exchange_order_id":"x-buy-ETH-USDT-1"}`,
    ),
    event(
      ns,
      a,
      t + 5,
      'SellOrderCreated',
      createdData({
        id: 'sell-ETH-USDT-2',
        type: 'OrderType.MARKET',
        pair,
        amount: '1',
        price: '0',
        ts: t + 5,
      }),
    ),
    event(
      ns,
      a,
      t + 5,
      'OrderFilled',
      filledData({
        id: 'sell-ETH-USDT-2',
        pair,
        side: 'SELL',
        type: 'OrderType.MARKET',
        price: '2010',
        amount: '1',
        percent: '0',
        percentToken: null,
        flat: [{ token: 'USDT', amount: '0.5' }],
        trade: 't-3',
      }),
    ),
    event(
      ns,
      a,
      t + 5,
      'SellOrderCompleted',
      `{"order_id":"sell-ETH-USDT-2","base_asset":"ETH","quote_asset":"USDT","base_asset_amount":1.0,"quote_asset_amount":2010.0,"order_type":"OrderType.MARKET","exchange_order_id":"x-sell-ETH-USDT-2"}`,
    ),
    event(
      ns,
      a,
      t + 7,
      'BuyOrderCreated',
      createdData({
        id: 'buy-ETH-USDT-3',
        type: 'OrderType.LIMIT',
        pair,
        amount: '1',
        price: '1900',
        ts: t + 7,
      }),
    ),
    event(
      ns,
      a,
      t + 8,
      'OrderCancelled',
      `{"order_id":"buy-ETH-USDT-3","exchange_order_id":"x-buy-ETH-USDT-3"}`,
    ),
    event(
      ns,
      a,
      t + 9,
      'BuyOrderCreated',
      createdData({
        id: 'buy-ETH-USDT-4',
        type: 'OrderType.LIMIT_MAKER',
        pair,
        amount: '1',
        price: '1800',
        ts: t + 9,
      }),
    ),
    event(
      ns,
      a,
      t + 9,
      'OrderFailure',
      `{"order_id":"buy-ETH-USDT-4","order_type":"OrderType.LIMIT_MAKER","error_message":"Insufficient balance","error_type":"InsufficientFunds"}`,
    ),
    {
      topic: `${ns}/${a}/performance`,
      payload: `{"ctrl-1":{"realized_pnl_quote":7.8003,"unrealized_pnl_quote":0.0,"global_pnl_quote":7.8003,"volume_traded":4009.7,"close_type_counts":{}},"ctrl-stopped":{}}`,
    },
  ];
}

export function botB(ns: string, t: number): Message[] {
  const b = 'bot-b';
  const pair = 'SOL-USDT';
  return [
    event(
      ns,
      b,
      t,
      'BuyOrderCreated',
      createdData({ id: 'b-1', type: 'OrderType.LIMIT', pair, amount: '2', price: '150', ts: t }),
    ),
    event(
      ns,
      b,
      t + 1,
      'OrderFilled',
      filledData({
        id: 'b-1',
        pair,
        side: 'BUY',
        type: 'OrderType.LIMIT',
        price: '150',
        amount: '2',
        percent: '0',
        percentToken: null,
        flat: [{ token: 'SOL', amount: '0.002' }],
        trade: 's-1',
      }),
    ),
    event(
      ns,
      b,
      t + 3,
      'SellOrderCreated',
      createdData({ id: 'b-2', type: 'OrderType.LIMIT', pair, amount: '2', price: '151.5', ts: t + 3 }),
    ),
    event(
      ns,
      b,
      t + 4,
      'OrderFilled',
      filledData({
        id: 'b-2',
        pair,
        side: 'SELL',
        type: 'OrderType.LIMIT',
        price: '151.5',
        amount: '2',
        percent: '0.00075',
        percentToken: 'USDT',
        flat: [],
        trade: 's-2',
      }),
    ),
  ];
}

export function lateFill(ns: string, t: number): Message[] {
  const b = 'bot-b';
  const pair = 'SOL-USDT';
  return [
    event(
      ns,
      b,
      t,
      'BuyOrderCreated',
      createdData({ id: 'b-3', type: 'OrderType.LIMIT', pair, amount: '1', price: '149', ts: t }),
    ),
    event(
      ns,
      b,
      t + 1,
      'OrderFilled',
      filledData({
        id: 'b-3',
        pair,
        side: 'BUY',
        type: 'OrderType.LIMIT',
        price: '149',
        amount: '1',
        percent: '0.001',
        percentToken: 'USDT',
        flat: [],
        trade: 's-3',
      }),
    ),
  ];
}
