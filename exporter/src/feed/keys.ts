/**
 * The identity of a row on each channel (docs/architecture.md, "Identity"), as the server keys its
 * topics and lists `removes`. The same functions as feed-client's `rowIdentity`/`rowKey`
 * (keys.test.ts holds them equal): kept here so that the exporter has no runtime
 * dependency on the client package (its image ships without it).
 */
import type { Channel, RowIdentity } from '@tradewatch/feed-client';

type Keyed = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));

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

/** Equal for two rows exactly when their identities are: a JSON array of its values. */
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
