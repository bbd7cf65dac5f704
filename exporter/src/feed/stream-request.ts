/**
 * What a streamed feed request (GET /feed/stream) asks for, read from its query string. Pure:
 * the same subscribe messages the WebSocket takes, validated by the same parser, so a
 * subscription means the same thing whichever way it arrives (docs/feed-protocol.md).
 */
import { parseClientMessage, type SubscribeOp } from './protocol';

/** The same cap as on a WebSocket connection. */
export const MAX_STREAM_SUBSCRIPTIONS = 20;

const SIMPLE = ['channel', 'engine', 'strategy', 'symbol'] as const;
const KNOWN = new Set<string>([...SIMPLE, 'subscribe']);

export type StreamRequest = { ok: true; subscriptions: SubscribeOp[] } | { ok: false; error: string };

/**
 * Two spellings, which may be mixed:
 *  - `channel=orders&channel=fills&engine=e1` (one subscription per channel, one filter for all);
 *  - `subscribe={"channel":"orders","filter":{"engine":"e1"},"sub":"a"}`, repeated: the body
 *    of a WebSocket subscribe message without `op`, for several filters on one channel.
 */
export function parseStreamRequest(query: URLSearchParams): StreamRequest {
  for (const name of new Set(query.keys())) {
    if (!KNOWN.has(name))
      return {
        ok: false,
        error: `unknown query parameter ${JSON.stringify(name)}; use channel (with engine, strategy, symbol) or subscribe`,
      };
  }
  for (const name of ['engine', 'strategy', 'symbol'] as const) {
    if (query.getAll(name).length > 1)
      return { ok: false, error: `query parameter ${name} must be given once` };
  }
  const subscriptions: SubscribeOp[] = [];
  const filter: Record<string, string> = {};
  for (const name of ['engine', 'strategy', 'symbol'] as const) {
    const value = query.get(name);
    if (value !== null) filter[name] = value;
  }
  const channels = query.getAll('channel');
  if (channels.length === 0 && Object.keys(filter).length > 0)
    return { ok: false, error: 'engine, strategy and symbol filter a channel: name one with channel=' };
  const raw: unknown[] = channels.map((channel) =>
    Object.keys(filter).length > 0 ? { channel, filter } : { channel },
  );
  for (const text of query.getAll('subscribe')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { ok: false, error: `subscribe: not valid JSON: ${(err as Error).message}` };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { ok: false, error: 'subscribe: must be a JSON object such as {"channel":"orders"}' };
    raw.push(value);
  }
  if (raw.length === 0)
    return { ok: false, error: 'name at least one channel (channel=orders) or subscription (subscribe=…)' };
  if (raw.length > MAX_STREAM_SUBSCRIPTIONS)
    return { ok: false, error: `at most ${MAX_STREAM_SUBSCRIPTIONS} subscriptions per stream` };
  const ids = new Set<string>();
  for (const body of raw) {
    const parsed = parseClientMessage(JSON.stringify({ ...(body as object), op: 'subscribe' }));
    if (!parsed.ok) return { ok: false, error: parsed.error };
    if (parsed.message.op !== 'subscribe') return { ok: false, error: 'subscribe: op must not be given' };
    const id = `${parsed.message.channel}#${parsed.message.sub ?? ''}`;
    if (ids.has(id))
      return {
        ok: false,
        error: `${parsed.message.channel}${parsed.message.sub ? ` (sub ${parsed.message.sub})` : ''} is asked for twice; give each subscription on one channel its own sub`,
      };
    ids.add(id);
    subscriptions.push(parsed.message);
  }
  return { ok: true, subscriptions };
}
