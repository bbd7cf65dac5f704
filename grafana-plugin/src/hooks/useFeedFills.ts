import { useState } from 'react';
import type { ConnectionState, FeedFilter, FillRow } from '@tradewatch/feed-client';

import type { TapeRow } from '../types';
import { FillTape } from '../utils/fillTape';
import { useFeedChannel, type FeedClientFactory, type FrameScheduler } from './useFeedChannel';

export interface UseFeedFillsParams {
  /** ws(s):// URL of /feed; '' disconnects. */
  url: string;
  token: string;
  filter: FeedFilter;
  /** Fills kept on the tape (newest first). */
  limit: number;
  createClient: FeedClientFactory;
  /** Where feed updates are applied: once per animation frame by default. */
  scheduler?: FrameScheduler;
}

export interface FeedFills {
  /** Newest first. */
  rows: readonly TapeRow[];
  /** Changes whenever rows change; use it as a memo dependency. */
  version: number;
  state: ConnectionState;
  /** True once a snapshot arrived on the current connection. */
  loaded: boolean;
}

/**
 * Subscribes to the `fills` channel and keeps the tape (useFeedChannel: applied once per
 * animation frame, closed on unmount, replaced when the URL, token or filter change).
 */
export function useFeedFills({ url, token, filter, limit, createClient, scheduler }: UseFeedFillsParams): FeedFills {
  // one mutable tape for the life of the component; renders read it through `version`
  const [tape] = useState(() => new FillTape(limit));
  // idempotent: trims the tape when the limit shrinks, before this render reads it
  tape.setLimit(limit);
  const { version, state, loaded } = useFeedChannel<FillRow>({
    channel: 'fills',
    url,
    token,
    filter,
    createClient,
    scheduler,
    store: tape,
  });
  return { rows: tape.rows, version, state, loaded };
}
