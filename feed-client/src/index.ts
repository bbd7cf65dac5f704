export * from './types';
export { FeedClient } from './client';
export { rowKey } from './keys';
