import * as protocol from '@tradewatch/feed-protocol';
import { rowKey, type FillRow, type OrderRow } from '@tradewatch/feed-protocol';
import { FeedClient, probeUrl } from './client';
import * as client from './index';
import type { ChannelView, ConnectionState, WebSocketLike } from './types';

class FakeSocket implements WebSocketLike {
  readyState = 0;
  protocol = '';
  sent: Record<string, unknown>[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }
  // test drivers
  accept(protocol = 'tradewatch.v1'): void {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.({});
  }
  receive(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

const order = (id: string, extra: Partial<OrderRow> = {}): OrderRow => ({
  engine: 'e1',
  order_id: id,
  symbol: 'BTC/USD',
  side: 'buy',
  order_type: 'limit',
  status: 'new',
  quantity: 1,
  filled_quantity: 0,
  fees: 0,
  created_at: '2024-01-01T00:00:00.000Z',
  updated_at: '2024-01-01T00:00:00.000Z',
  ...extra,
});

function setup(options: Partial<ConstructorParameters<typeof FeedClient>[0]> = {}) {
  const sockets: FakeSocket[] = [];
  const client = new FeedClient({
    url: 'ws://exporter.test:9478/feed',
    token: 'viewer-secret-123456',
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    random: () => 0.5,
    ...options,
  });
  const states: ConnectionState[] = [];
  client.onState((s) => states.push(s));
  return { client, sockets, states, last: () => sockets[sockets.length - 1] };
}

afterEach(() => jest.useRealTimers());

test('offers the v1 and token subprotocols and subscribes once open', () => {
  const { client, last } = setup();
  const views: ChannelView<OrderRow>[] = [];
  client.subscribe<OrderRow>('orders', { engine: 'e1', symbol: '' }, (v) => views.push(v));
  expect(last().protocols).toEqual(['tradewatch.v1', 'tradewatch.token.viewer-secret-123456']);
  expect(last().url).toBe('ws://exporter.test:9478/feed');
  last().accept();
  expect(client.state.status).toBe('live');
  expect(last().sent).toEqual([{ op: 'subscribe', channel: 'orders', filter: { engine: 'e1' } }]);
  client.close();
});

test('applies a snapshot then updates in sequence, with final rows of closed orders', () => {
  const { client, last } = setup();
  const views: ChannelView<OrderRow>[] = [];
  client.subscribe<OrderRow>('orders', {}, (v) => views.push(v));
  last().accept();
  last().receive({ type: 'snapshot', channel: 'orders', seq: 7, rows: [order('a'), order('b')] });
  last().receive({
    type: 'update',
    channel: 'orders',
    seq: 8,
    upserts: [order('c')],
    removes: [{ engine: 'e1', order_id: 'a' }],
    closed: [order('a', { status: 'filled' })],
  });
  expect(views).toHaveLength(2);
  expect(views[0].fromSnapshot).toBe(true);
  expect([...views[1].rows.values()].map((r) => r.order_id).sort()).toEqual(['b', 'c']);
  expect(views[1].removed).toEqual([
    {
      key: rowKey('orders', order('a')),
      identity: { engine: 'e1', order_id: 'a' },
      finalRow: order('a', { status: 'filled' }),
    },
  ]);
  expect(views[1].seq).toBe(8);
  expect(client.stats.gaps).toBe(0);
  client.close();
});

test('a sequence gap makes it resubscribe and ignore updates until the fresh snapshot', () => {
  const { client, last } = setup();
  const views: ChannelView<OrderRow>[] = [];
  client.subscribe<OrderRow>('orders', {}, (v) => views.push(v));
  last().accept();
  last().receive({ type: 'snapshot', channel: 'orders', seq: 1, rows: [order('a')] });
  last().receive({ type: 'update', channel: 'orders', seq: 3, upserts: [order('x')], removes: [] });
  expect(client.stats.gaps).toBe(1);
  expect(last().sent.filter((m) => m.op === 'subscribe')).toHaveLength(2);
  last().receive({ type: 'update', channel: 'orders', seq: 4, upserts: [order('y')], removes: [] });
  expect(views).toHaveLength(1); // neither the gapped update nor the one after it was applied
  last().receive({ type: 'snapshot', channel: 'orders', seq: 4, rows: [order('a'), order('x'), order('y')] });
  expect(views[1].rows.size).toBe(3);
  last().receive({
    type: 'update',
    channel: 'orders',
    seq: 5,
    upserts: [],
    removes: [{ engine: 'e1', order_id: 'x' }],
  });
  expect(views[2].rows.has(rowKey('orders', order('x')))).toBe(false);
  expect(views[2].rows.size).toBe(2);
  client.close();
});

test('a coalesced catch-up (from_seq) continues the sequence without a resync', () => {
  const { client, last } = setup();
  const views: ChannelView<OrderRow>[] = [];
  client.subscribe<OrderRow>('orders', {}, (v) => views.push(v));
  last().accept();
  last().receive({ type: 'snapshot', channel: 'orders', seq: 10, rows: [] });
  last().receive({
    type: 'update',
    channel: 'orders',
    seq: 15,
    from_seq: 11,
    upserts: [order('a')],
    removes: [],
  });
  expect(client.stats.gaps).toBe(0);
  expect(views[1].rows.has(rowKey('orders', order('a')))).toBe(true);
  client.close();
});

test('rows are keyed by (engine, id): the same order id from two engines is two rows', () => {
  const { client, last } = setup();
  const views: ChannelView<OrderRow>[] = [];
  client.subscribe<OrderRow>('orders', {}, (v) => views.push(v));
  last().accept();
  const a = order('o-1', { engine: 'a' });
  const b = order('o-1', { engine: 'b' });
  last().receive({ type: 'snapshot', channel: 'orders', seq: 1, rows: [a, b] });
  expect(views[0].rows.size).toBe(2);
  last().receive({
    type: 'update',
    channel: 'orders',
    seq: 2,
    upserts: [],
    removes: [{ engine: 'a', order_id: 'o-1' }],
    closed: [{ ...a, status: 'canceled' }],
  });
  expect([...views[1].rows.values()]).toEqual([b]);
  expect(views[1].removed).toEqual([
    {
      key: rowKey('orders', a),
      identity: { engine: 'a', order_id: 'o-1' },
      finalRow: { ...a, status: 'canceled' },
    },
  ]);
  client.close();
});

test('removes as bare ids (a server older than identities) are not guessed: it resubscribes', () => {
  const { client, last } = setup();
  const views: ChannelView<OrderRow>[] = [];
  client.subscribe<OrderRow>('orders', {}, (v) => views.push(v));
  last().accept();
  last().receive({ type: 'snapshot', channel: 'orders', seq: 1, rows: [order('a')] });
  last().receive({ type: 'update', channel: 'orders', seq: 2, upserts: [], removes: ['a'] });
  expect(views).toHaveLength(1);
  expect(last().sent.filter((m) => m.op === 'subscribe')).toHaveLength(2);
  client.close();
});

test("the client's users key rows with the protocol's own functions, not a copy", () => {
  // The plugin indexes rows with these while the server keys its changes with the protocol's.
  expect(client.rowKey).toBe(protocol.rowKey);
  expect(client.rowIdentity).toBe(protocol.rowIdentity);
  expect(client.CHANNELS).toBe(protocol.CHANNELS);
});

test('two filters on one channel get distinct subscription ids; a second listener shares rows', () => {
  const { client, last } = setup();
  const a: ChannelView<OrderRow>[] = [];
  const b: ChannelView<OrderRow>[] = [];
  const c: ChannelView<OrderRow>[] = [];
  client.subscribe<OrderRow>('orders', { engine: 'e1' }, (v) => a.push(v));
  client.subscribe<OrderRow>('orders', { engine: 'e2' }, (v) => b.push(v));
  last().accept();
  const subs = last().sent;
  expect(subs[0]).toEqual({ op: 'subscribe', channel: 'orders', filter: { engine: 'e1' } });
  expect(subs[1]).toMatchObject({ op: 'subscribe', channel: 'orders', filter: { engine: 'e2' } });
  const wire = subs[1].sub as string;
  expect(typeof wire).toBe('string');
  last().receive({
    type: 'snapshot',
    channel: 'orders',
    sub: wire,
    seq: 1,
    rows: [order('z', { engine: 'e2' })],
  });
  expect(a).toHaveLength(0);
  expect(b).toHaveLength(1);
  const off = client.subscribe<OrderRow>('orders', { engine: 'e2' }, (v) => c.push(v));
  expect(c[0].fromSnapshot).toBe(true);
  expect(c[0].rows.has(rowKey('orders', { engine: 'e2', order_id: 'z' }))).toBe(true);
  off();
  expect(last().sent.some((m) => m.op === 'unsubscribe')).toBe(false); // b still listens
  client.close();
});

test('reconnects with full-jitter backoff after a drop and resubscribes', async () => {
  jest.useFakeTimers();
  const { client, sockets, states, last } = setup({
    backoff: { initialMs: 1000, maxMs: 8000 },
    fetch: async () => ({ status: 503, json: async () => ({}) }),
  });
  client.subscribe<OrderRow>('orders', {}, () => undefined);
  last().accept();
  last().receive({ type: 'snapshot', channel: 'orders', seq: 1, rows: [] });
  last().drop(1006);
  expect(client.state).toMatchObject({ status: 'reconnecting', attempt: 1 });
  expect((client.state as { staleSince: number | null }).staleSince).not.toBeNull();
  // random() = 0.5 → half of min(8000, 1000·2^0)
  await jest.advanceTimersByTimeAsync(499);
  expect(sockets).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(1);
  expect(sockets).toHaveLength(2);
  last().drop(1006); // refused again (the probe says 503): next delay is 0.5 · 2000
  await jest.advanceTimersByTimeAsync(0);
  expect(client.state).toMatchObject({ status: 'reconnecting', attempt: 2, problem: { status: 503 } });
  await jest.advanceTimersByTimeAsync(999);
  expect(sockets).toHaveLength(2);
  await jest.advanceTimersByTimeAsync(1);
  expect(sockets).toHaveLength(3);
  last().accept();
  expect(last().sent[0]).toEqual({ op: 'subscribe', channel: 'orders', filter: {} });
  expect(client.stats.reconnects).toBe(1);
  expect(states.map((s) => s.status)).toEqual(['live', 'reconnecting', 'reconnecting', 'live']);
  client.close();
});

test('a refused upgrade is explained through the auth probe', async () => {
  const probed: { url: string; auth?: string }[] = [];
  const { client, last } = setup({
    fetch: async (url, init) => {
      probed.push({ url, auth: init.headers.Authorization });
      return { status: 401, json: async () => ({ error: 'the token is not valid' }) };
    },
  });
  last().drop(1006);
  await new Promise((r) => setTimeout(r, 0));
  expect(probed).toEqual([
    { url: 'http://exporter.test:9478/api/v1/feed/auth', auth: 'Bearer viewer-secret-123456' },
  ]);
  expect(client.state).toMatchObject({
    status: 'reconnecting',
    problem: {
      kind: 'unauthorized',
      status: 401,
      message: 'cannot reach the feed at ws://exporter.test:9478/feed: 401, check the viewer token',
    },
  });
  client.close();
  expect(client.state.status).toBe('closed');
});

test('ws in Node reports the refused status directly', async () => {
  const { client, last } = setup({ fetch: async () => Promise.reject(new Error('not called')) });
  last().onerror?.({ message: 'Unexpected server response: 403' });
  last().drop(1006);
  await new Promise((r) => setTimeout(r, 0));
  expect(client.state).toMatchObject({ status: 'reconnecting', problem: { kind: 'forbidden', status: 403 } });
  client.close();
});

test('a silent connection is deemed dead after the heartbeat timeout', () => {
  jest.useFakeTimers();
  const { client, last } = setup({ heartbeatTimeoutMs: 3000 });
  last().accept();
  jest.advanceTimersByTime(2000);
  last().receive({ type: 'heartbeat', ts: 1 });
  jest.advanceTimersByTime(2999);
  expect(client.state.status).toBe('live');
  expect(last().sent.some((m) => m.op === 'ping')).toBe(true);
  jest.advanceTimersByTime(1);
  expect(client.state).toMatchObject({ status: 'reconnecting', problem: { kind: 'unreachable' } });
  expect(last().closedWith?.code).toBe(4000);
  client.close();
});

test('a server that does not agree to tradewatch.v1 is a protocol problem', () => {
  const { client, last } = setup();
  last().accept('');
  expect(client.state).toMatchObject({ status: 'reconnecting', problem: { kind: 'protocol' } });
  client.close();
});

test('probe URL keeps a path prefix and the scheme', () => {
  expect(probeUrl('wss://example.com/tw/feed')).toBe('https://example.com/tw/api/v1/feed/auth');
  expect(probeUrl('ws://127.0.0.1:9478/feed')).toBe('http://127.0.0.1:9478/api/v1/feed/auth');
});

test('a fills tape left open keeps only the newest maxAppendRows rows; orders are never cut', () => {
  const { client, last } = setup({ maxAppendRows: 3 });
  const fills: ChannelView<FillRow>[] = [];
  const orders: ChannelView<OrderRow>[] = [];
  client.subscribe<FillRow>('fills', {}, (v) => fills.push(v));
  client.subscribe<OrderRow>('orders', {}, (v) => orders.push(v));
  last().accept();
  const fill = (i: number): FillRow => ({
    engine: 'e1',
    fill_id: `f${i}`,
    order_id: `o${i}`,
    symbol: 'BTC/USD',
    side: 'buy',
    price: 100,
    quantity: 1,
    fee: 0.1,
    ts: new Date(i * 1000).toISOString(),
    realized_pnl: -0.1,
  });
  last().receive({ type: 'snapshot', channel: 'fills', seq: 0, rows: [fill(1), fill(2)] });
  last().receive({ type: 'snapshot', channel: 'orders', seq: 0, rows: [order('a'), order('b')] });
  for (let i = 3; i <= 6; i++)
    last().receive({ type: 'update', channel: 'fills', seq: i - 2, upserts: [fill(i)], removes: [] });
  last().receive({
    type: 'update',
    channel: 'orders',
    seq: 1,
    upserts: [order('c'), order('d')],
    removes: [],
  });
  expect([...fills[fills.length - 1]!.rows.values()].map((r) => r.fill_id)).toEqual(['f4', 'f5', 'f6']);
  expect(orders[orders.length - 1]!.rows.size).toBe(4);
  client.close();
});
