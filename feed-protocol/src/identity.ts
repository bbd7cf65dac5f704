/**
 * The identity of a row on each channel (docs/architecture.md, "Identity"): what an update's
 * `removes` lists, what the server keys its changes by and what a client indexes rows by.
 * Two engines may use the same order and fill ids, so every identity holds the engine.
 * Both ends call these same functions (docs/feed-protocol.md, "Keys").
 */
import type { Channel } from './channels';

export interface OrderIdentity {
  engine: string;
  order_id: string;
}
export interface FillIdentity {
  engine: string;
  fill_id: string;
}
export interface PositionIdentity {
  engine: string;
  symbol: string;
}
export interface AlertIdentity {
  engine: string;
  key: string;
}
export interface StatusIdentity {
  engine: string;
}
export type RowIdentity = OrderIdentity | FillIdentity | PositionIdentity | AlertIdentity | StatusIdentity;

type Keyed = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));

// rowIdentity and rowKey spell the fields out per channel rather than reading one table:
// named property reads keep rowKey, called for every change the hub routes, at its old cost
// (a table read with r[field] measured 1.6x slower). identity.test.ts holds the two equal.

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
