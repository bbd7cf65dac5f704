/**
 * One freqtrade trade (with its `orders[]`) to tradewatch order, fill and signal events.
 * Pure: the trade in, events out; what is known of each order from earlier polls is asked
 * of `known` (the store's order book, which is durable, so a restart of either side never
 * counts a fill twice).
 *
 * - One tradewatch order per freqtrade order, identified by the bot (the engine) and the
 *   order id freqtrade keeps. Side is `ft_order_side`; a short enters with a sell.
 * - A fill whenever an order's `filled` rises. Its quantity is the rise; its price is the
 *   rise of the order's notional (`average × filled`, or `cost` where there is no average)
 *   over the rise, to 40 digits, so the fills of an order add up to exactly what freqtrade
 *   reports. Its id is the order id and the cumulative quantity: a repeated poll re-derives
 *   the same id and the store applies it once.
 * - Fees (cumulative per order, in their currency): a fee taken in the base asset is
 *   `ft_fee_base`; a fee in the quote currency is the trade's fee rate (`fee_open` for
 *   entries, `fee_close` for exits) times the order's notional, which is exactly what
 *   freqtrade charges in its own profit (calc_profit); a fee in a third asset (BNB) is the
 *   trade's recorded `fee_open_cost`/`fee_close_cost`, shared among that side's orders in
 *   proportion to their filled quantity (freqtrade keeps one figure per side).
 * - Each order's first sighting gives one `signal` (decision approved): the entry's
 *   `enter_tag` or the exit's `exit_reason` (`ft_order_tag`) as its reason.
 */
import Decimal from 'decimal.js';
import type { TradingEventInput } from '../../events/schema';
import type { FtOrder, FtTrade } from './records';

const D40 = Decimal.clone({ precision: 40 });

/** What the store knows of an order (its last applied state). */
export interface KnownFtOrder {
  filled_quantity: number;
  avg_fill_price?: number;
  fees: number;
  status: string;
  /** Epoch ms of the last applied state. */
  updated_at: number;
  fee_currency?: string;
}

/** Decimal of a freqtrade float: its shortest decimal form (what Python's repr wrote). */
export function dec(n: number): Decimal {
  return new D40(String(n));
}
export function plain(d: Decimal): string {
  return d.toFixed();
}

type OrderType = 'limit' | 'market' | 'stop' | 'stop_limit';
type Status = 'new' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';

/** freqtrade passes ccxt's order types (limit, market, stop_loss_limit, stop-loss, …). */
export function orderTypeOf(t: string | null | undefined, stoploss = false): OrderType {
  const s = (t ?? '').toLowerCase();
  if (stoploss && !s.includes('stop')) return s === 'limit' ? 'stop_limit' : 'stop';
  if (s.includes('stop')) return s.includes('limit') ? 'stop_limit' : 'stop';
  return s === 'market' ? 'market' : 'limit';
}

/** ccxt statuses: open, closed (fully filled), canceled, expired, rejected. */
export function statusOf(status: string | null | undefined, filled: Decimal): Status {
  const s = (status ?? '').toLowerCase();
  if (s === 'closed') return 'filled';
  if (s === 'canceled' || s === 'cancelled') return 'canceled';
  if (s === 'expired') return 'expired';
  if (s === 'rejected') return 'rejected';
  return filled.gt(0) ? 'partially_filled' : 'new';
}

/** The client order id under which an order remembers its trade (a deleted trade's orders are found by it). */
export function tradeKey(tradeId: number): string {
  return `ft-trade:${tradeId}`;
}

function isEntry(trade: FtTrade, o: FtOrder): boolean {
  if (o.ft_order_side === 'stoploss') return false;
  if (o.ft_is_entry !== undefined) return o.ft_is_entry;
  return o.ft_order_side === (trade.is_short ? 'sell' : 'buy');
}

/** The order's side: a stoploss order is on the exit side (sell for a long, buy for a short). */
function sideOf(trade: FtTrade, o: FtOrder): 'buy' | 'sell' {
  if (o.ft_order_side !== 'stoploss') return o.ft_order_side;
  return trade.is_short ? 'buy' : 'sell';
}

/**
 * The order's average price: freqtrade's `average` (8 decimals, so the store keeps it
 * exactly and the next rise starts from the same notional), else `cost / filled`.
 */
function averageOf(o: FtOrder, filled: Decimal): Decimal | null {
  if (o.average && o.average > 0) return dec(o.average);
  if (o.cost && o.cost > 0 && filled.gt(0)) return dec(o.cost).div(filled);
  return null;
}

/** The order's cumulative notional in the quote currency. */
function notionalOf(o: FtOrder, filled: Decimal): Decimal {
  return averageOf(o, filled)?.mul(filled) ?? new D40(0);
}

/** Cumulative fee of one order and its currency (see the module comment). */
function feeOf(trade: FtTrade, o: FtOrder, filled: Decimal): { fee: Decimal; currency: string } {
  const base = trade.base_currency.toUpperCase();
  const quote = trade.quote_currency.toUpperCase();
  if (o.ft_fee_base && o.ft_fee_base > 0) return { fee: dec(o.ft_fee_base), currency: base };
  const entry = isEntry(trade, o);
  const currency = (entry ? trade.fee_open_currency : trade.fee_close_currency)?.toUpperCase() ?? quote;
  if (currency === quote || currency === base) {
    const rate = entry ? trade.fee_open : trade.fee_close;
    return { fee: rate && rate > 0 ? dec(rate).mul(notionalOf(o, filled)) : new D40(0), currency: quote };
  }
  const cost = entry ? trade.fee_open_cost : trade.fee_close_cost;
  if (!cost || cost <= 0) return { fee: new D40(0), currency };
  let sideFilled = new D40(0);
  for (const other of trade.orders)
    if (isEntry(trade, other) === entry && other.filled) sideFilled = sideFilled.add(dec(other.filled));
  return { fee: sideFilled.gt(0) ? dec(cost).mul(filled).div(sideFilled) : new D40(0), currency };
}

function reasonOf(trade: FtTrade, o: FtOrder): string {
  const entry = isEntry(trade, o);
  const tag = o.ft_order_tag ?? (entry ? trade.enter_tag : trade.exit_reason);
  const lev = trade.leverage && trade.leverage !== 1 ? ` leverage ${trade.leverage}` : '';
  return `${entry ? 'entry' : 'exit'} ${trade.is_short ? 'short' : 'long'}${lev} trade ${trade.trade_id}${tag ? `: ${tag}` : ''}`.slice(
    0,
    1024,
  );
}

/**
 * Events for one trade as read at `at` (epoch ms). `known` is consulted per order and
 * `remember` told of each order state emitted, so later records of the same batch see it.
 */
export function tradeEvents(
  engine: string,
  trade: FtTrade,
  at: number,
  known: (orderId: string) => KnownFtOrder | undefined,
  remember: (orderId: string, state: KnownFtOrder) => void,
): TradingEventInput[] {
  const out: TradingEventInput[] = [];
  const symbol = `${trade.base_currency}/${trade.quote_currency}`.toUpperCase();
  const strategy = trade.strategy ?? undefined;
  const orders = [...trade.orders].sort((a, b) => (a.order_timestamp ?? 0) - (b.order_timestamp ?? 0));
  for (const o of orders) {
    if (!(o.amount > 0)) continue;
    const prev = known(o.order_id);
    const filled = dec(o.filled ?? 0);
    const status = statusOf(o.status, filled);
    const avg = filled.gt(0) ? averageOf(o, filled) : null;
    const notional = avg ? avg.mul(filled) : new D40(0);
    const { fee, currency } = feeOf(trade, o, filled);
    const prevFilled = dec(prev?.filled_quantity ?? 0);
    const prevFee = dec(prev?.fees ?? 0);
    // Nothing moved since the last applied state: nothing to say (a poll is not news).
    if (
      prev &&
      prev.status === status &&
      prevFilled.eq(filled) &&
      prevFee.eq(fee) &&
      (avg === null || (prev.avg_fill_price !== undefined && dec(prev.avg_fill_price).eq(avg)))
    )
      continue;
    const created = o.order_timestamp ?? trade.open_timestamp ?? at;
    const when = status === 'filled' ? (o.order_filled_timestamp ?? at) : at;
    const ts = Math.max(when, created, prev?.updated_at ?? 0);
    const side = sideOf(trade, o);
    if (!prev) {
      out.push({
        type: 'signal',
        ts: created,
        engine,
        signal_id: o.order_id,
        symbol,
        side,
        decision: 'approved',
        ...(strategy ? { strategy } : {}),
        reason: reasonOf(trade, o),
      });
    }
    const quantity = Decimal.max(dec(o.amount), filled);
    const rise = filled.sub(prevFilled);
    if (rise.gt(0)) {
      const prevNotional =
        prev?.avg_fill_price !== undefined ? dec(prev.avg_fill_price).mul(prevFilled) : new D40(0);
      const riseNotional = notional.sub(prevNotional);
      const feeRise = Decimal.max(fee.sub(prevFee), 0);
      if (riseNotional.gt(0)) {
        out.push({
          type: 'fill',
          ts,
          engine,
          fill_id: `${o.order_id}@${plain(filled)}`.slice(0, 128),
          order_id: o.order_id,
          symbol,
          side,
          price: plain(riseNotional.div(rise)),
          quantity: plain(rise),
          fee: plain(feeRise),
          fee_currency: currency,
          ...(strategy ? { strategy } : {}),
        });
      }
    }
    const type = orderTypeOf(o.order_type, o.ft_order_side === 'stoploss');
    out.push({
      type: 'order',
      ts,
      engine,
      order_id: o.order_id,
      symbol,
      side,
      order_type: type,
      status,
      quantity: plain(quantity),
      filled_quantity: plain(filled),
      ...(avg ? { avg_fill_price: plain(avg) } : {}),
      ...(o.price && o.price > 0 && type !== 'market' ? { limit_price: plain(dec(o.price)) } : {}),
      fees: plain(fee),
      fee_currency: currency,
      ...(strategy ? { strategy } : {}),
      client_order_id: tradeKey(trade.trade_id),
      created_at: created,
      reason: reasonOf(trade, o),
      ...(trade.exchange ? { venue: trade.exchange.slice(0, 128) } : {}),
    });
    remember(o.order_id, {
      filled_quantity: filled.toNumber(),
      ...(avg ? { avg_fill_price: avg.toNumber() } : {}),
      fees: fee.toNumber(),
      status,
      updated_at: ts,
      fee_currency: currency,
    });
  }
  if (trade.is_open && trade.current_rate && trade.current_rate > 0)
    out.push({ type: 'mark', ts: at, engine, symbol, price: plain(dec(trade.current_rate)) });
  return out;
}
