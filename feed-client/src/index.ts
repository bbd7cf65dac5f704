export * from './types';
export { FeedClient } from './client';
export { rowIdentity, rowKey } from './keys';
