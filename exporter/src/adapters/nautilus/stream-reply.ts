/**
 * Redis replies the Nautilus source reads, checked into typed values (pure functions: the
 * source does the I/O, these parse what came back, and tests feed them literals).
 */

export interface StreamEntry {
  id: string;
  /** The entry's fields, or null when the entry was deleted (trimmed) while pending. */
  fields: Record<string, string> | null;
}

export interface StreamBatch {
  key: string;
  entries: StreamEntry[];
}

const isString = (v: unknown): v is string => typeof v === 'string';

function fieldsOf(raw: unknown): Record<string, string> | null {
  if (raw === null) return null;
  if (!Array.isArray(raw) || raw.length % 2 !== 0 || !raw.every(isString))
    throw new Error('a stream entry is not a list of field/value pairs');
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < raw.length; i += 2) fields[raw[i]] = raw[i + 1];
  return fields;
}

/** XREADGROUP's reply (RESP2): null, or [[key, [[id, [field, value, …] | null], …]], …]. */
export function parseReadReply(reply: unknown): StreamBatch[] {
  if (reply === null) return [];
  if (!Array.isArray(reply)) throw new Error('XREADGROUP did not answer with a list');
  return reply.map((stream: unknown): StreamBatch => {
    if (!Array.isArray(stream) || !isString(stream[0]) || !Array.isArray(stream[1]))
      throw new Error('XREADGROUP answered a stream without key and entries');
    const entries = (stream[1] as unknown[]).map((entry): StreamEntry => {
      if (!Array.isArray(entry) || !isString(entry[0])) throw new Error('a stream entry has no id');
      return { id: entry[0], fields: fieldsOf(entry[1]) };
    });
    return { key: stream[0], entries };
  });
}

/** SCAN's reply: [cursor, [key, …]]. */
export function parseScanReply(reply: unknown): { cursor: string; keys: string[] } {
  if (!Array.isArray(reply) || !isString(reply[0]) || !Array.isArray(reply[1]) || !reply[1].every(isString))
    throw new Error('SCAN did not answer [cursor, keys]');
  return { cursor: reply[0], keys: reply[1] as string[] };
}

/**
 * The trader id a stream key names: `trader-{id}:…` (use_trader_prefix, the default) or
 * `{id}:…`. Null when the key names none.
 */
export function traderOfKey(key: string): string | null {
  const rest = key.startsWith('trader-') ? key.slice('trader-'.length) : key;
  const colon = rest.indexOf(':');
  const id = colon < 0 ? rest : rest.slice(0, colon);
  return id.length > 0 && id.length <= 128 ? id : null;
}
