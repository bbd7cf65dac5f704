import { useEffect, useState } from 'react';
import type { ChannelView, ConnectionState, FeedFilter, FillRow } from '@tradewatch/feed-client';

import type { TapeRow } from '../types';
import { FillTape } from '../utils/fillTape';
import { animationFrames, type FeedClientFactory, type FrameScheduler } from './useFeedOrders';

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

const CLOSED: ConnectionState = { status: 'closed' };
const CONNECTING: ConnectionState = { status: 'connecting', attempt: 0 };

/**
 * Subscribes to the `fills` channel and keeps the tape: views are queued as they arrive and
 * applied together once per animation frame. The client (and its socket) is closed on
 * unmount and replaced when the URL, token or filter change.
 */
export function useFeedFills({
  url,
  token,
  filter,
  limit,
  createClient,
  scheduler = animationFrames,
}: UseFeedFillsParams): FeedFills {
  // one mutable tape for the life of the component; renders read it through `version`
  const [tape] = useState(() => new FillTape(limit));
  const [version, setVersion] = useState(tape.version);
  const [state, setState] = useState<ConnectionState>(CONNECTING);
  const [loaded, setLoaded] = useState(false);
  const filterKey = JSON.stringify(filter);

  // idempotent: trims the tape when the limit shrinks, before this render reads it
  tape.setLimit(limit);

  useEffect(() => {
    if (!url) {
      return undefined;
    }
    const subscriptionFilter: FeedFilter = JSON.parse(filterKey);
    const client = createClient({ url, token: token || undefined });
    let queue: Array<ChannelView<FillRow>> = [];
    let frame: number | null = null;

    const flush = () => {
      frame = null;
      const views = queue;
      queue = [];
      const now = Date.now();
      let snapshot = false;
      for (const view of views) {
        tape.apply(view, now);
        snapshot = snapshot || view.fromSnapshot;
      }
      if (snapshot) {
        setLoaded(true);
      }
      setVersion(tape.version);
    };

    const offFills = client.subscribe<FillRow>('fills', subscriptionFilter, (view) => {
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
      offFills();
      offState();
      if (frame !== null) {
        scheduler.cancel(frame);
      }
      client.close();
      // the next connection (if any) starts from nothing
      tape.clear();
      setVersion(tape.version);
      setLoaded(false);
      setState(CONNECTING);
    };
    // the scheduler is fixed for the life of the component
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, token, filterKey, createClient, tape]);

  return { rows: tape.rows, version, state: url ? state : CLOSED, loaded };
}
