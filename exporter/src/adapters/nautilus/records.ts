/**
 * What NautilusTrader writes to its Redis streams, decoded (read from nautilus_trader's
 * crates/infrastructure/src/redis/msgbus.rs, crates/model/src/events/**, and the Python
 * node's model/events/*.pyx to_dict with serialization/serializer.pyx).
 *
 * A stream entry holds `topic` and `payload`; writers since v1.229 add `type` (the payload
 * type name, empty for the Python node's messages) and `encoding`. Two payload shapes exist:
 * - Python node: the event's `to_dict()` as JSON: `type` names the event, quantities and
 *   prices are strings, money is "1.25 USD", `ts_*` fields are nanosecond strings (or ISO
 *   8601 with `timestamps_as_iso8601`).
 * - Rust node (serde): order events wrapped by variant (`{"Filled": {"type": "OrderFilled",
 *   …}}`), position events too (`{"PositionClosed": {…}}`, no inner `type`), AccountState
 *   bare; times are integer nanoseconds; money is "1.25 USD" everywhere, balances included.
 */
import { Refusal as PerRecordRefusal } from '../per-record';
import { parseJsonExact } from './exact-json';

/** One stream entry as the source hands it to the ingest service. */
export interface NautilusRecord {
  /** The trader id read from the stream key: the engine. */
  trader: string;
  /** The stream key and entry id (an id for messages that carry none). */
  stream: string;
  entry: string;
  /** The entry's fields as written (string values; a missing payload is a malformed record). */
  fields: Record<string, string>;
}

/** Why a record is refused: the `reason` label of tradewatch_source_errors_total{source="nautilus"}. */
export type Cause =
  | 'malformed_record'
  | 'unsupported_encoding'
  | 'malformed_json'
  | 'unknown_type'
  | 'schema'
  | 'invalid_event';

/** A record refused alone, with one of this producer's causes. */
export class Refusal extends PerRecordRefusal<Cause> {}

export type Body = Record<string, unknown>;

/** Order events' Rust variant names → their type names. */
const ORDER_VARIANTS: Readonly<Record<string, string>> = {
  Initialized: 'OrderInitialized',
  Denied: 'OrderDenied',
  Emulated: 'OrderEmulated',
  Released: 'OrderReleased',
  Submitted: 'OrderSubmitted',
  Accepted: 'OrderAccepted',
  Rejected: 'OrderRejected',
  Canceled: 'OrderCanceled',
  Expired: 'OrderExpired',
  Triggered: 'OrderTriggered',
  PendingUpdate: 'OrderPendingUpdate',
  PendingCancel: 'OrderPendingCancel',
  ModifyRejected: 'OrderModifyRejected',
  CancelRejected: 'OrderCancelRejected',
  Updated: 'OrderUpdated',
  Filled: 'OrderFilled',
};
const POSITION_VARIANTS = new Set([
  'PositionOpened',
  'PositionChanged',
  'PositionClosed',
  'PositionAdjusted',
]);

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The payload of a record, parsed: its event type and body, whichever node wrote it. */
export function decodePayload(record: NautilusRecord): { type: string; body: Body } {
  const { payload, encoding } = record.fields;
  if (encoding !== undefined && encoding !== '' && encoding !== 'json')
    throw new Refusal(
      'unsupported_encoding',
      'encoding',
      `encoding ${JSON.stringify(encoding.slice(0, 32))} is not read (set MessageBusConfig.encoding = "json")`,
    );
  const text = payload.trimStart();
  if (!text.startsWith('{')) {
    // A msgpack map starts with a byte of 0x80 or more; anything else is garbage.
    if (text.length > 0 && text.charCodeAt(0) >= 0x80)
      throw new Refusal(
        'unsupported_encoding',
        'payload',
        'the payload looks like msgpack, which is not read: set MessageBusConfig.encoding = "json"',
      );
    throw new Refusal('malformed_json', 'payload', 'the payload is not a JSON object');
  }
  let parsed: unknown;
  try {
    parsed = parseJsonExact(text);
  } catch (err) {
    throw new Refusal(
      'malformed_json',
      'payload',
      `the payload is not valid JSON: ${(err as Error).message}`,
    );
  }
  if (!isObject(parsed)) throw new Refusal('malformed_json', 'payload', 'the payload is not a JSON object');
  const keys = Object.keys(parsed);
  if (keys.length === 1 && isObject(parsed[keys[0]])) {
    const variant = keys[0];
    const inner = parsed[variant] as Body;
    if (variant in ORDER_VARIANTS) return { type: ORDER_VARIANTS[variant], body: inner };
    if (POSITION_VARIANTS.has(variant)) return { type: variant, body: inner };
  }
  const named = typeof parsed.type === 'string' ? parsed.type : record.fields.type;
  if (named) return { type: named, body: parsed };
  // The Rust node's AccountState carries no type inside; its record's `type` field names it,
  // and a writer before v1.229 wrote none: the topic does.
  if (record.fields.topic?.startsWith('events.account.')) return { type: 'AccountState', body: parsed };
  throw new Refusal('unknown_type', 'payload.type', 'the payload names no event type');
}

/** A required string field. */
export function text(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v.length === 0 || v.length > 256)
    throw new Refusal('schema', field, `${field} must be a non-empty string`);
  return v;
}

/** An optional string field (null, absent and Python's "None" are absent). */
export function optionalText(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === 'None') return undefined;
  if (typeof v !== 'string' || v.length > 256)
    throw new Refusal('schema', field, `${field} must be a string`);
  return v;
}

const DECIMAL = /^-?\d{1,30}(\.\d{1,30})?$/;

/** A quantity or price: Nautilus writes them as decimal strings; kept as written. */
export function decimal(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || !DECIMAL.test(v))
    throw new Refusal('schema', field, `${field} must be a decimal string such as "0.5"`);
  return v;
}

export function optionalDecimal(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === 'None') return undefined;
  return decimal(body, field);
}

/** Money as "1.25 USD" (or "1.25" beside a currency field, as Python's balances): amount and currency. */
export function money(
  body: Body,
  field: string,
  currency?: string,
): { amount: string; currency: string } | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === 'None') return undefined;
  if (typeof v !== 'string') throw new Refusal('schema', field, `${field} must be money such as "1.25 USD"`);
  const [amount, code, extra] = v.trim().split(/\s+/);
  const cur = code ?? currency;
  if (
    extra !== undefined ||
    !DECIMAL.test(amount.replace(/_/g, '')) ||
    !cur ||
    !/^[A-Za-z0-9._-]{1,32}$/.test(cur)
  )
    throw new Refusal('schema', field, `${field} must be money such as "1.25 USD"`);
  return { amount: amount.replace(/_/g, ''), currency: cur.toUpperCase() };
}

/** Quote currencies recognised at the end of a concatenated symbol (BTCUSDT), longest first. */
const QUOTES = [
  'FDUSD',
  'USDT',
  'USDC',
  'BUSD',
  'TUSD',
  'USDE',
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'AUD',
  'CAD',
  'CHF',
  'TRY',
  'BRL',
  'DAI',
  'BTC',
  'ETH',
  'BNB',
];
/** Suffixes that name a contract kind, not a currency (ETHUSDT-PERP, BTCUSDT-LINEAR). */
const CONTRACT_SUFFIX = /-(PERP|LINEAR|INVERSE|SPOT|SWAP|FUTURE|OPTION)$/i;
const SYMBOL_PART = /[^A-Za-z0-9._-]/g;

/**
 * A Nautilus InstrumentId ("BTCUSDT.BINANCE", "BTC/USD.SIM", "BTC-USD.COINBASE",
 * "ETHUSDT-PERP.BINANCE", "AAPL.XNAS") as tradewatch's BASE/QUOTE symbol and its venue.
 * A pure function of the id, so an order and its fills always meet on one symbol; a symbol
 * whose quote cannot be told (an equity) becomes SYMBOL/VENUE (docs: what is approximate).
 */
export function instrumentOf(instrumentId: string): { symbol: string; venue: string } {
  const dot = instrumentId.lastIndexOf('.');
  if (dot <= 0 || dot === instrumentId.length - 1)
    throw new Refusal('schema', 'instrument_id', 'instrument_id must be SYMBOL.VENUE');
  const raw = instrumentId.slice(0, dot).replace(CONTRACT_SUFFIX, '');
  const venue = instrumentId.slice(dot + 1);
  const clean = (s: string) => s.replace(SYMBOL_PART, '_').slice(0, 32);
  const pair = /^([A-Za-z0-9]+)[/-]([A-Za-z0-9]+)(?:[-_:.].*)?$/.exec(raw);
  if (pair) return { symbol: `${clean(pair[1])}/${clean(pair[2])}`.toUpperCase(), venue };
  const upper = raw.toUpperCase();
  // A base of three letters or more first: XBTUSD is XBT/USD, not XB/TUSD (BTCTUSD stays BTC/TUSD).
  for (const minBase of [3, 1])
    for (const quote of QUOTES)
      if (upper.length >= quote.length + minBase && upper.endsWith(quote))
        return { symbol: `${clean(upper.slice(0, -quote.length))}/${quote}`, venue };
  return { symbol: `${clean(raw)}/${clean(venue)}`.toUpperCase(), venue };
}
