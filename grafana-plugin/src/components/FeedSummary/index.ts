export { FeedSummary, Stat, type FeedSummaryProps, type StatProps } from './FeedSummary';
