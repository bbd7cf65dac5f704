/**
 * Gal Friday's own event dictionaries (`Event.to_dict()` of gal_friday/core/events.py and
 * RiskManager's `GenericEvent`) to tradewatch events (docs/integrations/galfriday.md).
 * Pure: dictionaries in, events and per-dictionary refusals out; what it needs to know of
 * earlier reports is asked of `knownOrder` (the Store's order book, which is durable).
 *
 * What its real code publishes, and what the adapter does with it:
 * - `event_type` is an integer (the enum's auto() value); UUIDs and Decimals are strings
 *   (Decimals may be in exponent form, "1E+1"); datetimes are isoformat() strings,
 *   possibly without an offset (taken as UTC); sides, statuses and order types are upper case.
 * - Kraken asset codes (ZUSD, XXBT, XXDG, XDG, …) and pair names (XXBTZUSD, XBT/USD) become
 *   the common codes (USD, BTC, DOGE; BTC/USD) in every symbol, fee and label.
 * - EXECUTION_REPORT's `quantity_filled` and `commission` are cumulative per order: a fill is
 *   derived from the rise since the last applied report, with a deterministic fill id
 *   (order id + cumulative quantity), so a repeated, stale or out-of-order report never
 *   counts twice. Its notional is the rise of the order's cumulative cost (`cost`, when a
 *   report carries it) or else of its cumulative notional (quantity × average price), so the
 *   fills of an order add up to exactly what the order reports; the price is that notional
 *   over the quantity, to 40 digits, as a decimal string (it keeps them: events/exact.ts).
 * - Status aliases: OPEN → new (partially_filled once something filled), CLOSED → filled,
 *   CANCELLED → canceled, PENDING → new, ERROR → rejected. A report from its WebSocket path
 *   with status UNKNOWN (or none) keeps the order's last known status; an empty or UNKNOWN
 *   side, pair or order type is taken from the known order.
 * - A venue refusal before the order exists carries `exchange_order_id` "NO_EXCHANGE_ID":
 *   each is its own order, keyed by its client order id (or its signal id). A Kraken error
 *   message ("EOrder:…") on it is also a venue error.
 * - RiskManager publishes each decision as `GenericEvent`s (`data` holds the signal) under
 *   several `event_name`s: the signal event gets the id `gf-signal:<signal id>:<decision>`,
 *   so the store applies one decision once, however many copies arrive.
 * - RiskManager's metrics ride on SYSTEM_ERROR (`risk.metrics.updated|calculated`): they
 *   become `risk` limits named `galfriday_*` (the engine's own drawdown, exposure, equity,
 *   risk score, losses in a row), never venue errors; `signals.retry.*` are ignored, and
 *   `risk.execution_report.error` is an engine alert. APIErrorEvent is a venue error.
 * - Market data: a ticker is a mark; an L2 book gives its mid price as a mark, at most one
 *   per pair per `markIntervalMs` of event time (a busy book does not flood the exporter).
 * - It never publishes PORTFOLIO_UPDATE, so positions come from fills: from execution
 *   reports (default) or from FILL events (`fills: 'fill_event'`), never both.
 *
 * - Balances: Gal Friday publishes none; a tradewatch `balance` event in the stream (the
 *   bridge's `balances()`, from Kraken's Balance answer) passes, its Kraken codes made common.
 *
 * A dictionary the adapter cannot use (a fill without any price, a report of an unknown
 * order without side or pair, a broken field) is refused alone: it is named in `refused`
 * and the rest of the batch goes on.
 */
import Decimal from 'decimal.js';
import type { TradingEventInput } from '../../events/schema';
import { validateEvent, type EventProblem } from '../../events/validate';

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

/** What the adapter knows of an order: its last applied state (the order book's row). */
export interface KnownOrder {
  filled_quantity: number;
  avg_fill_price?: number;
  fees: number;
  /** Epoch ms of the order's last applied state. */
  updated_at: number;
  status?: string;
  side?: 'buy' | 'sell';
  symbol?: string;
  order_type?: string;
  quantity?: number;
  fee_currency?: string;
}

/** Gal Friday's `risk_manager.limits` (its defaults), the limits its own figures are exported against. */
export interface GalFridayLimits {
  max_total_drawdown_pct: number;
  max_total_exposure_pct: number;
  max_consecutive_losses: number;
}
export const GALFRIDAY_LIMITS: GalFridayLimits = {
  max_total_drawdown_pct: 15,
  max_total_exposure_pct: 25,
  max_consecutive_losses: 5,
};

export interface GalFridayOptions {
  /** Engine name for dictionaries that carry no `engine` key (the bridge adds one). */
  engine: string;
  /** Where positions come from (see the module comment). */
  fills: 'execution_report' | 'fill_event';
  knownOrder(engine: string, orderId: string): KnownOrder | undefined;
  /** The order id of a client order id (a WebSocket report may lack the exchange's id). */
  orderIdOfClient?(engine: string, clientOrderId: string): string | undefined;
  /** Least event time between two marks taken from L2 books of one pair (default 1000 ms; 0: every book). */
  markIntervalMs?: number;
  /** The engine's own risk limits (default: Gal Friday's defaults). */
  limits?: Partial<GalFridayLimits>;
}

/**
 * `events` are tradewatch events (not yet validated by the ingest service, but each one
 * valid on its own); `refused` names each dictionary that was left out, with why;
 * `ignored` counts dictionaries with nothing to observe (bars, features, duplicates of a
 * sampled book…). `ok` is always true: one bad dictionary never refuses a batch.
 */
export interface GalFridayResult {
  ok: true;
  events: TradingEventInput[];
  ignored: number;
  refused: EventProblem[];
}

/** Kraken's legacy asset codes (Balance, fees, pair names) → the common code. */
const KRAKEN_ASSETS: Record<string, string> = {
  ZUSD: 'USD',
  ZEUR: 'EUR',
  ZGBP: 'GBP',
  ZCAD: 'CAD',
  ZJPY: 'JPY',
  ZAUD: 'AUD',
  ZCHF: 'CHF',
  XXBT: 'BTC',
  XBT: 'BTC',
  XETH: 'ETH',
  XXRP: 'XRP',
  XXDG: 'DOGE',
  XDG: 'DOGE',
  XLTC: 'LTC',
  XXLM: 'XLM',
  XXMR: 'XMR',
  XETC: 'ETC',
  XZEC: 'ZEC',
  XMLN: 'MLN',
  XREP: 'REP',
};

/** A Kraken asset code as the common code ("ZUSD" → "USD", "XBT.M" → "BTC.M"); others unchanged (upper case). */
export function commonCurrency(code: string): string {
  const c = code.trim().toUpperCase();
  const dot = c.indexOf('.');
  const head = dot < 0 ? c : c.slice(0, dot);
  const mapped = KRAKEN_ASSETS[head];
  return mapped === undefined ? c : mapped + (dot < 0 ? '' : c.slice(dot));
}

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
  ERROR: 'rejected',
  EXPIRED: 'expired',
};
/** Kraken's order types (and Gal Friday's names) → tradewatch's four. */
const ORDER_TYPE: Record<string, string> = {
  LIMIT: 'limit',
  MARKET: 'market',
  STOP: 'stop',
  STOP_LOSS: 'stop',
  STOP_LIMIT: 'stop_limit',
  STOP_LOSS_LIMIT: 'stop_limit',
  TAKE_PROFIT: 'stop',
  TAKE_PROFIT_LIMIT: 'stop_limit',
  TRAILING_STOP: 'stop',
  TRAILING_STOP_LIMIT: 'stop_limit',
  SETTLE_POSITION: 'market',
  ICEBERG: 'limit',
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
/** Exchange order ids that name no order (a refusal before it exists; a WebSocket report without one). */
const NO_ORDER_ID = new Set(['NO_EXCHANGE_ID', 'UNKNOWN', 'NONE']);
/** Values of side, pair, status or type that say "not known" (the WebSocket path's defaults). */
const UNKNOWN_VALUE = new Set(['', 'UNKNOWN', 'NONE', 'NULL']);
/** Quote currencies tried when a pair comes without a slash (e.g. "XRPUSD", "XXBTZUSD"), longest first. */
const QUOTES = [
  'ZUSD',
  'ZEUR',
  'ZGBP',
  'ZCAD',
  'ZJPY',
  'XXBT',
  'XETH',
  'USDT',
  'USDC',
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'JPY',
  'CHF',
  'AUD',
  'XBT',
  'BTC',
  'ETH',
];
const REMEMBERED = 10_000;
/** A Kraken error as Gal Friday passes it on (str() of the response's error list). */
const KRAKEN_ERROR = /^\[?\s*['"]?E[A-Z][A-Za-z]*:/;
const D40 = Decimal.clone({ precision: 40 });
/** How far an order's cumulative notional may fall, relative, for averages rounded to about five digits. */
const NOTIONAL_ROUNDING = 1e-4;

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
interface Base {
  engine: string;
  ts: number;
  id: string;
}

/** An insertion-ordered map that forgets its oldest keys past a size. */
class Recent<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > REMEMBERED) super.delete(this.keys().next().value as string);
    return this;
  }
}

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

function known(v: string | undefined): string | undefined {
  return v === undefined || UNKNOWN_VALUE.has(v.trim().toUpperCase()) ? undefined : v;
}

function decimal(d: Dict, field: string): Decimal | undefined {
  const v = d[field];
  if (v === null || v === undefined || v === 'None' || v === '') return undefined;
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

function sideOf(v: string | undefined): 'buy' | 'sell' | undefined {
  const s = v?.trim().toLowerCase();
  return s === 'buy' || s === 'sell' ? s : undefined;
}

function side(d: Dict, field = 'side'): 'buy' | 'sell' {
  const v = sideOf(text(d, field));
  if (!v) throw new FieldProblem(field, `must be BUY or SELL, not ${JSON.stringify(d[field])}`);
  return v;
}

/**
 * A pair in common codes: "XRP/USD" stays; "XBT/USD", "XXBTZUSD" and "XBTUSD" become
 * "BTC/USD"; "xrpusd" becomes "XRP/USD" (its quote is a known one). Undefined when it is none.
 */
export function normalizePair(pair: string): string | undefined {
  const p = pair.trim().toUpperCase().replace('-', '/');
  const slash = /^([A-Z0-9._]{1,32})\/([A-Z0-9._]{1,32})$/.exec(p);
  if (slash) return `${commonCurrency(slash[1])}/${commonCurrency(slash[2])}`;
  if (!/^[A-Z0-9._]{2,64}$/.test(p)) return undefined;
  for (const q of QUOTES)
    if (p.length > q.length && p.endsWith(q))
      return `${commonCurrency(p.slice(0, -q.length))}/${commonCurrency(q)}`;
  return undefined;
}

function pairOf(v: string | undefined): string | undefined {
  const p = known(v);
  return p === undefined ? undefined : normalizePair(p);
}

function pair(d: Dict, field = 'trading_pair'): string {
  const v = required(d, field);
  const p = pairOf(v);
  if (!p) throw new FieldProblem(field, `must be a pair such as XRP/USD, not ${JSON.stringify(v)}`);
  return p;
}

const plain = (d: Decimal) => d.toFixed();
/** A JSON number or Decimal string in a GenericEvent's data, as a decimal string; undefined when it is none. */
function figure(v: unknown): string | undefined {
  if (typeof v !== 'number' && typeof v !== 'string') return undefined;
  try {
    const d = new Decimal(v);
    return d.isFinite() ? plain(d) : undefined;
  } catch {
    return undefined;
  }
}
const dictOf = (v: unknown): Dict =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Dict) : {};

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

/** What one dictionary gives: events, and the order state it leaves (committed only if all are valid). */
interface Adapted {
  events: TradingEventInput[];
  order?: { key: string; state: KnownOrder; orderId: string; clientKey?: string };
  mark?: { key: string; ts: number };
}

export function createGalFridayAdapter(
  options: GalFridayOptions,
): (raws: readonly unknown[]) => GalFridayResult {
  const markInterval = options.markIntervalMs ?? 1000;
  const limits = { ...GALFRIDAY_LIMITS, ...options.limits };
  /** signal_id → what its proposal or decision said (orders carry only the signal id). */
  const signals = new Recent<{ strategy?: string; symbol?: string; side?: 'buy' | 'sell' }>();
  /** engine + client order id → exchange order id, learnt from reports that carry both. */
  const orderOfClient = new Recent<string>();
  /** engine + pair → event time of the last mark taken from a book. */
  const lastBookMark = new Recent<number>();

  const learnSignal = (
    signal: string,
    what: { strategy?: string; symbol?: string; side?: 'buy' | 'sell' },
  ) => {
    const had = signals.get(signal) ?? {};
    signals.set(signal, {
      strategy: what.strategy ?? had.strategy,
      symbol: what.symbol ?? had.symbol,
      side: what.side ?? had.side,
    });
  };

  return (raws) => {
    const events: TradingEventInput[] = [];
    const refused: EventProblem[] = [];
    let ignored = 0;
    // Reports earlier in this batch count as known for later ones.
    const batchKnown = new Map<string, KnownOrder>();
    const knownOrder = (engine: string, orderId: string): KnownOrder | undefined =>
      batchKnown.get(`${engine}\u0000${orderId}`) ?? options.knownOrder(engine, orderId);

    raws.forEach((raw, index) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        refused.push({
          index,
          field: '',
          reason: 'a Gal Friday event must be a JSON object (Event.to_dict())',
        });
        return;
      }
      let adapted: Adapted;
      try {
        adapted = adaptOne(raw as Dict);
      } catch (err) {
        if (err instanceof FieldProblem) {
          refused.push({ index, field: err.field, reason: err.message });
          return;
        }
        throw err;
      }
      const problems: EventProblem[] = [];
      for (const event of adapted.events) {
        const checked = validateEvent(event, index);
        if (!Array.isArray(checked)) continue;
        for (const p of checked) {
          const source = SOURCE_FIELD[p.field] ?? p.field;
          problems.push({
            index,
            field: source,
            reason: source === p.field ? p.reason : `${p.reason} (as ${event.type}.${p.field})`,
          });
        }
      }
      if (problems.length > 0) {
        refused.push(...problems);
        return;
      }
      if (adapted.events.length === 0) ignored += 1;
      events.push(...adapted.events);
      if (adapted.order) {
        batchKnown.set(adapted.order.key, adapted.order.state);
        if (adapted.order.clientKey) orderOfClient.set(adapted.order.clientKey, adapted.order.orderId);
      }
      if (adapted.mark) lastBookMark.set(adapted.mark.key, adapted.mark.ts);
    });
    return { ok: true, events, ignored, refused };

    function adaptOne(d: Dict): Adapted {
      if (d.event_type === undefined && d.type === 'balance') return { events: [balance(d)] };
      const type = d.event_type;
      if (typeof type !== 'number' || !Number.isInteger(type)) {
        throw new FieldProblem(
          'event_type',
          `must be Gal Friday's integer EventType value (e.g. 9 for EXECUTION_REPORT), not ${JSON.stringify(type)}`,
        );
      }
      const engine = typeof d.engine === 'string' && d.engine ? d.engine : options.engine;
      const base: Base = { engine, ts: time(d, 'timestamp'), id: required(d, 'event_id') };
      const only = (events: TradingEventInput[]): Adapted => ({ events });
      switch (type) {
        case GF.EXECUTION_REPORT:
          return executionReport(d, base);
        case GF.FILL:
          return only(options.fills === 'fill_event' ? [fillEvent(d, base)] : []);
        case GF.MARKET_DATA_TICKER:
          return only([
            {
              type: 'mark',
              ...base,
              symbol: pair(d),
              price: plain(decimal(d, 'last_price') ?? mid(d)),
              ...optionalDecimal(d, 'bid', 'bid'),
              ...optionalDecimal(d, 'ask', 'ask'),
            },
          ]);
        case GF.MARKET_DATA_L2:
          return bookTop(d, base);
        case GF.TRADE_SIGNAL_PROPOSED: {
          const signal = required(d, 'signal_id');
          const strategy = text(d, 'strategy_id');
          const symbol = pair(d);
          const sd = side(d);
          learnSignal(signal, { strategy, symbol, side: sd });
          return only([
            {
              type: 'signal',
              ...base,
              signal_id: signal,
              symbol,
              side: sd,
              decision: 'proposed',
              ...(strategy ? { strategy: strategy.slice(0, 128) } : {}),
            },
          ]);
        }
        case GF.TRADE_SIGNAL_APPROVED:
        case GF.TRADE_SIGNAL_REJECTED:
          return only(decision(d, base, type === GF.TRADE_SIGNAL_APPROVED ? 'approved' : 'rejected'));
        case GF.SYSTEM_STATE_CHANGE:
          return only(systemState(d, base));
        case GF.POTENTIAL_HALT_TRIGGER:
          return only([
            {
              type: 'alert',
              ...base,
              name: 'potential_halt_trigger',
              severity: 'warning',
              message: (text(d, 'reason') ?? 'potential halt').slice(0, 1024),
            },
          ]);
        case GF.SYSTEM_ERROR:
          return only(systemError(d, base));
        case GF.RISK_LIMIT_ALERT:
          return only(riskAlerts(d, base));
        default:
          // Market data bars, features, predictions, logs, outcomes, portfolio events: nothing to observe here.
          return only([]);
      }
    }

    function decision(d: Dict, base: Base, decided: 'approved' | 'rejected'): TradingEventInput[] {
      // RiskManager's GenericEvent: {event_name, data: {signal_id, trading_pair, side?, strategy_id, …}};
      // the core TradeSignalApproved/RejectedEvent: the same at the top level.
      const generic = typeof d.event_name === 'string' && typeof d.data === 'object' && d.data !== null;
      const data = generic ? dictOf(d.data) : d;
      const field = (name: string) => (generic ? `data.${name}` : name);
      const str = (v: unknown) => (typeof v === 'string' && v !== '' && v !== 'None' ? v : undefined);
      // ClosePositionCommand shares APPROVED's type but is a command without a signal_id.
      const signal = str(data.signal_id);
      if (!signal) return [];
      const had = signals.get(signal) ?? {};
      const strategy = str(data.strategy_id) ?? had.strategy;
      const symbol = pairOf(str(data.trading_pair)) ?? had.symbol;
      const sd = sideOf(str(data.side)) ?? sideOf(str(dictOf(data.signal_data).side)) ?? had.side;
      if (!symbol) throw new FieldProblem(field('trading_pair'), 'is required (a pair such as XRP/USD)');
      if (!sd)
        throw new FieldProblem(
          field('side'),
          'is required (BUY or SELL), and no proposal of this signal was seen to take it from',
        );
      learnSignal(signal, { strategy, symbol, side: sd });
      const reasonParts = generic
        ? [str(data.rejection_reason), str(data.rejection_details)].filter((x) => x !== undefined)
        : [str(data.reason)].filter((x) => x !== undefined);
      const reason = reasonParts.join(': ');
      return [
        {
          type: 'signal',
          ...base,
          // One decision of one signal counts once, however many event_names carry it.
          id: `gf-signal:${signal}:${decided}`,
          signal_id: signal,
          symbol,
          side: sd,
          decision: decided,
          ...(strategy ? { strategy: strategy.slice(0, 128) } : {}),
          ...(reason ? { reason: reason.slice(0, 1024) } : {}),
        },
      ];
    }

    function executionReport(d: Dict, base: Base): Adapted {
      const clientId = text(d, 'client_order_id');
      const exchangeId = text(d, 'exchange_order_id');
      const signal = text(d, 'signal_id');
      const realId =
        exchangeId !== undefined && !NO_ORDER_ID.has(exchangeId.toUpperCase()) ? exchangeId : undefined;
      const orderId =
        realId ??
        (clientId &&
          (orderOfClient.get(`${base.engine}\u0000${clientId}`) ??
            options.orderIdOfClient?.(base.engine, clientId) ??
            clientId)) ??
        (signal ? `signal-${signal}` : undefined);
      if (!orderId) throw new FieldProblem('exchange_order_id', 'is required (or client_order_id)');
      const prev = knownOrder(base.engine, orderId);

      const statusRaw = known(text(d, 'order_status'))?.toUpperCase();
      let status: string | undefined;
      if (statusRaw !== undefined) {
        status = ORDER_STATUS[statusRaw];
        if (!status)
          throw new FieldProblem(
            'order_status',
            `unknown order status ${JSON.stringify(d.order_status)}; expected one of ${Object.keys(ORDER_STATUS).join(', ')} or UNKNOWN`,
          );
      } else {
        // The WebSocket path's UNKNOWN: the order keeps its last known status.
        status = prev?.status ?? 'new';
      }
      const typeRaw = known(text(d, 'order_type'))?.toUpperCase().replace(/[- ]/g, '_');
      const orderType = (typeRaw !== undefined ? ORDER_TYPE[typeRaw] : undefined) ?? prev?.order_type;
      if (!orderType)
        throw new FieldProblem(
          'order_type',
          typeRaw !== undefined
            ? `unknown order type ${JSON.stringify(d.order_type)}; expected one of ${Object.keys(ORDER_TYPE).join(', ')}`
            : 'is required for an order not seen before',
        );
      const symbol = pairOf(text(d, 'trading_pair')) ?? prev?.symbol;
      if (!symbol)
        throw new FieldProblem(
          'trading_pair',
          `must be a pair such as XRP/USD (or the order must be known), not ${JSON.stringify(d.trading_pair)}`,
        );
      const sd = sideOf(text(d, 'side')) ?? prev?.side ?? (signal ? signals.get(signal)?.side : undefined);
      if (!sd)
        throw new FieldProblem(
          'side',
          `must be BUY or SELL (or the order must be known), not ${JSON.stringify(d.side)}`,
        );
      const reported = decimal(d, 'quantity_ordered');
      if (reported && reported.isNeg()) throw new FieldProblem('quantity_ordered', 'must be greater than 0');
      // A WebSocket trade report's quantity_ordered is the trade's own volume: the known order's is kept.
      const quantity =
        statusRaw === undefined && prev?.quantity !== undefined
          ? new Decimal(prev.quantity)
          : reported && reported.gt(0)
            ? reported
            : prev?.quantity !== undefined
              ? new Decimal(prev.quantity)
              : undefined;
      if (!quantity) throw new FieldProblem('quantity_ordered', 'is required');
      const cum = decimal(d, 'quantity_filled') ?? new Decimal(0);
      if (cum.gt(quantity))
        throw new FieldProblem(
          'quantity_filled',
          `${plain(cum)} exceeds the order's quantity ${plain(quantity)}: a venue fills no more than the order`,
        );
      const avg = decimal(d, 'average_fill_price');
      const cost = decimal(d, 'cost');
      const commission = decimal(d, 'commission');
      const limit = decimal(d, 'limit_price');
      const stop = decimal(d, 'stop_price');
      const feeAsset = text(d, 'commission_asset');
      const feeCurrency = feeAsset ? commonCurrency(feeAsset) : prev?.fee_currency;
      const strategy = signal ? signals.get(signal)?.strategy : undefined;

      const prevCum = new Decimal(prev?.filled_quantity ?? 0);
      const prevFees = new Decimal(prev?.fees ?? 0);
      const prevAvg = prev?.avg_fill_price !== undefined ? new Decimal(prev.avg_fill_price) : undefined;
      const rising = cum.gt(prevCum);
      // A stale report never takes figures back, and the cumulative fees and average price move
      // only with the cumulative quantity (a WebSocket trade report carries one trade's fee).
      const filled = rising ? cum : prevCum;
      const fees = rising && commission ? Decimal.max(commission, prevFees) : prevFees;
      const avgOut = rising ? (cost && cum.gt(0) ? new D40(cost).div(cum) : avg) : prevAvg;
      if (status === 'new' && filled.gt(0)) status = 'partially_filled';
      // Later states replace earlier ones by event time; a report that moves the fills on
      // must not be dropped for a timestamp that lags the last applied state.
      const ts = rising && prev && prev.updated_at > base.ts ? prev.updated_at : base.ts;
      // Kraken's stop orders carry their trigger price where limit orders carry the limit.
      // A trailing stop's "price" is its offset from the market, neither a limit nor a trigger.
      const trailing = typeRaw?.startsWith('TRAILING') ?? false;
      const stopOut =
        stop && stop.gt(0)
          ? stop
          : orderType === 'stop' && !trailing && limit && limit.gt(0)
            ? limit
            : undefined;
      const limitOut = orderType !== 'stop' && !trailing && limit && limit.gt(0) ? limit : undefined;
      const reason = text(d, 'error_message');
      const venue = text(d, 'exchange') ?? 'unknown';

      const out: TradingEventInput[] = [
        {
          type: 'order',
          ...base,
          ts,
          order_id: orderId,
          symbol,
          side: sd,
          order_type: orderType as 'limit',
          status: status as 'new',
          quantity: plain(quantity),
          filled_quantity: plain(quantity.gt(0) ? Decimal.min(filled, quantity) : filled),
          fees: plain(fees),
          venue,
          ...(avgOut && avgOut.gt(0) ? { avg_fill_price: avgOut.toSignificantDigits(40).toFixed() } : {}),
          ...(limitOut ? { limit_price: plain(limitOut) } : {}),
          ...(stopOut ? { stop_price: plain(stopOut) } : {}),
          ...(feeCurrency ? { fee_currency: feeCurrency } : {}),
          ...(clientId ? { client_order_id: clientId } : {}),
          ...(reason ? { reason: reason.slice(0, 1024) } : {}),
          ...(strategy ? { strategy: strategy.slice(0, 128) } : {}),
        },
      ];
      // A refusal by the venue itself (Kraken's "EOrder:…", "EAPI:…") is a venue error too.
      if (status === 'rejected' && !realId && reason && KRAKEN_ERROR.test(reason))
        out.push({
          type: 'health',
          ...base,
          id: `${base.id}:venue`,
          component: venue,
          venue,
          error: reason.slice(0, 1024),
          endpoint: 'AddOrder',
        });

      if (rising && options.fills === 'execution_report') {
        const delta = cum.sub(prevCum);
        // The notional of the new part: the rise of the cumulative cost, or of the cumulative notional.
        const before = prevCum.isZero() ? new D40(0) : prevAvg ? new D40(prevCum).mul(prevAvg) : undefined;
        let notional: Decimal | undefined;
        if (cost && before) notional = new D40(cost).sub(before);
        else if (avg && avg.gt(0))
          notional = before ? new D40(cum).mul(avg).sub(before) : new D40(delta).mul(avg);
        else if (orderType === 'limit' && limit && limit.gt(0)) notional = new D40(delta).mul(limit);
        if (!notional)
          throw new FieldProblem(
            'average_fill_price',
            `quantity_filled rose to ${plain(cum)} but the report carries no average_fill_price (nor cost, nor a limit price): the fill has no price; the next report with its price carries it`,
          );
        let price = new D40(notional).div(delta);
        if (!price.gt(0)) {
          // Kraken's rounded averages can imply a price of zero or less for a tiny part: take the
          // average then. A cumulative notional that falls by more than rounding while the
          // quantity rises contradicts the last report: booked, it made this part's price the
          // new average and the next part's a multiple of the limit (issue 25). Refused alone,
          // the next consistent report books the quantity against the last consistent one.
          const fell = new D40(notional).neg();
          if (before && fell.gt(new D40(before).mul(NOTIONAL_ROUNDING)))
            throw new FieldProblem(
              cost ? 'cost' : 'average_fill_price',
              `the order's cumulative notional fell from ${before.toSignificantDigits(12).toFixed()} to ${before.sub(fell).toSignificantDigits(12).toFixed()} while quantity_filled rose to ${plain(cum)}: this report contradicts the last one`,
            );
          price = new D40(avgOut ?? limit ?? 0);
        }
        if (!price.gt(0)) throw new FieldProblem('average_fill_price', 'the fill has no positive price');
        out.push({
          type: 'fill',
          engine: base.engine,
          ts,
          id: `${base.id}:fill`,
          fill_id: `${orderId}:${plain(cum)}`,
          order_id: orderId,
          symbol,
          side: sd,
          price: price.toSignificantDigits(40).toFixed(),
          quantity: plain(delta),
          fee: plain(commission ? Decimal.max(commission.sub(prevFees), 0) : new Decimal(0)),
          ...(feeCurrency ? { fee_currency: feeCurrency } : {}),
          ...(strategy ? { strategy: strategy.slice(0, 128) } : {}),
        });
      }
      const state: KnownOrder = {
        filled_quantity: filled.toNumber(),
        avg_fill_price: avgOut?.toNumber(),
        fees: fees.toNumber(),
        updated_at: Math.max(ts, prev?.updated_at ?? ts),
        status,
        side: sd,
        symbol,
        order_type: orderType,
        quantity: quantity.toNumber(),
        fee_currency: feeCurrency,
      };
      return {
        events: out,
        order: {
          key: `${base.engine}\u0000${orderId}`,
          state,
          orderId,
          ...(clientId && realId ? { clientKey: `${base.engine}\u0000${clientId}` } : {}),
        },
      };
    }

    /**
     * Gal Friday publishes no balances; the bridge's `balances()` sends Kraken's Balance answer
     * as a tradewatch `balance` event in the same stream. Its Kraken codes become common ones
     * (ZUSD and USD are one balance: summed).
     */
    function balance(d: Dict): TradingEventInput {
      const raw = dictOf(d.balances);
      const balances: Record<string, string> = {};
      for (const [code, amount] of Object.entries(raw)) {
        const v = figure(amount);
        if (v === undefined)
          throw new FieldProblem(`balances.${code}`, 'must be a decimal string such as "0.25"');
        const currency = commonCurrency(code);
        balances[currency] = plain(new Decimal(balances[currency] ?? 0).add(v));
      }
      const engine = typeof d.engine === 'string' && d.engine ? d.engine : options.engine;
      return {
        ...(d as Record<string, never>),
        engine,
        balances,
        ...(typeof d.valuation_currency === 'string'
          ? { valuation_currency: commonCurrency(d.valuation_currency) }
          : {}),
      } as TradingEventInput;
    }

    function fillEvent(d: Dict, base: Base): TradingEventInput {
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

    function systemState(d: Dict, base: Base): TradingEventInput[] {
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

    function systemError(d: Dict, base: Base): TradingEventInput[] {
      const name = typeof d.event_name === 'string' ? d.event_name : undefined;
      if (name === undefined) {
        // APIErrorEvent (and any other real error): a venue or component error.
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
      // RiskManager's GenericEvents on SYSTEM_ERROR are its own bookkeeping, never venue errors.
      if (name.startsWith('risk.metrics.')) return engineView(dictOf(dictOf(d.data).metrics), base);
      if (name === 'risk.execution_report.error') {
        const data = dictOf(d.data);
        const error = typeof data.error === 'string' ? data.error : name;
        return [
          {
            type: 'alert',
            ...base,
            name: 'galfriday_execution_report_error',
            severity: 'warning',
            message: error.slice(0, 1024),
          },
        ];
      }
      return []; // signals.retry.* and the like
    }

    /** RiskManager's own figures as risk limits (value against the limit it is held to). */
    function engineView(m: Dict, base: Base): TradingEventInput[] {
      const out: Record<string, { value: string; limit: string }> = {};
      const pct = (v: unknown) => {
        const f = figure(v);
        return f === undefined ? undefined : plain(new Decimal(f).div(100));
      };
      const put = (name: string, value: string | undefined, limit: string | undefined) => {
        if (value !== undefined && limit !== undefined) out[name] = { value, limit };
      };
      put('galfriday_drawdown_ratio', pct(m.current_drawdown_pct), pct(limits.max_total_drawdown_pct));
      put('galfriday_exposure_ratio', pct(m.total_exposure_pct), pct(limits.max_total_exposure_pct));
      put('galfriday_risk_score', figure(m.risk_score), '100');
      put(
        'galfriday_consecutive_losses',
        figure(m.consecutive_losses),
        figure(limits.max_consecutive_losses),
      );
      put('galfriday_equity', figure(m.current_equity), figure(m.peak_equity) ?? figure(m.current_equity));
      if (Object.keys(out).length === 0) return [];
      return [{ type: 'risk', ...base, limits: out }];
    }

    function riskAlerts(d: Dict, base: Base): TradingEventInput[] {
      // RiskManager publishes a GenericEvent: {event_name, data: {alerts: [{level, message, type?}], ...}}.
      const name = (text(d, 'event_name') ?? 'risk_limit_alert').slice(0, 128);
      const data = dictOf(d.data);
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
        const alert = dictOf(a);
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

    function bookTop(d: Dict, base: Base): Adapted {
      const symbol = pair(d);
      const key = `${base.engine}\u0000${symbol}`;
      const last = lastBookMark.get(key);
      // Sampled by event time: one mark per pair per interval; an older book says nothing new.
      if (last !== undefined && base.ts - last < markInterval) return { events: [] };
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
      if (!bid || !ask || !bid.lt(ask)) return { events: [] };
      return {
        events: [
          {
            type: 'mark',
            ...base,
            symbol,
            price: plain(bid.add(ask).div(2)),
            bid: plain(bid),
            ask: plain(ask),
          },
        ],
        mark: { key, ts: base.ts },
      };
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
