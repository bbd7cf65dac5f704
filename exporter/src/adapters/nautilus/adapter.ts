/**
 * NautilusTrader's message bus records → tradewatch events (docs/integrations/nautilus.md).
 * Runs inside the ingest queue, so what it reads of the state (an order's cumulative fill,
 * the engine's reported PnL so far, the latest mark) is as the previous batch left it.
 *
 * - Order events (topic `events.order.{strategy}`): OrderInitialized gives the order (new);
 *   Submitted/Accepted keep it new; Updated changes quantity or prices; Rejected and Denied
 *   reject it, Canceled cancels, Expired expires; OrderFilled gives one fill (fill_id
 *   `{client_order_id}:{trade_id}`, commission as its fee) and the order's new cumulative
 *   state. Triggered, Pending*, *Rejected (modify/cancel), Emulated and Released change
 *   nothing tradewatch shows. The order id is the client order id (stable from creation).
 * - `events.fills.*` and `events.cancels.*` carry copies of events also published on the
 *   strategy's order topic: they are skipped, and every derived event carries the Nautilus
 *   event id (`nt:{event_id}`), so a copy read twice (one stream, a redelivery after a
 *   restart) is applied once, whatever order the copies arrive in.
 * - PositionClosed: its own realized_pnl (commissions included) is added to the engine's
 *   reported realized PnL (`engine_reported_realized_pnl`) when in the valuation currency.
 * - AccountState: the balance in the valuation currency sets the cash ledger; when it is
 *   the account's only non-zero balance, it is also the engine's reported equity.
 * - QuoteTick (`data.quotes.*`): the mid as a mark, at most one per symbol per mark interval
 *   of event time (a flood of quotes costs a comparison each).
 * - `health:heartbeat` (an RFC 3339 text): the engine's last heartbeat.
 * Anything else is not tradewatch's and gives nothing; a record that cannot be read is
 * refused alone (counted by cause), the rest of the batch goes on.
 */
import { Decimal } from '../../state/common/decimal';
import { adaptEach, type Outcome as PerRecordOutcome } from '../per-record';
import type { Adapter } from '../../ingest/ingestor';
import { nanosToMs } from './nanos';
import {
  Refusal,
  decimal,
  decodePayload,
  instrumentOf,
  money,
  optionalDecimal,
  optionalText,
  text,
  type Body,
  type NautilusRecord,
} from './records';

export const ENGINE_REPORTED_EQUITY = 'engine_reported_equity';
export const ENGINE_REPORTED_REALIZED_PNL = 'engine_reported_realized_pnl';
export const ENGINE_LAST_PROCESS = 'engine_last_process_timestamp_seconds';

type Side = 'buy' | 'sell';
type OrderType = 'limit' | 'market' | 'stop' | 'stop_limit';
type Status = 'new' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';

/** What the adapter knows of an order between records (the store's order row, or this batch's). */
export interface KnownNtOrder {
  symbol: string;
  venue: string;
  side: Side;
  order_type: OrderType;
  status: Status;
  quantity: string;
  filled_quantity: string;
  avg_fill_price?: string;
  limit_price?: string;
  stop_price?: string;
  fees: string;
  fee_currency?: string;
  strategy?: string;
  time_in_force?: string;
  created_at: number;
}

export interface NautilusAdapterDeps {
  knownOrder(engine: string, orderId: string): KnownNtOrder | undefined;
  /** True when an event of the engine with this id was applied. */
  seenEvent(engine: string, id: string): boolean;
  seenFill(engine: string, fillId: string): boolean;
  /** The engine's reported realized PnL so far (a decimal string), if any. */
  reportedRealized(engine: string): string | undefined;
  /** Event time (epoch ms) of the latest mark of the symbol, if any. */
  lastMarkMs(engine: string, symbol: string): number | undefined;
  valuationCurrency: string;
  markIntervalMs: number;
}

const ORDER_TYPES: Readonly<Record<string, OrderType>> = {
  MARKET: 'market',
  LIMIT: 'limit',
  STOP_MARKET: 'stop',
  STOP_LIMIT: 'stop_limit',
  MARKET_TO_LIMIT: 'limit',
  MARKET_IF_TOUCHED: 'stop',
  LIMIT_IF_TOUCHED: 'stop_limit',
  TRAILING_STOP_MARKET: 'stop',
  TRAILING_STOP_LIMIT: 'stop_limit',
};
/** Order events that change nothing tradewatch shows (known, so not refused as unknown). */
const QUIET_ORDER_EVENTS = new Set([
  'OrderTriggered',
  'OrderPendingUpdate',
  'OrderPendingCancel',
  'OrderModifyRejected',
  'OrderCancelRejected',
  'OrderEmulated',
  'OrderReleased',
]);
const POSITION_EVENTS = new Set(['PositionOpened', 'PositionChanged', 'PositionClosed', 'PositionAdjusted']);
/** Topics whose events are copies of ones on `events.order.{strategy}` (execution/engine.pyx). */
const COPY_TOPICS = ['events.fills.', 'events.cancels.'];

/** This batch's view: what earlier records of the batch did, over the store. */
class BatchView {
  readonly orders = new Map<string, KnownNtOrder>();
  readonly events = new Set<string>();
  readonly fills = new Set<string>();
  readonly realized = new Map<string, string>();
  readonly marks = new Map<string, number>();

  constructor(readonly deps: NautilusAdapterDeps) {}

  order(engine: string, id: string): KnownNtOrder | undefined {
    return this.orders.get(`${engine}\u0000${id}`) ?? this.deps.knownOrder(engine, id);
  }
  seen(engine: string, id: string): boolean {
    return this.events.has(`${engine}\u0000${id}`) || this.deps.seenEvent(engine, id);
  }
  fillSeen(engine: string, fillId: string): boolean {
    return this.fills.has(`${engine}\u0000${fillId}`) || this.deps.seenFill(engine, fillId);
  }
  realizedOf(engine: string): string | undefined {
    return this.realized.get(engine) ?? this.deps.reportedRealized(engine);
  }
  markMs(engine: string, symbol: string): number | undefined {
    return this.marks.get(`${engine}\u0000${symbol}`) ?? this.deps.lastMarkMs(engine, symbol);
  }
}

type Outcome = PerRecordOutcome<BatchView>;
const NOTHING: Outcome = { events: [], commit: () => undefined };

function timeOf(body: Body, ...fields: string[]): number {
  for (const field of fields) {
    if (body[field] === undefined || body[field] === null) continue;
    const ms = nanosToMs(body[field]);
    if (ms === null)
      throw new Refusal('schema', field, `${field} must be UNIX nanoseconds (integer or digits) or ISO 8601`);
    return ms;
  }
  throw new Refusal('schema', fields[0], `${fields[0]} is missing`);
}

function sideOf(body: Body): Side {
  const side = text(body, 'order_side');
  if (side === 'BUY') return 'buy';
  if (side === 'SELL') return 'sell';
  throw new Refusal('schema', 'order_side', 'order_side must be BUY or SELL');
}

function orderEvent(
  engine: string,
  id: string,
  ts: number,
  orderId: string,
  o: KnownNtOrder,
  reason?: string,
) {
  return {
    type: 'order',
    id,
    engine,
    ts,
    order_id: orderId,
    client_order_id: orderId,
    symbol: o.symbol,
    venue: o.venue,
    side: o.side,
    order_type: o.order_type,
    status: o.status,
    quantity: o.quantity,
    filled_quantity: o.filled_quantity,
    fees: o.fees,
    created_at: o.created_at,
    ...(o.avg_fill_price !== undefined ? { avg_fill_price: o.avg_fill_price } : {}),
    ...(o.limit_price !== undefined ? { limit_price: o.limit_price } : {}),
    ...(o.stop_price !== undefined ? { stop_price: o.stop_price } : {}),
    ...(o.fee_currency !== undefined ? { fee_currency: o.fee_currency } : {}),
    ...(o.strategy !== undefined ? { strategy: o.strategy } : {}),
    ...(o.time_in_force !== undefined ? { time_in_force: o.time_in_force } : {}),
    ...(reason !== undefined ? { reason: reason.slice(0, 1024) } : {}),
  };
}

const remember = (engine: string, orderId: string, o: KnownNtOrder, id: string) => (view: BatchView) => {
  view.orders.set(`${engine}\u0000${orderId}`, o);
  view.events.add(`${engine}\u0000${id}`);
};

function initialized(engine: string, id: string, body: Body): Outcome {
  const orderId = text(body, 'client_order_id');
  const { symbol, venue } = instrumentOf(text(body, 'instrument_id'));
  const kind = ORDER_TYPES[text(body, 'order_type')];
  if (!kind) throw new Refusal('schema', 'order_type', `order_type ${String(body.order_type)} is not known`);
  // The Python node keeps prices in `options`; the Rust node has them as fields.
  const options = typeof body.options === 'object' && body.options !== null ? (body.options as Body) : {};
  const price = optionalDecimal(body, 'price') ?? optionalDecimal(options, 'price');
  const trigger = optionalDecimal(body, 'trigger_price') ?? optionalDecimal(options, 'trigger_price');
  const ts = timeOf(body, 'ts_event', 'ts_init');
  const o: KnownNtOrder = {
    symbol,
    venue,
    side: sideOf(body),
    order_type: kind,
    status: 'new',
    quantity: decimal(body, 'quantity'),
    filled_quantity: '0',
    fees: '0',
    strategy: text(body, 'strategy_id'),
    created_at: ts,
    ...(price !== undefined && kind !== 'market' && kind !== 'stop' ? { limit_price: price } : {}),
    ...(trigger !== undefined ? { stop_price: trigger } : {}),
  };
  const tif = optionalText(body, 'time_in_force');
  if (tif) o.time_in_force = tif.toLowerCase();
  return { events: [orderEvent(engine, id, ts, orderId, o)], commit: remember(engine, orderId, o, id) };
}

function filled(engine: string, id: string, body: Body, view: BatchView): Outcome {
  const orderId = text(body, 'client_order_id');
  const tradeId = text(body, 'trade_id');
  const fillId = `${orderId}:${tradeId}`;
  if (view.fillSeen(engine, fillId)) return NOTHING;
  const { symbol } = instrumentOf(text(body, 'instrument_id'));
  const side = sideOf(body);
  const qty = decimal(body, 'last_qty');
  const px = decimal(body, 'last_px');
  if (!Decimal.from(qty).isPositive())
    throw new Refusal('schema', 'last_qty', 'last_qty must be greater than 0');
  const ts = timeOf(body, 'ts_event', 'ts_init');
  const commission = money(body, 'commission');
  // tradewatch's fees are costs: a maker rebate (a negative commission) is left out, not refused with its fill.
  const fee = commission && !commission.amount.startsWith('-') ? commission : undefined;
  const liquidity = optionalText(body, 'liquidity_side');
  const strategy = optionalText(body, 'strategy_id');
  const fill = {
    type: 'fill',
    id,
    engine,
    ts,
    fill_id: fillId,
    order_id: orderId,
    symbol,
    side,
    price: px,
    quantity: qty,
    ...(fee ? { fee: fee.amount, fee_currency: fee.currency } : {}),
    ...(liquidity === 'MAKER' ? { liquidity: 'maker' } : liquidity === 'TAKER' ? { liquidity: 'taker' } : {}),
    ...(strategy ? { strategy } : {}),
  };
  const known = view.order(engine, orderId);
  const markFill = (v: BatchView) => {
    v.fills.add(`${engine}\u0000${fillId}`);
    v.events.add(`${engine}\u0000${id}`);
  };
  // Without its OrderInitialized (filtered out, trimmed away) the order's size is unknown: the fill alone.
  if (!known) return { events: [fill], commit: markFill };
  const before = Decimal.from(known.filled_quantity);
  const after = before.add(qty);
  const avg = Decimal.from(known.avg_fill_price ?? '0')
    .mul(before)
    .add(Decimal.from(px).mul(qty))
    .div(after);
  const o: KnownNtOrder = {
    ...known,
    filled_quantity: after.toString(),
    avg_fill_price: avg.toString(),
    status: after.cmp(known.quantity) >= 0 ? 'filled' : 'partially_filled',
  };
  if (fee && (known.fee_currency === undefined || known.fee_currency === fee.currency)) {
    o.fees = Decimal.from(known.fees).add(fee.amount).toString();
    o.fee_currency = fee.currency;
  }
  return {
    events: [fill, orderEvent(engine, `${id}:order`, ts, orderId, o)],
    commit: (v) => {
      markFill(v);
      remember(engine, orderId, o, `${id}:order`)(v);
    },
  };
}

/** Submitted, Accepted, Updated, Rejected, Denied, Canceled, Expired: a known order's new state. */
function changed(engine: string, id: string, type: string, body: Body, view: BatchView): Outcome {
  const orderId = text(body, 'client_order_id');
  const ts = timeOf(body, 'ts_event', 'ts_init');
  const known = view.order(engine, orderId);
  if (!known) return NOTHING; // its OrderInitialized never reached us: nothing to change
  const o: KnownNtOrder = { ...known };
  let reason: string | undefined;
  switch (type) {
    case 'OrderRejected':
    case 'OrderDenied':
      o.status = 'rejected';
      reason = optionalText(body, 'reason');
      break;
    case 'OrderCanceled':
      o.status = 'canceled';
      break;
    case 'OrderExpired':
      o.status = 'expired';
      break;
    case 'OrderUpdated': {
      o.quantity = decimal(body, 'quantity');
      const price = optionalDecimal(body, 'price');
      const trigger = optionalDecimal(body, 'trigger_price');
      if (price !== undefined && o.order_type !== 'market' && o.order_type !== 'stop') o.limit_price = price;
      if (trigger !== undefined) o.stop_price = trigger;
      break;
    }
    default: // Submitted, Accepted: still working
      break;
  }
  return {
    events: [orderEvent(engine, id, ts, orderId, o, reason)],
    commit: remember(engine, orderId, o, id),
  };
}

function positionClosed(
  engine: string,
  id: string,
  body: Body,
  view: BatchView,
  deps: NautilusAdapterDeps,
): Outcome {
  const pnl = money(body, 'realized_pnl');
  // Python's PositionClosed has no ts_event: ts_closed is when it closed.
  const ts = timeOf(body, 'ts_event', 'ts_closed', 'ts_init');
  if (!pnl || pnl.currency !== deps.valuationCurrency) return NOTHING;
  const total = Decimal.from(view.realizedOf(engine) ?? '0').add(pnl.amount);
  const value = total.toNumber();
  return {
    events: [
      { type: 'risk', id, engine, ts, limits: { [ENGINE_REPORTED_REALIZED_PNL]: { value, limit: value } } },
    ],
    commit: (v) => {
      v.realized.set(engine, total.toString());
      v.events.add(`${engine}\u0000${id}`);
    },
  };
}

function accountState(engine: string, id: string, body: Body, deps: NautilusAdapterDeps): Outcome {
  const ts = timeOf(body, 'ts_event', 'ts_init');
  if (!Array.isArray(body.balances)) throw new Refusal('schema', 'balances', 'balances must be a list');
  let cash: string | undefined;
  let others = false;
  for (const [i, b] of body.balances.entries()) {
    if (typeof b !== 'object' || b === null)
      throw new Refusal('schema', `balances.${i}`, 'a balance must be an object');
    const entry = b as Body;
    const total = money(entry, 'total', optionalText(entry, 'currency'));
    if (!total) throw new Refusal('schema', `balances.${i}.total`, 'a balance needs its total');
    if (total.currency === deps.valuationCurrency) cash = total.amount;
    else if (!Decimal.from(total.amount).isZero()) others = true;
  }
  if (cash === undefined) return NOTHING;
  const events: Record<string, unknown>[] = [
    { type: 'balance', id, engine, ts, balances: { [deps.valuationCurrency]: cash } },
  ];
  if (!others) {
    const value = Decimal.from(cash).toNumber();
    events.push({
      type: 'risk',
      id: `${id}:equity`,
      engine,
      ts,
      limits: { [ENGINE_REPORTED_EQUITY]: { value, limit: value } },
    });
  }
  return { events, commit: (v) => v.events.add(`${engine}\u0000${id}`) };
}

function quote(engine: string, body: Body, view: BatchView, deps: NautilusAdapterDeps): Outcome {
  const { symbol } = instrumentOf(text(body, 'instrument_id'));
  const ts = timeOf(body, 'ts_event', 'ts_init');
  const last = view.markMs(engine, symbol);
  if (last !== undefined && ts < last + deps.markIntervalMs) return NOTHING;
  const bid = decimal(body, 'bid_price');
  const ask = decimal(body, 'ask_price');
  const mid = Decimal.from(bid).add(ask).div(2).toString();
  return {
    events: [{ type: 'mark', engine, ts, symbol, price: mid, bid, ask }],
    commit: (v) => v.marks.set(`${engine}\u0000${symbol}`, ts),
  };
}

function heartbeat(engine: string, record: NautilusRecord): Outcome {
  const ms = nanosToMs(record.fields.payload.trim());
  if (ms === null) throw new Refusal('schema', 'payload', 'a heartbeat must be an RFC 3339 time');
  const seconds = ms / 1000;
  return {
    events: [
      { type: 'risk', engine, ts: ms, limits: { [ENGINE_LAST_PROCESS]: { value: seconds, limit: seconds } } },
    ],
    commit: () => undefined,
  };
}

function adaptRecord(record: NautilusRecord, view: BatchView, deps: NautilusAdapterDeps): Outcome {
  const { topic, payload } = record.fields;
  if (typeof topic !== 'string' || typeof payload !== 'string')
    throw new Refusal('malformed_record', 'fields', 'a stream entry needs topic and payload fields');
  const engine = record.trader;
  if (topic === 'health:heartbeat') return heartbeat(engine, record);
  if (COPY_TOPICS.some((t) => topic.startsWith(t))) return NOTHING;
  const isOrders = topic.startsWith('events.order.');
  const isPositions = topic.startsWith('events.position.');
  const isAccount = topic.startsWith('events.account.');
  const isQuotes = topic.startsWith('data.quotes.');
  if (!isOrders && !isPositions && !isAccount && !isQuotes) return NOTHING; // not tradewatch's
  const { type, body } = decodePayload(record);
  if (isQuotes) {
    if (type !== 'QuoteTick')
      throw new Refusal('unknown_type', 'type', `${type.slice(0, 64)} on a quotes topic`);
    return quote(engine, body, view, deps);
  }
  const id = `nt:${text(body, 'event_id')}`;
  if (view.seen(engine, id)) return NOTHING;
  if (isAccount) {
    if (type !== 'AccountState')
      throw new Refusal('unknown_type', 'type', `${type.slice(0, 64)} on an account topic`);
    return accountState(engine, id, body, deps);
  }
  if (isPositions) {
    if (!POSITION_EVENTS.has(type))
      throw new Refusal('unknown_type', 'type', `${type.slice(0, 64)} on a position topic`);
    return type === 'PositionClosed' ? positionClosed(engine, id, body, view, deps) : NOTHING;
  }
  switch (type) {
    case 'OrderInitialized':
      return initialized(engine, id, body);
    case 'OrderFilled':
      return filled(engine, id, body, view);
    case 'OrderSubmitted':
    case 'OrderAccepted':
    case 'OrderUpdated':
    case 'OrderRejected':
    case 'OrderDenied':
    case 'OrderCanceled':
    case 'OrderExpired':
      return changed(engine, id, type, body, view);
    default:
      if (QUIET_ORDER_EVENTS.has(type)) return NOTHING;
      throw new Refusal('unknown_type', 'type', `${type.slice(0, 64)} is not an order event`);
  }
}

export { causeOf } from '../per-record';

function isRecord(raw: unknown): raw is NautilusRecord {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Partial<NautilusRecord>;
  return typeof r.trader === 'string' && typeof r.fields === 'object' && r.fields !== null;
}

export function createNautilusAdapter(deps: NautilusAdapterDeps): Adapter {
  return (raws) => {
    return adaptEach(raws, new BatchView(deps), isRecord, 'Nautilus stream record', (raw, view) =>
      adaptRecord(raw, view, deps),
    );
  };
}
