import { useEffect, useState } from 'react';
import type { ConnectionState, FeedFilter, OrderRow } from '@tradewatch/feed-client';

import type { BlotterRow } from '../types';
import { OrderStore } from '../utils/orderStore';
import { useFeedChannel, type FeedClientFactory, type FrameScheduler } from './useFeedChannel';

export interface UseFeedOrdersParams {
  /** ws(s):// URL of /feed; '' disconnects. */
  url: string;
  token: string;
  filter: FeedFilter;
  retentionMs: number;
  createClient: FeedClientFactory;
  /** Where feed updates are applied: once per animation frame by default. */
  scheduler?: FrameScheduler;
  /** How often closed rows past their retention are dropped. */
  pruneIntervalMs?: number;
}

export interface FeedOrders {
  rows: BlotterRow[];
  /** Changes whenever rows change; use it as a memo dependency. */
  version: number;
  state: ConnectionState;
  /** True once a snapshot arrived on the current connection. */
  loaded: boolean;
}

/**
 * Subscribes to the `orders` channel and keeps the blotter's rows (useFeedChannel: applied
 * once per animation frame, closed on unmount, replaced when the URL, token or filter
 * change); closed rows past their retention are pruned on a timer.
 */
export function useFeedOrders({
  url,
  token,
  filter,
  retentionMs,
  createClient,
  scheduler,
  pruneIntervalMs = 1000,
}: UseFeedOrdersParams): FeedOrders {
  // one mutable store for the life of the component; renders read it through `version`
  const [store] = useState(() => new OrderStore(retentionMs));
  const { version, refresh, state, loaded } = useFeedChannel<OrderRow>({
    channel: 'orders',
    url,
    token,
    filter,
    createClient,
    scheduler,
    store,
  });

  useEffect(() => {
    store.setRetention(retentionMs);
    const timer = setInterval(() => {
      if (store.closedCount > 0 && store.prune(Date.now())) {
        refresh();
      }
    }, pruneIntervalMs);
    return () => clearInterval(timer);
    // `refresh` reads the store, which is fixed for the life of the component
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, retentionMs, pruneIntervalMs]);

  return { rows: store.rows(), version, state, loaded };
}
