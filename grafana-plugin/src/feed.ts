import * as feedClient from '@tradewatch/feed-client';
import type { FeedClientApi, FeedClientOptions } from '@tradewatch/feed-client';

import type { FeedClientFactory } from './hooks/useFeedOrders';

type FeedClientCtor = new (options: FeedClientOptions) => FeedClientApi;

/** Opens the real feed client (@tradewatch/feed-client), compiled into the bundle. */
export const createFeedClient: FeedClientFactory = (options) => {
  const Ctor = (feedClient as unknown as { FeedClient?: FeedClientCtor }).FeedClient;
  if (!Ctor) {
    throw new Error('@tradewatch/feed-client has no FeedClient export');
  }
  return new Ctor(options);
};
