import { useEffect, useState } from 'react';
import type {
  ChannelView,
  ConnectionState,
  FeedClientApi,
  FeedClientOptions,
  FeedFilter,
  OrderRow,
} from '@tradewatch/feed-client';

import type { BlotterRow } from '../types';
import { OrderStore } from '../utils/orderStore';

export type FeedClientFactory = (options: FeedClientOptions) => FeedClientApi;

export interface FrameScheduler {
  request: (cb: () => void) => number;
  cancel: (handle: number) => void;
}

export const animationFrames: FrameScheduler = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (h) => cancelAnimationFrame(h),
};

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

const CLOSED: ConnectionState = { status: 'closed' };
const CONNECTING: ConnectionState = { status: 'connecting', attempt: 0 };

/**
 * Subscribes to the `orders` channel and keeps the blotter's rows: views are queued as
 * they arrive and applied together once per animation frame. The client (and its socket)
 * is closed on unmount and replaced when the URL, token or filter change.
 */
export function useFeedOrders({
  url,
  token,
  filter,
  retentionMs,
  createClient,
  scheduler = animationFrames,
  pruneIntervalMs = 1000,
}: UseFeedOrdersParams): FeedOrders {
  // one mutable store for the life of the component; renders read it through `version`
  const [store] = useState(() => new OrderStore(retentionMs));
  const [version, setVersion] = useState(store.version);
  const [state, setState] = useState<ConnectionState>(CONNECTING);
  const [loaded, setLoaded] = useState(false);
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    if (!url) {
      return undefined;
    }
    const subscriptionFilter: FeedFilter = JSON.parse(filterKey);
    const client = createClient({ url, token: token || undefined });
    let queue: Array<ChannelView<OrderRow>> = [];
    let frame: number | null = null;

    const flush = () => {
      frame = null;
      const views = queue;
      queue = [];
      const now = Date.now();
      let snapshot = false;
      for (const view of views) {
        store.apply(view, now);
        snapshot = snapshot || view.fromSnapshot;
      }
      if (snapshot) {
        setLoaded(true);
      }
      setVersion(store.version);
    };

    const offOrders = client.subscribe<OrderRow>('orders', subscriptionFilter, (view) => {
      if (view.fromSnapshot) {
        // a snapshot replaces everything queued before it
        queue = [];
      }
      queue.push(view);
      if (frame === null) {
        frame = scheduler.request(flush);
      }
    });
    const offState = client.onState(setState);

    return () => {
      offOrders();
      offState();
      if (frame !== null) {
        scheduler.cancel(frame);
      }
      client.close();
      // the next connection (if any) starts from nothing
      store.clear();
      setVersion(store.version);
      setLoaded(false);
      setState(CONNECTING);
    };
    // the scheduler is fixed for the life of the component
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, token, filterKey, createClient, store]);

  useEffect(() => {
    store.setRetention(retentionMs);
    const timer = setInterval(() => {
      if (store.closedCount > 0 && store.prune(Date.now())) {
        setVersion(store.version);
      }
    }, pruneIntervalMs);
    return () => clearInterval(timer);
  }, [store, retentionMs, pruneIntervalMs]);

  return { rows: store.rows(), version, state: url ? state : CLOSED, loaded };
}
