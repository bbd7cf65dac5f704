// The wire types and row identity are the protocol package's; its users get them from here too.
export * from '@tradewatch/feed-protocol';
export * from './types';
export { FeedClient } from './client';
