/**
 * How the data source reaches the feed through Grafana's data proxy: a WebSocket to
 * `<proxy>/feed` first (ws/wss from the page's scheme: Grafana hands out an http path,
 * grafana/grafana#46798), and, when that upgrade fails before it opens, the streamed HTTP
 * response `<proxy>/feed/stream` on the same proxy. The token is never here: the proxy's
 * route adds it server-side. Which way worked is remembered for the connection's life and
 * reported (FrameMeta.transport).
 */
import type { WebSocketFactory, WebSocketLike } from '@tradewatch/feed-client';

import type { Transport } from '../types';
import { StreamSocket, type StreamFetch } from './streamSocket';

export interface ProxyUrls {
  /** ws(s)://…/feed */
  feed: string;
  /** http(s)://…/feed/stream */
  stream: string;
}

/** The data source's URL (Grafana's proxy path, often relative) as the feed's two URLs. */
export function proxyUrls(instanceUrl: string, pageUrl: string): ProxyUrls {
  const base = new URL(instanceUrl.replace(/\/+$/, '') + '/', pageUrl);
  const feed = new URL('feed', base);
  feed.protocol = feed.protocol === 'https:' ? 'wss:' : 'ws:';
  return { feed: feed.toString(), stream: new URL('feed/stream', base).toString() };
}

export interface TransportChoice {
  /** The transport the current connection uses (null until one opened). */
  current: Transport | null;
  /** Upgrades that failed before opening (each led to the stream). */
  upgradeFailures: number;
}

export interface ProxySocketOptions {
  urls: ProxyUrls;
  fetcher: StreamFetch;
  createWebSocket?: (url: string, protocols: string[]) => WebSocketLike;
  /** Skip the WebSocket (a test, or a proxy known to refuse upgrades). */
  streamOnly?: boolean;
  choice: TransportChoice;
}

/** A WebSocketFactory for FeedClient: WebSocket first, the stream when the upgrade fails. */
export function proxySocketFactory(options: ProxySocketOptions): WebSocketFactory {
  return (_url, protocols) => new FallbackSocket(options, protocols);
}

const CONNECTING = 0;

class FallbackSocket implements WebSocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  private inner: WebSocketLike;

  constructor(
    private readonly options: ProxySocketOptions,
    protocols: string[]
  ) {
    const create =
      options.createWebSocket ??
      ((url: string, p: string[]) =>
        new (globalThis as unknown as { WebSocket: new (u: string, p: string[]) => WebSocketLike }).WebSocket(url, p));
    if (options.streamOnly) {
      this.inner = this.attach(new StreamSocket(options.urls.stream, options.fetcher), 'http-stream');
      return;
    }
    let ws: WebSocketLike;
    try {
      ws = create(options.urls.feed, protocols);
    } catch {
      this.inner = this.attach(new StreamSocket(options.urls.stream, options.fetcher), 'http-stream');
      return;
    }
    this.inner = ws;
    let opened = false;
    ws.onopen = (ev) => {
      opened = true;
      this.attach(ws, 'websocket');
      this.onopen?.(ev);
    };
    ws.onmessage = (ev) => this.onmessage?.(ev);
    ws.onerror = () => undefined; // a failed upgrade is answered by the stream below
    ws.onclose = (ev) => {
      if (opened) {
        this.onclose?.(ev);
        return;
      }
      // The upgrade failed (a proxy that does not pass it, or a refusal): the same feed as a stream.
      options.choice.upgradeFailures += 1;
      this.inner = this.attach(new StreamSocket(options.urls.stream, options.fetcher), 'http-stream');
    };
  }

  get readyState(): number {
    return this.inner.readyState;
  }

  get protocol(): string {
    return this.inner.protocol;
  }

  send(data: string): void {
    this.inner.send(data);
  }

  close(code?: number, reason?: string): void {
    const inner = this.inner;
    if (inner.readyState === CONNECTING && !(inner instanceof StreamSocket)) {
      inner.onclose = null; // closed by FeedClient while connecting: no fallback
    }
    inner.close(code, reason);
  }

  private attach(socket: WebSocketLike, transport: Transport): WebSocketLike {
    socket.onopen = (ev) => {
      this.options.choice.current = transport;
      this.onopen?.(ev);
    };
    socket.onmessage = (ev) => this.onmessage?.(ev);
    socket.onerror = (ev) => this.onerror?.(ev);
    socket.onclose = (ev) => this.onclose?.(ev);
    if (transport === 'websocket') {
      this.options.choice.current = transport;
    }
    return socket;
  }
}
