import { FeedClient } from '@tradewatch/feed-client';

import type { FeedClientFactory } from './hooks/useFeedChannel';

/** Opens the real feed client (@tradewatch/feed-client, compiled into the bundle). */
export const createFeedClient: FeedClientFactory = (options) => new FeedClient(options);
