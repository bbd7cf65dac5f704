/**
 * Hummingbot's MQTT messages → tradewatch events (docs/integrations/hummingbot.md). Runs
 * inside the ingest queue; an order's cumulative fill and fees come from the store (and
 * this batch), so the order's state follows its fills.
 *
 * - BuyOrderCreated / SellOrderCreated: an `order` (new) — id, pair, amount, price, type.
 * - OrderFilled: a `fill` (fill_id `{order_id}:{exchange_trade_id}`) whose fee is what
 *   TradeFeeBase.fee_amount_in_token gives in the quote: price × amount × percent, plus
 *   flat fees in the quote as they are and in the base at the fill price (flat fees in a
 *   third token need Hummingbot's rate oracle and are left out); and the order's new state.
 * - Buy/SellOrderCompleted: the order filled; OrderCancelled, OrderExpired, OrderFailure:
 *   canceled, expired, rejected (with the error message).
 * - FundingPaymentCompleted and the range-position (LP) events give nothing.
 * - /hb: the engine's heartbeat; /performance: the sum of its controllers'
 *   realized_pnl_quote as the engine's reported realized PnL.
 * A message that cannot be used is refused alone, counted by cause.
 */
import { Decimal } from '../../state/common/decimal';
import { adaptEach, type Outcome as PerRecordOutcome } from '../per-record';
import type { Adapter } from '../../ingest/ingestor';
import {
  Refusal,
  decimal,
  decodeJson,
  optionalText,
  pairOf,
  sameToken,
  text,
  type Body,
  type HummingbotRecord,
} from './records';

export const ENGINE_REPORTED_REALIZED_PNL = 'engine_reported_realized_pnl';
export const ENGINE_LAST_PROCESS = 'engine_last_process_timestamp_seconds';

type Side = 'buy' | 'sell';
type OrderType = 'limit' | 'market';
type Status = 'new' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';

export interface KnownHbOrder {
  symbol: string;
  side: Side;
  order_type: OrderType;
  status: Status;
  quantity: string;
  filled_quantity: string;
  avg_fill_price?: string;
  limit_price?: string;
  fees: string;
  fee_currency?: string;
  created_at: number;
}

export interface HummingbotAdapterDeps {
  knownOrder(engine: string, orderId: string): KnownHbOrder | undefined;
  seenFill(engine: string, fillId: string): boolean;
}

const ORDER_TYPES: Readonly<Record<string, OrderType>> = {
  'OrderType.LIMIT': 'limit',
  'OrderType.LIMIT_MAKER': 'limit',
  'OrderType.MARKET': 'market',
  'OrderType.AMM_SWAP': 'market',
};
const QUIET = new Set([
  'FundingPaymentCompleted',
  'RangePositionLiquidityAdded',
  'RangePositionLiquidityRemoved',
  'RangePositionUpdateFailure',
]);
const TERMINAL = new Set<Status>(['filled', 'canceled', 'rejected', 'expired']);

class BatchView {
  readonly orders = new Map<string, KnownHbOrder>();
  readonly fills = new Set<string>();
  constructor(readonly deps: HummingbotAdapterDeps) {}
  order(engine: string, id: string): KnownHbOrder | undefined {
    return this.orders.get(`${engine}\u0000${id}`) ?? this.deps.knownOrder(engine, id);
  }
  fillSeen(engine: string, id: string): boolean {
    return this.fills.has(`${engine}\u0000${id}`) || this.deps.seenFill(engine, id);
  }
}

type Outcome = PerRecordOutcome<BatchView>;
const NOTHING: Outcome = { events: [], commit: () => undefined };

/** Seconds (a decimal text) → epoch ms, without a double for the fraction. */
function secondsToMs(value: string, field: string): number {
  if (!/^\d{1,12}(\.\d+)?$/.test(value)) throw new Refusal('schema', field, `${field} must be epoch seconds`);
  const [whole, frac = ''] = value.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3));
}

function orderEvent(engine: string, ts: number, orderId: string, o: KnownHbOrder, reason?: string) {
  return {
    type: 'order',
    engine,
    ts,
    order_id: orderId,
    client_order_id: orderId,
    symbol: o.symbol,
    side: o.side,
    order_type: o.order_type,
    status: o.status,
    quantity: o.quantity,
    filled_quantity: o.filled_quantity,
    fees: o.fees,
    created_at: o.created_at,
    ...(o.avg_fill_price !== undefined ? { avg_fill_price: o.avg_fill_price } : {}),
    ...(o.limit_price !== undefined ? { limit_price: o.limit_price } : {}),
    ...(o.fee_currency !== undefined ? { fee_currency: o.fee_currency } : {}),
    ...(reason !== undefined ? { reason: reason.slice(0, 1024) } : {}),
  };
}

const remember = (engine: string, id: string, o: KnownHbOrder) => (v: BatchView) =>
  v.orders.set(`${engine}\u0000${id}`, o);

function created(engine: string, ts: number, type: string, data: Body): Outcome {
  const orderId = text(data, 'order_id');
  const { symbol } = pairOf(data);
  const kind = ORDER_TYPES[text(data, 'type')];
  if (!kind) throw new Refusal('schema', 'type', `order type ${String(data.type).slice(0, 32)} is not known`);
  const price = decimal(data, 'price');
  const createdAt =
    typeof data.creation_timestamp === 'string'
      ? secondsToMs(data.creation_timestamp, 'creation_timestamp')
      : ts;
  const o: KnownHbOrder = {
    symbol,
    side: type === 'BuyOrderCreated' ? 'buy' : 'sell',
    order_type: kind,
    status: 'new',
    quantity: decimal(data, 'amount'),
    filled_quantity: '0',
    fees: '0',
    created_at: createdAt,
    ...(kind === 'limit' && Decimal.from(price).isPositive() ? { limit_price: price } : {}),
  };
  return { events: [orderEvent(engine, ts, orderId, o)], commit: remember(engine, orderId, o) };
}

/** TradeFeeBase.fee_amount_in_token(token = quote), for the tokens that need no rate. */
function feeOf(data: Body, price: string, amount: string, base: string, quote: string): Decimal {
  const fee = data.trade_fee;
  if (typeof fee !== 'object' || fee === null)
    throw new Refusal('schema', 'trade_fee', 'trade_fee must be an object');
  const f = fee as Body;
  let total = Decimal.from(0);
  const percent = f.percent === undefined ? '0' : decimal(f, 'percent');
  if (!Decimal.from(percent).isZero()) total = total.add(Decimal.from(price).mul(amount).mul(percent));
  const flat = f.flat_fees ?? [];
  if (!Array.isArray(flat)) throw new Refusal('schema', 'trade_fee.flat_fees', 'flat_fees must be a list');
  for (const [i, entry] of flat.entries()) {
    if (typeof entry !== 'object' || entry === null)
      throw new Refusal('schema', `trade_fee.flat_fees.${i}`, 'a flat fee must be {token, amount}');
    const token = text(entry as Body, 'token');
    const value = decimal(entry as Body, 'amount');
    if (sameToken(token, quote)) total = total.add(value);
    else if (sameToken(token, base)) total = total.add(Decimal.from(value).mul(price));
  }
  return total;
}

function filled(engine: string, ts: number, data: Body, view: BatchView): Outcome {
  const orderId = text(data, 'order_id');
  const { symbol, base, quote } = pairOf(data);
  const tradeType = text(data, 'trade_type');
  if (tradeType !== 'TradeType.BUY' && tradeType !== 'TradeType.SELL')
    throw new Refusal('schema', 'trade_type', 'trade_type must be TradeType.BUY or TradeType.SELL');
  const side: Side = tradeType === 'TradeType.BUY' ? 'buy' : 'sell';
  const price = decimal(data, 'price');
  const amount = decimal(data, 'amount');
  if (!Decimal.from(amount).isPositive())
    throw new Refusal('schema', 'amount', 'amount must be greater than 0');
  const trade = optionalText(data, 'exchange_trade_id') || `${ts}:${amount}:${price}`;
  const fillId = `${orderId}:${trade}`;
  if (view.fillSeen(engine, fillId)) return NOTHING;
  const fee = feeOf(data, price, amount, base, quote);
  const fill = {
    type: 'fill',
    engine,
    ts,
    fill_id: fillId,
    order_id: orderId,
    symbol,
    side,
    price,
    quantity: amount,
    fee: fee.toString(),
    fee_currency: quote,
  };
  const markFill = (v: BatchView) => v.fills.add(`${engine}\u0000${fillId}`);
  const known = view.order(engine, orderId);
  if (!known) return { events: [fill], commit: markFill };
  const before = Decimal.from(known.filled_quantity);
  const after = before.add(amount);
  const o: KnownHbOrder = {
    ...known,
    filled_quantity: after.toString(),
    avg_fill_price: Decimal.from(known.avg_fill_price ?? '0')
      .mul(before)
      .add(Decimal.from(price).mul(amount))
      .div(after)
      .toString(),
    status: TERMINAL.has(known.status)
      ? known.status
      : after.cmp(known.quantity) >= 0
        ? 'filled'
        : 'partially_filled',
    fees: Decimal.from(known.fees).add(fee).toString(),
    fee_currency: quote,
  };
  return {
    events: [fill, orderEvent(engine, ts, orderId, o)],
    commit: (v) => {
      markFill(v);
      remember(engine, orderId, o)(v);
    },
  };
}

function closed(engine: string, ts: number, type: string, data: Body, view: BatchView): Outcome {
  const orderId = text(data, 'order_id');
  const known = view.order(engine, orderId);
  if (!known || TERMINAL.has(known.status)) return NOTHING;
  const status: Status =
    type === 'OrderCancelled'
      ? 'canceled'
      : type === 'OrderExpired'
        ? 'expired'
        : type === 'OrderFailure'
          ? 'rejected'
          : 'filled';
  const o: KnownHbOrder = { ...known, status };
  const reason = type === 'OrderFailure' ? optionalText(data, 'error_message') : undefined;
  return { events: [orderEvent(engine, ts, orderId, o, reason)], commit: remember(engine, orderId, o) };
}

function event(record: HummingbotRecord, view: BatchView): Outcome {
  const msg = decodeJson(record.payload);
  const engine = record.instance;
  const type = text(msg, 'type');
  const ts = secondsToMs(typeof msg.timestamp === 'string' ? msg.timestamp : '', 'timestamp');
  const data = msg.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new Refusal('schema', 'data', 'data must be an object');
  switch (type) {
    case 'BuyOrderCreated':
    case 'SellOrderCreated':
      return created(engine, ts, type, data as Body);
    case 'OrderFilled':
      return filled(engine, ts, data as Body, view);
    case 'BuyOrderCompleted':
    case 'SellOrderCompleted':
    case 'OrderCancelled':
    case 'OrderExpired':
    case 'OrderFailure':
      return closed(engine, ts, type, data as Body, view);
    default:
      if (QUIET.has(type)) return NOTHING;
      throw new Refusal('unknown_type', 'type', `${type.slice(0, 64)} is not a Hummingbot market event`);
  }
}

function heartbeat(record: HummingbotRecord): Outcome {
  const msg = decodeJson(record.payload);
  const micros = typeof msg.ts === 'string' && /^\d{1,18}$/.test(msg.ts) ? msg.ts : null;
  if (micros === null) throw new Refusal('schema', 'ts', 'ts must be epoch microseconds');
  const ms = Math.floor(Number(micros) / 1000);
  const seconds = ms / 1000;
  return {
    events: [
      {
        type: 'risk',
        engine: record.instance,
        ts: ms,
        limits: { [ENGINE_LAST_PROCESS]: { value: seconds, limit: seconds } },
      },
    ],
    commit: () => undefined,
  };
}

function performance(record: HummingbotRecord): Outcome {
  const msg = decodeJson(record.payload);
  let total = Decimal.from(0);
  let any = false;
  for (const report of Object.values(msg)) {
    if (typeof report !== 'object' || report === null) continue;
    const r = report as Body;
    if (r.realized_pnl_quote === undefined) continue; // a stopped controller reports {}
    total = total.add(decimal(r, 'realized_pnl_quote'));
    any = true;
  }
  if (!any) return NOTHING;
  const value = total.toNumber();
  return {
    events: [
      {
        type: 'risk',
        engine: record.instance,
        ts: record.receivedAt,
        limits: { [ENGINE_REPORTED_REALIZED_PNL]: { value, limit: value } },
      },
    ],
    commit: () => undefined,
  };
}

export { causeOf } from '../per-record';

function isRecord(raw: unknown): raw is HummingbotRecord {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Partial<HummingbotRecord>;
  return typeof r.instance === 'string' && typeof r.payload === 'string' && typeof r.receivedAt === 'number';
}

export function createHummingbotAdapter(deps: HummingbotAdapterDeps): Adapter {
  return (raws) => {
    return adaptEach(raws, new BatchView(deps), isRecord, 'Hummingbot MQTT message', (raw, view) =>
      raw.channel === 'hb'
        ? heartbeat(raw)
        : raw.channel === 'performance'
          ? performance(raw)
          : event(raw, view),
    );
  };
}
