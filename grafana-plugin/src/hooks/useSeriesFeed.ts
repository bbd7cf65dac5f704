import { useState } from 'react';
import { LoadingState, type PanelData } from '@grafana/data';
import type { ConnectionState } from '@tradewatch/feed-client';

import { SeriesFollower, feedFrame } from '../utils/seriesRows';
import type { ViewStore } from './useFeedChannel';

export interface SeriesFeed {
  /** Changes whenever the store changes; use it as a memo dependency. */
  version: number;
  refresh: () => void;
  state: ConnectionState;
  /** True once a frame of the store's channel arrived. */
  loaded: boolean;
  /** False when the panel has no query on the feed data source (nothing to show). */
  queried: boolean;
}

/**
 * Keeps a blotter store current from the panel's `data.series` (the feed data source's frames):
 * each new frame is diffed against the previous one and applied as the feed client's view
 * would be. The connection state comes from the query's state and errors.
 */
export function useSeriesFeed<Row>(data: PanelData, channel: 'orders' | 'fills', store: ViewStore<Row>): SeriesFeed {
  const [, setTick] = useState(0);
  // one follower for the life of the panel: it applies each new frame once, while rendering
  // the frame that brought it (the rows and the frame are never a render apart)
  const [follower] = useState(() => new SeriesFollower<Row>(channel, store));
  const found = feedFrame(data.series);
  follower.take(found && found.channel === channel ? found.frame : null);
  const loaded = follower.loaded;
  const error = data.errors?.[0]?.message;
  const state: ConnectionState =
    error !== undefined
      ? {
          status: 'reconnecting',
          attempt: 1,
          staleSince: null,
          problem: { kind: 'unreachable', message: error },
        }
      : data.state === LoadingState.Streaming || (loaded && data.state === LoadingState.Done)
        ? { status: 'live', since: 0 }
        : { status: 'connecting', attempt: 0 };
  const queried =
    data.series.length > 0 ||
    error !== undefined ||
    data.state === LoadingState.Loading ||
    data.state === LoadingState.Streaming;
  return { version: store.version, refresh: () => setTick((t) => t + 1), state, loaded, queried };
}
