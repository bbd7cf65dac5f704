/**
 * Gal Friday's own event dictionaries (`Event.to_dict()` of gal_friday/core/events.py)
 * to tradewatch events (DESIGN.md, "Gal Friday events"). Pure: dictionaries in, events
 * or located problems out; what it needs to know of earlier reports is asked of
 * `knownOrder` (the Store's order book, which is durable).
 *
 * The quirks it absorbs:
 * - `event_type` is an integer (the enum's auto() value); UUIDs and Decimals are strings
 *   (Decimals may be in exponent form, "1E+1"); datetimes are isoformat() strings,
 *   possibly without an offset (taken as UTC); sides, statuses and order types are upper case.
 * - EXECUTION_REPORT's `quantity_filled` and `commission` are cumulative per order: a
 *   fill is derived from the rise since the last applied report, with a deterministic
 *   fill id (order id + cumulative quantity), so a repeated, stale or out-of-order report
 *   never counts twice. Its price is the one the average fill price implies.
 * - Status aliases: OPEN → new (partially_filled once something filled), CLOSED → filled,
 *   CANCELLED → canceled, PENDING → new.
 * - It never publishes PORTFOLIO_UPDATE, so positions come from fills: from execution
 *   reports (default) or from FILL events (`fills: 'fill_event'`), never both, because
 *   a bot that publishes both would otherwise count each execution twice.
 */
import Decimal from 'decimal.js';
import type { TradingEventInput } from './schema';
import { validateEvent, type EventProblem } from './validate';

/** Gal Friday's EventType values (auto() from 1, in declaration order). */
export const GF = {
  MARKET_DATA_L2: 1,
  MARKET_DATA_OHLCV: 2,
  MARKET_DATA_TRADE: 3,
  FEATURES_CALCULATED: 4,
  PREDICTION_GENERATED: 5,
  TRADE_SIGNAL_PROPOSED: 6,
  TRADE_SIGNAL_APPROVED: 7,
  TRADE_SIGNAL_REJECTED: 8,
  EXECUTION_REPORT: 9,
  FILL: 10,
  TRADE_OUTCOME_REPORTED: 11,
  SYSTEM_STATE_CHANGE: 12,
  LOG_ENTRY: 13,
  POTENTIAL_HALT_TRIGGER: 14,
  PREDICTION_CONFIG_UPDATED: 15,
  SYSTEM_ERROR: 16,
  PORTFOLIO_UPDATE: 17,
  PORTFOLIO_RECONCILIATION: 18,
  PORTFOLIO_DISCREPANCY: 19,
  RISK_LIMIT_ALERT: 20,
  MARKET_DATA_RAW: 21,
  FEATURE_CALCULATED: 22,
  MARKET_DATA_TICKER: 23,
} as const;

/** The last applied cumulative figures of an order. */
export interface KnownOrder {
  filled_quantity: number;
  avg_fill_price?: number;
  fees: number;
  /** Epoch ms of the order's last applied state. */
  updated_at: number;
}

export interface GalFridayOptions {
  /** Engine name for dictionaries that carry no `engine` key (the bridge adds one). */
  engine: string;
  /** Where positions come from (see the module comment). */
  fills: 'execution_report' | 'fill_event';
  knownOrder(engine: string, orderId: string): KnownOrder | undefined;
}

export type GalFridayResult =
  { ok: true; events: TradingEventInput[]; ignored: number } | { ok: false; problems: EventProblem[] };

const ORDER_STATUS: Record<string, string> = {
  NEW: 'new',
  PENDING: 'new',
  OPEN: 'new',
  PARTIALLY_FILLED: 'partially_filled',
  FILLED: 'filled',
  CLOSED: 'filled',
  CANCELED: 'canceled',
  CANCELLED: 'canceled',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
};
const ORDER_TYPE: Record<string, string> = {
  LIMIT: 'limit',
  MARKET: 'market',
  STOP: 'stop',
  'STOP-LOSS': 'stop',
  STOP_LOSS: 'stop',
  STOP_LIMIT: 'stop_limit',
  'STOP-LIMIT': 'stop_limit',
  'STOP-LOSS-LIMIT': 'stop_limit',
  'TAKE-PROFIT': 'stop',
  'TAKE-PROFIT-LIMIT': 'stop_limit',
};
/** Kraken's WebSocket system status (SystemStateEvent.new_state from the data ingestor). */
const VENUE_STATUS: Record<string, 'ok' | 'degraded' | 'down'> = {
  ONLINE: 'ok',
  MAINTENANCE: 'down',
  OFFLINE: 'down',
  CANCEL_ONLY: 'degraded',
  POST_ONLY: 'degraded',
  LIMIT_ONLY: 'degraded',
  REDUCE_ONLY: 'degraded',
};
/** Quote currencies tried when a pair comes without a slash (e.g. "XRPUSD"). */
const QUOTES = ['USDT', 'USDC', 'USD', 'EUR', 'GBP', 'CAD', 'JPY', 'CHF', 'AUD', 'XBT', 'BTC', 'ETH'];
const SIGNALS_REMEMBERED = 10_000;

/** A Gal Friday field of the wrong shape: reported with the dictionary's own field name. */
class FieldProblem extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

type Dict = Record<string, unknown>;

function text(d: Dict, field: string): string | undefined {
  const v = d[field];
  if (v === null || v === undefined || v === 'None' || v === '') return undefined;
  if (typeof v !== 'string') throw new FieldProblem(field, 'must be a string');
  return v;
}

function required(d: Dict, field: string): string {
  const v = text(d, field);
  if (v === undefined) throw new FieldProblem(field, 'is required');
  return v;
}

function decimal(d: Dict, field: string): Decimal | undefined {
  const v = d[field];
  if (v === null || v === undefined || v === 'None') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number')
    throw new FieldProblem(field, 'must be a Decimal string such as "0.25"');
  try {
    const dec = new Decimal(v);
    if (!dec.isFinite()) throw new Error();
    return dec;
  } catch {
    throw new FieldProblem(field, `must be a Decimal string such as "0.25", not ${JSON.stringify(v)}`);
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Python isoformat(), with or without offset (naive times are taken as UTC), to epoch ms. */
export function parseIsoTime(value: string): number | undefined {
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let t = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    ms,
  );
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

function time(d: Dict, field: string): number {
  const v = required(d, field);
  const t = parseIsoTime(v);
  if (t === undefined)
    throw new FieldProblem(
      field,
      `must be an isoformat() time such as 2026-01-02T03:04:05.123456+00:00, not ${JSON.stringify(v)}`,
    );
  return t;
}

function side(d: Dict, field = 'side'): 'buy' | 'sell' {
  const v = required(d, field).toLowerCase();
  if (v !== 'buy' && v !== 'sell')
    throw new FieldProblem(field, `must be BUY or SELL, not ${JSON.stringify(d[field])}`);
  return v;
}

/** "XRP/USD" stays; "xrpusd" or "XRPUSD" becomes "XRP/USD" when its quote is a known one. */
export function normalizePair(pair: string): string | undefined {
  const p = pair.trim().toUpperCase().replace('-', '/');
  if (/^[A-Z0-9._]{1,32}\/[A-Z0-9._]{1,32}$/.test(p)) return p;
  for (const q of QUOTES) if (p.length > q.length && p.endsWith(q)) return `${p.slice(0, -q.length)}/${q}`;
  return undefined;
}

function pair(d: Dict, field = 'trading_pair'): string {
  const v = required(d, field);
  const p = normalizePair(v);
  if (!p) throw new FieldProblem(field, `must be a pair such as XRP/USD, not ${JSON.stringify(v)}`);
  return p;
}

const plain = (d: Decimal) => d.toFixed();

/** Tradewatch field → the Gal Friday field it came from (to name problems in the sender's terms). */
const SOURCE_FIELD: Record<string, string> = {
  order_id: 'exchange_order_id',
  symbol: 'trading_pair',
  quantity: 'quantity_ordered',
  filled_quantity: 'quantity_filled',
  avg_fill_price: 'average_fill_price',
  fees: 'commission',
  fee: 'commission',
  fee_currency: 'commission_asset',
  ts: 'timestamp',
  id: 'event_id',
};

export function createGalFridayAdapter(
  options: GalFridayOptions,
): (raws: readonly unknown[]) => GalFridayResult {
  /** signal_id → strategy_id, learnt from TRADE_SIGNAL_PROPOSED (approvals and orders do not carry it). */
  const strategyOfSignal = new Map<string, string>();
  const remember = (signal: string, strategy: string) => {
    strategyOfSignal.delete(signal);
    strategyOfSignal.set(signal, strategy);
    if (strategyOfSignal.size > SIGNALS_REMEMBERED)
      strategyOfSignal.delete(strategyOfSignal.keys().next().value as string);
  };

  return (raws) => {
    const events: TradingEventInput[] = [];
    const problems: EventProblem[] = [];
    let ignored = 0;
    // Reports earlier in this batch count as known for later ones.
    const batchKnown = new Map<string, KnownOrder>();
    const known = (engine: string, orderId: string): KnownOrder | undefined =>
      batchKnown.get(`${engine}\u0000${orderId}`) ?? options.knownOrder(engine, orderId);

    raws.forEach((raw, index) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        problems.push({
          index,
          field: '',
          reason: 'a Gal Friday event must be a JSON object (Event.to_dict())',
        });
        return;
      }
      const d = raw as Dict;
      let produced: TradingEventInput[];
      try {
        produced = adaptOne(d);
      } catch (err) {
        if (err instanceof FieldProblem) {
          problems.push({ index, field: err.field, reason: err.message });
          return;
        }
        throw err;
      }
      if (produced.length === 0) ignored += 1;
      for (const event of produced) {
        const checked = validateEvent(event, index);
        if (Array.isArray(checked)) {
          for (const p of checked) {
            const source = SOURCE_FIELD[p.field] ?? p.field;
            problems.push({
              index,
              field: source,
              reason: source === p.field ? p.reason : `${p.reason} (as ${event.type}.${p.field})`,
            });
          }
        } else {
          events.push(event);
        }
      }
    });
    return problems.length > 0 ? { ok: false, problems } : { ok: true, events, ignored };

    function adaptOne(d: Dict): TradingEventInput[] {
      const type = d.event_type;
      if (typeof type !== 'number' || !Number.isInteger(type)) {
        throw new FieldProblem(
          'event_type',
          `must be Gal Friday's integer EventType value (e.g. 9 for EXECUTION_REPORT), not ${JSON.stringify(type)}`,
        );
      }
      const engine = typeof d.engine === 'string' && d.engine ? d.engine : options.engine;
      const base = { engine, ts: time(d, 'timestamp'), id: required(d, 'event_id') };
      switch (type) {
        case GF.EXECUTION_REPORT:
          return executionReport(d, base);
        case GF.FILL:
          return options.fills === 'fill_event' ? [fillEvent(d, base)] : [];
        case GF.MARKET_DATA_TICKER:
          return [
            {
              type: 'mark',
              ...base,
              symbol: pair(d),
              price: plain(decimal(d, 'last_price') ?? mid(d)),
              ...optionalDecimal(d, 'bid', 'bid'),
              ...optionalDecimal(d, 'ask', 'ask'),
            },
          ];
        case GF.MARKET_DATA_L2:
          return bookTop(d, base);
        case GF.TRADE_SIGNAL_PROPOSED: {
          const signal = required(d, 'signal_id');
          const strategy = text(d, 'strategy_id');
          if (strategy) remember(signal, strategy);
          return [
            {
              type: 'signal',
              ...base,
              signal_id: signal,
              symbol: pair(d),
              side: side(d),
              decision: 'proposed',
              ...(strategy ? { strategy } : {}),
            },
          ];
        }
        case GF.TRADE_SIGNAL_APPROVED:
        case GF.TRADE_SIGNAL_REJECTED: {
          // ClosePositionCommand shares APPROVED's type but is a command without a signal_id.
          const signal = text(d, 'signal_id');
          if (!signal) return [];
          const strategy = strategyOfSignal.get(signal);
          const reason = text(d, 'reason');
          return [
            {
              type: 'signal',
              ...base,
              signal_id: signal,
              symbol: pair(d),
              side: side(d),
              decision: type === GF.TRADE_SIGNAL_APPROVED ? 'approved' : 'rejected',
              ...(strategy ? { strategy } : {}),
              ...(reason ? { reason: reason.slice(0, 1024) } : {}),
            },
          ];
        }
        case GF.SYSTEM_STATE_CHANGE:
          return systemState(d, base);
        case GF.POTENTIAL_HALT_TRIGGER:
          return [
            {
              type: 'alert',
              ...base,
              name: 'potential_halt_trigger',
              severity: 'warning',
              message: (text(d, 'reason') ?? 'potential halt').slice(0, 1024),
            },
          ];
        case GF.SYSTEM_ERROR: {
          const component = text(d, 'source_module') ?? 'galfriday';
          const endpoint = text(d, 'endpoint');
          return [
            {
              type: 'health',
              ...base,
              component,
              error: (text(d, 'error_message') ?? 'error').slice(0, 1024),
              ...(endpoint ? { endpoint: endpoint.slice(0, 256) } : {}),
            },
          ];
        }
        case GF.RISK_LIMIT_ALERT:
          return riskAlerts(d, base);
        default:
          // Market data bars, features, predictions, logs, outcomes, portfolio events: nothing to observe here.
          return [];
      }
    }

    function executionReport(d: Dict, base: { engine: string; ts: number; id: string }): TradingEventInput[] {
      const orderId = text(d, 'exchange_order_id') ?? text(d, 'client_order_id');
      if (!orderId) throw new FieldProblem('exchange_order_id', 'is required (or client_order_id)');
      const statusRaw = required(d, 'order_status').toUpperCase();
      let status = ORDER_STATUS[statusRaw];
      if (!status)
        throw new FieldProblem(
          'order_status',
          `unknown order status ${JSON.stringify(d.order_status)}; expected one of ${Object.keys(ORDER_STATUS).join(', ')}`,
        );
      const typeRaw = required(d, 'order_type').toUpperCase();
      const orderType = ORDER_TYPE[typeRaw];
      if (!orderType)
        throw new FieldProblem(
          'order_type',
          `unknown order type ${JSON.stringify(d.order_type)}; expected one of ${Object.keys(ORDER_TYPE).join(', ')}`,
        );
      const symbol = pair(d);
      const quantity = decimal(d, 'quantity_ordered');
      if (!quantity) throw new FieldProblem('quantity_ordered', 'is required');
      const cum = decimal(d, 'quantity_filled') ?? new Decimal(0);
      const avg = decimal(d, 'average_fill_price');
      const commission = decimal(d, 'commission') ?? new Decimal(0);
      const limit = decimal(d, 'limit_price');
      const stop = decimal(d, 'stop_price');
      const feeCurrency = text(d, 'commission_asset');
      const signal = text(d, 'signal_id');
      const strategy = signal ? strategyOfSignal.get(signal) : undefined;

      const prev = known(base.engine, orderId);
      const prevCum = new Decimal(prev?.filled_quantity ?? 0);
      const prevFees = new Decimal(prev?.fees ?? 0);
      const rising = cum.gt(prevCum);
      // A stale report never takes figures back: the order keeps the highest cumulative state.
      const filled = rising ? cum : prevCum;
      const fees = Decimal.max(commission, prevFees);
      const avgOut = rising
        ? avg
        : prev?.avg_fill_price !== undefined
          ? new Decimal(prev.avg_fill_price)
          : avg;
      if (status === 'new' && filled.gt(0)) status = 'partially_filled';
      // Later states replace earlier ones by event time; a report that moves the fills on
      // must not be dropped for a timestamp that lags the last applied state.
      const ts = rising && prev && prev.updated_at > base.ts ? prev.updated_at : base.ts;

      const out: TradingEventInput[] = [];
      const order: TradingEventInput = {
        type: 'order',
        ...base,
        ts,
        order_id: orderId,
        symbol,
        side: side(d),
        order_type: orderType as 'limit',
        status: status as 'new',
        quantity: plain(quantity),
        filled_quantity: plain(quantity.gt(0) ? Decimal.min(filled, quantity) : filled),
        fees: plain(fees),
        venue: text(d, 'exchange') ?? 'unknown',
        ...(avgOut && avgOut.gt(0) ? { avg_fill_price: plain(avgOut) } : {}),
        ...(limit && limit.gt(0) ? { limit_price: plain(limit) } : {}),
        ...(stop && stop.gt(0) ? { stop_price: plain(stop) } : {}),
        ...(feeCurrency ? { fee_currency: feeCurrency } : {}),
        ...(text(d, 'client_order_id') ? { client_order_id: text(d, 'client_order_id') } : {}),
        ...(text(d, 'error_message') ? { reason: (text(d, 'error_message') as string).slice(0, 1024) } : {}),
        ...(strategy ? { strategy } : {}),
      };
      out.push(order);

      if (rising && options.fills === 'execution_report') {
        const delta = cum.sub(prevCum);
        let price: Decimal | undefined;
        if (avg && avg.gt(0)) {
          // The average fill price of the whole order implies the price of the new part.
          const prevAvg = prev?.avg_fill_price;
          if (prevCum.isZero()) price = avg;
          else if (prevAvg !== undefined) price = cum.mul(avg).sub(prevCum.mul(prevAvg)).div(delta);
          if (!price || !price.gt(0)) price = avg;
        } else if (limit && limit.gt(0)) {
          price = limit;
        }
        if (!price)
          throw new FieldProblem(
            'average_fill_price',
            `quantity_filled rose to ${plain(cum)} but average_fill_price (and limit_price) is missing, so the fill has no price`,
          );
        out.push({
          type: 'fill',
          engine: base.engine,
          ts,
          id: `${base.id}:fill`,
          fill_id: `${orderId}:${plain(cum)}`,
          order_id: orderId,
          symbol,
          side: side(d),
          price: plain(price.toSignificantDigits(20)),
          quantity: plain(delta),
          fee: plain(Decimal.max(commission.sub(prevFees), 0)),
          ...(feeCurrency ? { fee_currency: feeCurrency } : {}),
          ...(strategy ? { strategy } : {}),
        });
      }
      batchKnown.set(`${base.engine}\u0000${orderId}`, {
        filled_quantity: filled.toNumber(),
        avg_fill_price: avgOut?.toNumber(),
        fees: fees.toNumber(),
        updated_at: Math.max(ts, prev?.updated_at ?? ts),
      });
      return out;
    }

    function fillEvent(d: Dict, base: { engine: string; ts: number; id: string }): TradingEventInput {
      const fee = decimal(d, 'fee');
      return {
        type: 'fill',
        ...base,
        fill_id: required(d, 'fill_id'),
        order_id: required(d, 'order_id'),
        symbol: pair(d),
        side: side(d),
        price: plain(decimal(d, 'price') ?? new Decimal(0)),
        quantity: plain(decimal(d, 'quantity') ?? new Decimal(0)),
        fee: plain(fee ?? new Decimal(0)),
      };
    }

    function systemState(d: Dict, base: { engine: string; ts: number; id: string }): TradingEventInput[] {
      const state = required(d, 'new_state').toUpperCase();
      const reason = text(d, 'reason');
      if (state === 'HALTED' || state === 'HALT') {
        return [
          { type: 'risk', ...base, halted: true, ...(reason ? { halt_reason: reason.slice(0, 1024) } : {}) },
        ];
      }
      if (state === 'RUNNING' || state === 'ACTIVE' || state === 'RESUMED')
        return [{ type: 'risk', ...base, halted: false }];
      const venueStatus = VENUE_STATUS[state];
      if (venueStatus)
        return [
          { type: 'health', ...base, component: text(d, 'source_module') ?? 'venue', status: venueStatus },
        ];
      return [];
    }

    function riskAlerts(d: Dict, base: { engine: string; ts: number; id: string }): TradingEventInput[] {
      // RiskManager publishes a GenericEvent: {event_name, data: {alerts: [{level, message, type?}], ...}}.
      const name = (text(d, 'event_name') ?? 'risk_limit_alert').slice(0, 128);
      const data = typeof d.data === 'object' && d.data !== null ? (d.data as Dict) : {};
      const alerts = Array.isArray(data.alerts) ? (data.alerts as unknown[]) : [];
      const severity = (level: unknown) => {
        const l = String(level ?? '').toUpperCase();
        return l === 'CRITICAL' || l === 'ERROR' ? 'critical' : l === 'INFO' ? 'info' : 'warning';
      };
      if (alerts.length === 0) {
        const message = typeof data.message === 'string' ? data.message : name;
        return [
          { type: 'alert', ...base, name, severity: severity(data.level), message: message.slice(0, 1024) },
        ];
      }
      return alerts.map((a, i) => {
        const alert = typeof a === 'object' && a !== null ? (a as Dict) : {};
        const alertName =
          typeof alert.type === 'string' && alert.type
            ? alert.type
            : typeof alert.metric === 'string'
              ? alert.metric
              : name;
        const message = typeof alert.message === 'string' ? alert.message : name;
        return {
          type: 'alert',
          ...base,
          id: `${base.id}:${i}`,
          name: alertName.slice(0, 128),
          severity: severity(alert.level),
          message: message.slice(0, 1024),
        } as TradingEventInput;
      });
    }

    function bookTop(d: Dict, base: { engine: string; ts: number; id: string }): TradingEventInput[] {
      const best = (field: 'bids' | 'asks'): Decimal | undefined => {
        const levels = d[field];
        if (!Array.isArray(levels)) return undefined;
        let top: Decimal | undefined;
        for (const level of levels) {
          if (!Array.isArray(level) || level.length < 1) continue;
          let price: Decimal | undefined;
          try {
            price = decimal({ price: level[0] }, 'price');
          } catch {
            continue; // a level that is not a price is no top of book
          }
          if (!price || !price.gt(0)) continue;
          if (!top || (field === 'bids' ? price.gt(top) : price.lt(top))) top = price;
        }
        return top;
      };
      const bid = best('bids');
      const ask = best('asks');
      // An incremental update may touch one side only: no mark from it.
      if (!bid || !ask || !bid.lt(ask)) return [];
      return [
        {
          type: 'mark',
          ...base,
          symbol: pair(d),
          price: plain(bid.add(ask).div(2)),
          bid: plain(bid),
          ask: plain(ask),
        },
      ];
    }

    function mid(d: Dict): Decimal {
      const bid = decimal(d, 'bid');
      const ask = decimal(d, 'ask');
      if (!bid || !ask) throw new FieldProblem('last_price', 'is required (or bid and ask)');
      return bid.add(ask).div(2);
    }

    function optionalDecimal(d: Dict, field: string, as: string): Record<string, string> {
      const v = decimal(d, field);
      return v && v.gt(0) ? { [as]: plain(v) } : {};
    }
  };
}
