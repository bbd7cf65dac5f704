/** The feed's channels (docs/feed-protocol.md, "Channels"). */

/** Every channel, in the order the docs list them; the server refuses any other name. */
export const CHANNELS = ['orders', 'fills', 'positions', 'alerts', 'status'] as const;

export type Channel = (typeof CHANNELS)[number];

/**
 * Channels whose set only grows: a snapshot is the recent past and an update never removes a
 * row. The client bounds what it keeps of them; the server keeps no per-subscriber key set for
 * them. The other channels hold a current state (open orders, positions, engine status).
 */
export const APPEND_ONLY_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['fills', 'alerts']);
