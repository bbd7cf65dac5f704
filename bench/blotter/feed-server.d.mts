/** Types of the feed stand-in (feed-server.mjs), for the TypeScript benchmark that uses it. */
export interface FeedServer {
  baseUrl: string;
  setStreaming(on: boolean): void;
  changesSent(): number;
  activeOrders(): number;
  stop(): Promise<void>;
}
export function startFeedServer(options: {
  staticDir: string;
  token: string;
  active: number;
  updatesPerSecond: number;
  tickMs?: number;
}): Promise<FeedServer>;
