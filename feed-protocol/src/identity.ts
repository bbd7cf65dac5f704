/**
 * The identity of a row on each channel (docs/architecture.md, "Identity"): what an update's
 * `removes` lists, what the server keys its changes by and what a client indexes rows by.
 * Two engines may use the same order and fill ids, so every identity holds the engine.
 * Both ends call these same functions (docs/feed-protocol.md, "Keys").
 */
import type { Channel } from './channels';

/** The fields that identify a row of each channel, engine first: the one list both functions read. */
export const IDENTITY_FIELDS = {
  orders: ['engine', 'order_id'],
  fills: ['engine', 'fill_id'],
  positions: ['engine', 'symbol'],
  alerts: ['engine', 'key'],
  status: ['engine'],
} as const satisfies Record<Channel, readonly string[]>;

/** The identity of a row of channel C (a union over the channels when C is). */
export type IdentityOf<C extends Channel> = C extends Channel
  ? { [F in (typeof IDENTITY_FIELDS)[C][number]]: string }
  : never;

export type OrderIdentity = IdentityOf<'orders'>;
export type FillIdentity = IdentityOf<'fills'>;
export type PositionIdentity = IdentityOf<'positions'>;
export type AlertIdentity = IdentityOf<'alerts'>;
export type StatusIdentity = IdentityOf<'status'>;
export type RowIdentity = IdentityOf<Channel>;

type Keyed = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** The identity fields of a row (or of a `removes` entry, which holds exactly them). */
export function rowIdentity<C extends Channel>(channel: C, row: unknown): IdentityOf<C> {
  const r = row as Keyed;
  const identity: Record<string, string> = {};
  for (const field of IDENTITY_FIELDS[channel]) identity[field] = str(r[field]);
  // Built from IDENTITY_FIELDS[channel], which is what IdentityOf<C> maps over.
  return identity as IdentityOf<C>;
}

/**
 * A string that is equal for two rows exactly when their identities are equal: a JSON
 * array of the identity's values (`["e1","o-17"]`), so no engine name or id can collide.
 * The same for a row and for the `removes` entry that names it.
 */
export function rowKey(channel: Channel, row: unknown): string {
  const r = row as Keyed;
  return JSON.stringify(IDENTITY_FIELDS[channel].map((field) => str(r[field])));
}
