import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import type { Channel } from '@tradewatch/feed-client';

/** The channels a query may read (the feed's `status` is the exporter's own; left out). */
export type FeedChannel = Extract<Channel, 'orders' | 'fills' | 'positions' | 'alerts'>;
export const FEED_CHANNELS: readonly FeedChannel[] = ['orders', 'fills', 'positions', 'alerts'];

/** One query: a channel of the feed and its filters (dashboard variables allowed). */
export interface FeedQuery extends DataQuery {
  channel: FeedChannel;
  engine?: string;
  strategy?: string;
  symbol?: string;
}

export const DEFAULT_QUERY: Pick<FeedQuery, 'channel' | 'engine' | 'strategy' | 'symbol'> = {
  channel: 'orders',
  engine: '$engine',
  strategy: '$strategy',
  symbol: '$symbol',
};

/** The data source's settings; its URL (the exporter's) is the data source's own `url`. */
export type FeedSettings = DataSourceJsonData;

/** Kept by Grafana server-side (secureJsonData); the browser only learns that it is set. */
export interface FeedSecureSettings {
  viewerToken?: string;
}

/** Which way a query's rows came (frame meta `custom.transport`). */
export type Transport = 'websocket' | 'http-stream';
