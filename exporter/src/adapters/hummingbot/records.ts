/**
 * What Hummingbot's MQTT bridge publishes (read from hummingbot/remote_iface/mqtt.py,
 * core/event/events.py, core/data_type/trade_fee.py and strategy/strategy_v2_base.py):
 * - `{namespace}/{instance_id}/events`: `{"timestamp": <int seconds>, "type": "OrderFilled",
 *   "data": {…}}`, the event's fields with Decimals written as floats (ujson), enums as
 *   "TradeType.BUY" / "OrderType.LIMIT", and `trade_fee` as its to_json() (percent and flat
 *   amounts as decimal strings);
 * - `{namespace}/{instance_id}/hb`: `{"ts": <microseconds>}`;
 * - `{namespace}/{instance_id}/performance`: `{controller_id: {realized_pnl_quote, …}}`.
 * Numbers are read as the text ujson wrote, never through a double.
 */
import { Refusal as PerRecordRefusal } from '../per-record';

/** One MQTT message as the source hands it to the ingest service. */
export interface HummingbotRecord {
  /** The instance id from the topic: the engine. */
  instance: string;
  channel: 'events' | 'hb' | 'performance';
  payload: string;
  /** Wall-clock ms the message arrived (the performance report carries no time). */
  receivedAt: number;
}

export type Cause = 'malformed_record' | 'malformed_json' | 'unknown_type' | 'schema' | 'invalid_event';

/** A record refused alone, with one of this producer's causes. */
export class Refusal extends PerRecordRefusal<Cause> {}

export type Body = Record<string, unknown>;

/** Every JSON number outside a string becomes its own text (a decimal string). */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

export function parseNumbersAsText(text: string): unknown {
  return JSON.parse(
    text.replace(TOKENS, (token) => (token.startsWith('"') ? token : `"${token}"`)),
  ) as unknown;
}

export function decodeJson(payload: string): Body {
  if (payload.length > 1_000_000) throw new Refusal('malformed_record', 'payload', 'a message over 1 MB');
  let parsed: unknown;
  try {
    parsed = parseNumbersAsText(payload);
  } catch (err) {
    throw new Refusal(
      'malformed_json',
      'payload',
      `the payload is not valid JSON: ${(err as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Refusal('malformed_json', 'payload', 'the payload is not a JSON object');
  return parsed as Body;
}

const DECIMAL = /^-?\d{1,30}(\.\d{1,30})?([eE][+-]?\d{1,3})?$/;

export function decimal(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || !DECIMAL.test(v))
    throw new Refusal('schema', field, `${field} must be a number`);
  return v;
}

export function text(body: Body, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v.length === 0 || v.length > 256)
    throw new Refusal('schema', field, `${field} must be a non-empty string`);
  return v;
}

export function optionalText(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > 1024)
    throw new Refusal('schema', field, `${field} must be a string`);
  return v;
}

/** "ETH-USDT" → base, quote and tradewatch's "ETH/USDT". */
export function pairOf(body: Body): { symbol: string; base: string; quote: string } {
  const pair = text(body, 'trading_pair');
  const m = /^([A-Za-z0-9._]{1,32})-([A-Za-z0-9._]{1,32})$/.exec(pair);
  if (!m) throw new Refusal('schema', 'trading_pair', 'trading_pair must be BASE-QUOTE');
  return { symbol: `${m[1]}/${m[2]}`.toUpperCase(), base: m[1].toUpperCase(), quote: m[2].toUpperCase() };
}

/** Tokens Hummingbot takes as one (TradeFeeBase._are_tokens_interchangeable). */
const INTERCHANGEABLE = [
  ['WETH', 'ETH'],
  ['WBNB', 'BNB'],
  ['WPOL', 'POL'],
  ['WAVAX', 'AVAX'],
  ['WONE', 'ONE'],
  ['USDC', 'USDC.E'],
  ['WBTC', 'BTC'],
  ['USOL', 'SOL'],
  ['UETH', 'ETH'],
  ['UBTC', 'BTC'],
];
export function sameToken(a: string, b: string): boolean {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x === y || INTERCHANGEABLE.some(([p, q]) => (x === p && y === q) || (x === q && y === p));
}
