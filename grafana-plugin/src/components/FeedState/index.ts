export { FeedState, problemHint, type FeedStateKind } from './FeedState';
