import { useEffect, useState } from 'react';
import type {
  Channel,
  ChannelView,
  ConnectionState,
  FeedClientApi,
  FeedClientOptions,
  FeedFilter,
} from '@tradewatch/feed-client';

export type FeedClientFactory = (options: FeedClientOptions) => FeedClientApi;

export interface FrameScheduler {
  request: (cb: () => void) => number;
  cancel: (handle: number) => void;
}

export const animationFrames: FrameScheduler = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (h) => cancelAnimationFrame(h),
};

/** Where a channel's views land (the blotter's order store, the fills tape). */
export interface ViewStore<Row> {
  readonly version: number;
  apply(view: ChannelView<Row>, now: number): void;
  clear(): void;
}

export interface UseFeedChannelParams<Row> {
  channel: Channel;
  /** ws(s):// URL of /feed; '' disconnects. */
  url: string;
  token: string;
  filter: FeedFilter;
  createClient: FeedClientFactory;
  /** Where feed updates are applied: once per animation frame by default. */
  scheduler?: FrameScheduler;
  /** One mutable store for the life of the component. */
  store: ViewStore<Row>;
}

export interface FeedChannel {
  /** Changes whenever the store changes; use it as a memo dependency. */
  version: number;
  /** Tells renders that the store changed outside a feed update (e.g. a prune). */
  refresh: () => void;
  state: ConnectionState;
  /** True once a snapshot arrived on the current connection. */
  loaded: boolean;
}

const CLOSED: ConnectionState = { status: 'closed' };
const CONNECTING: ConnectionState = { status: 'connecting', attempt: 0 };

/**
 * Subscribes to one channel and keeps `store` current: views are queued as they arrive and
 * applied together once per animation frame. The client (and its socket) is closed on
 * unmount and replaced when the URL, token or filter change; the store then starts over.
 */
export function useFeedChannel<Row>({
  channel,
  url,
  token,
  filter,
  createClient,
  scheduler = animationFrames,
  store,
}: UseFeedChannelParams<Row>): FeedChannel {
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
    let queue: Array<ChannelView<Row>> = [];
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

    const off = client.subscribe<Row>(channel, subscriptionFilter, (view) => {
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
      off();
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
  }, [channel, url, token, filterKey, createClient, store]);

  return { version, refresh: () => setVersion(store.version), state: url ? state : CLOSED, loaded };
}
