// The stream fallback under the real FeedClient: subscriptions gathered into one request, lines
// applied as WebSocket messages, a sequence gap answered by a new stream (fresh snapshots), a
// refused stream worded with its status, and the WebSocket-first choice.
import { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util';
import { FeedClient, type ChannelView, type ConnectionState, type WebSocketLike } from '@tradewatch/feed-client';

import { proxySocketFactory, proxyUrls, type TransportChoice } from './proxySocket';
import type { StreamFetch } from './streamSocket';

// jsdom (the plugin's test environment) lacks what a browser's fetch body needs: Node's own.
Object.assign(globalThis, {
  ReadableStream: globalThis.ReadableStream ?? NodeReadableStream,
  TextDecoder: globalThis.TextDecoder ?? NodeTextDecoder,
  TextEncoder: globalThis.TextEncoder ?? NodeTextEncoder,
});

interface Call {
  url: URL;
  push(line: object): void;
  end(): void;
  aborted: boolean;
}

function fakeFetch(answer: (url: URL) => { status: number; body?: string } | null = () => null) {
  const calls: Call[] = [];
  const fetcher: StreamFetch = async (url, init) => {
    const u = new URL(url);
    const fixed = answer(u);
    if (fixed) {
      return { ok: false, status: fixed.status, body: null, text: async () => fixed.body ?? '' };
    }
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const call: Call = {
      url: u,
      aborted: false,
      push: (line) => controller.enqueue(new TextEncoder().encode(JSON.stringify(line) + '\n')),
      end: () => controller.close(),
    };
    init.signal.addEventListener('abort', () => {
      call.aborted = true;
      try {
        controller.error(new Error('aborted'));
      } catch {
        // already closed
      }
    });
    calls.push(call);
    return { ok: true, status: 200, body, text: async () => '' };
  };
  return { fetcher, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 10));
async function until(check: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error('condition not met');
    }
    await tick();
  }
}

const urls = proxyUrls('/api/datasources/proxy/uid/tradewatch-feed', 'https://grafana.example/d/overview');
const order = (id: string, extra: object = {}) => ({ engine: 'e1', order_id: id, status: 'new', ...extra });

test('the proxy path becomes wss://…/feed and https://…/feed/stream (grafana/grafana#46798)', () => {
  expect(urls).toEqual({
    feed: 'wss://grafana.example/api/datasources/proxy/uid/tradewatch-feed/feed',
    stream: 'https://grafana.example/api/datasources/proxy/uid/tradewatch-feed/feed/stream',
  });
  expect(proxyUrls('/api/datasources/proxy/uid/x/', 'http://localhost:3000/').feed).toBe(
    'ws://localhost:3000/api/datasources/proxy/uid/x/feed'
  );
});

test('FeedClient over the stream: one request per subscription set, updates applied, a gap opens a new stream', async () => {
  const { fetcher, calls } = fakeFetch();
  const choice: TransportChoice = { current: null, upgradeFailures: 0 };
  const client = new FeedClient({
    url: urls.feed,
    createSocket: proxySocketFactory({ urls, fetcher, choice, streamOnly: true }),
  });
  const views: Array<ChannelView<unknown>> = [];
  client.subscribe('orders', { engine: 'e1' }, (v) => views.push(v));
  await until(() => calls.length === 1);
  expect(calls[0].url.pathname).toBe('/api/datasources/proxy/uid/tradewatch-feed/feed/stream');
  expect(calls[0].url.searchParams.getAll('subscribe').map((s) => JSON.parse(s))).toEqual([
    { channel: 'orders', filter: { engine: 'e1' } },
  ]);
  expect(choice.current).toBe('http-stream');

  calls[0].push({ type: 'snapshot', channel: 'orders', seq: 4, rows: [order('a')] });
  calls[0].push({ type: 'update', channel: 'orders', seq: 5, upserts: [order('b')], removes: [] });
  calls[0].push({ type: 'heartbeat', ts: 1 });
  await until(() => views.length === 2);
  expect([...views[1].rows.keys()].length).toBe(2);

  // seq 7 after 5: something was lost. FeedClient resubscribes; the stream starts over.
  calls[0].push({ type: 'update', channel: 'orders', seq: 7, upserts: [order('c')], removes: [] });
  await until(() => calls.length === 2);
  expect(calls[0].aborted).toBe(true);
  calls[1].push({ type: 'snapshot', channel: 'orders', seq: 7, rows: [order('a'), order('c')] });
  await until(() => views.length === 3);
  expect(views[2].fromSnapshot).toBe(true);
  expect([...views[2].rows.values()].map((r) => (r as { order_id: string }).order_id)).toEqual(['a', 'c']);
  client.close();
  expect(calls[1].aborted).toBe(true);
});

test('a refused stream (the exporter or Grafana said no) is worded with its status, and retried', async () => {
  const { fetcher } = fakeFetch(() => ({ status: 403, body: '{"message":"Access denied to data source"}' }));
  const states: ConnectionState[] = [];
  const client = new FeedClient({
    url: urls.feed,
    createSocket: proxySocketFactory({
      urls,
      fetcher,
      choice: { current: null, upgradeFailures: 0 },
      streamOnly: true,
    }),
    backoff: { initialMs: 10_000 },
  });
  client.onState((s) => states.push(s));
  client.subscribe('orders', {}, () => undefined);
  await until(() => states.some((s) => s.status === 'reconnecting'));
  const problem = states.find((s) => s.status === 'reconnecting') as Extract<
    ConnectionState,
    { status: 'reconnecting' }
  >;
  expect(problem.problem?.message).toMatch(/403 Access denied to data source/);
  client.close();
});

test('WebSocket first; when the upgrade fails before it opens, the same subscriptions go over the stream', async () => {
  const { fetcher, calls } = fakeFetch();
  const choice: TransportChoice = { current: null, upgradeFailures: 0 };
  const sockets: Array<{ url: string; protocols: string[] }> = [];
  const refusedUpgrade = (url: string, protocols: string[]): WebSocketLike => {
    sockets.push({ url, protocols });
    const ws: WebSocketLike = {
      readyState: 0,
      protocol: '',
      send: () => undefined,
      close: () => undefined,
      onopen: null,
      onclose: null,
      onerror: null,
      onmessage: null,
    };
    setTimeout(() => ws.onclose?.({ code: 1006, reason: '' }), 5);
    return ws;
  };
  const client = new FeedClient({
    url: urls.feed,
    createSocket: proxySocketFactory({ urls, fetcher, choice, createWebSocket: refusedUpgrade }),
  });
  const views: Array<ChannelView<unknown>> = [];
  client.subscribe('fills', {}, (v) => views.push(v));
  await until(() => calls.length === 1);
  // no token anywhere: the proxy's route adds it
  expect(sockets).toEqual([{ url: urls.feed, protocols: ['tradewatch.v1'] }]);
  expect(choice).toEqual({ current: 'http-stream', upgradeFailures: 1 });
  calls[0].push({ type: 'snapshot', channel: 'fills', seq: 1, rows: [{ engine: 'e1', fill_id: 'f1' }] });
  await until(() => views.length === 1);
  expect(client.state.status).toBe('live');
  client.close();
});
