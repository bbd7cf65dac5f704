export { FeedState, problemHint, type FeedStateKind } from './FeedState';
export { feedPlaceholder, type FeedPlaceholderInput } from './feedPlaceholder';
