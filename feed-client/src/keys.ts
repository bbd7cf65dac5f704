/**
 * The identity of a row on each channel (docs/architecture.md, "Identity"): what `removes` lists and
 * what a client indexes rows by. Two engines may use the same order and fill ids, so every
 * identity holds the engine. The server keys its changes with these same functions
 * (docs/feed-protocol.md, "Keys").
 */
import type { Channel, RowIdentity } from './types';

type Keyed = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** The identity fields of a row (or of a `removes` entry, which holds exactly them). */
export function rowIdentity(channel: Channel, row: unknown): RowIdentity {
  const r = row as Keyed;
  const engine = str(r.engine);
  switch (channel) {
    case 'orders':
      return { engine, order_id: str(r.order_id) };
    case 'fills':
      return { engine, fill_id: str(r.fill_id) };
    case 'positions':
      return { engine, symbol: str(r.symbol) };
    case 'alerts':
      return { engine, key: str(r.key) };
    case 'status':
      return { engine };
  }
}

/**
 * A string that is equal for two rows exactly when their identities are equal: a JSON
 * array of the identity's values (`["e1","o-17"]`), so no engine name or id can collide.
 * The same for a row and for the `removes` entry that names it.
 */
export function rowKey(channel: Channel, row: unknown): string {
  const r = row as Keyed;
  switch (channel) {
    case 'orders':
      return JSON.stringify([str(r.engine), str(r.order_id)]);
    case 'fills':
      return JSON.stringify([str(r.engine), str(r.fill_id)]);
    case 'positions':
      return JSON.stringify([str(r.engine), str(r.symbol)]);
    case 'alerts':
      return JSON.stringify([str(r.engine), str(r.key)]);
    case 'status':
      return JSON.stringify([str(r.engine)]);
  }
}
