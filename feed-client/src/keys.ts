/**
 * The key of a row on each channel: what `removes` lists and what a client indexes rows by.
 * The server keys its changes the same way (docs/feed-protocol.md, "Keys").
 */
import type { Channel } from './types';

type Keyed = Record<string, unknown>;

export function rowKey(channel: Channel, row: unknown): string {
  const r = row as Keyed;
  switch (channel) {
    case 'orders':
      return String(r.order_id);
    case 'fills':
      return String(r.fill_id);
    case 'positions':
      return `${String(r.engine)}:${String(r.symbol)}`;
    case 'alerts':
      return String(r.key);
    case 'status':
      return String(r.engine);
  }
}
