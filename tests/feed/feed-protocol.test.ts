/**
 * The feed against the real exporter: snapshot = what /metrics counts, updates in
 * sequence and complete, a forced gap resyncs, bad messages are named and abuse closes.
 */
import WebSocket from 'ws';
import { FeedClient, type OrderRow, type WebSocketLike } from '@tradewatch/feed-client';
import { postEvents, scrape, startExporter, sumOf, waitFor, type RunningExporter } from '../support/exporter';
import { feedUrl, openFeed, orderEvent } from './support';

jest.setTimeout(60_000);

let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
});
afterAll(async () => {
  await exporter?.stop();
});

const activeIds = async (): Promise<string[]> => {
  const res = await fetch(`${exporter.baseUrl}/api/v1/orders`, {
    headers: { Authorization: `Bearer ${exporter.viewerToken}` },
  });
  const body = (await res.json()) as { orders: OrderRow[] };
  return body.orders.map((o) => o.order_id).sort();
};

test('the orders snapshot holds exactly the active orders that /metrics counts', async () => {
  const events = [];
  for (let i = 0; i < 30; i++)
    events.push(orderEvent(`snap-${i}`, 'new', { symbol: i % 2 ? 'ETH/USD' : 'BTC/USD' }));
  for (let i = 0; i < 10; i++) events.push(orderEvent(`snap-${i}`, i % 2 ? 'filled' : 'canceled'));
  for (let i = 10; i < 15; i++) events.push(orderEvent(`snap-${i}`, 'partially_filled'));
  expect((await postEvents(exporter, events)).status).toBe(200);

  const feed = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
  expect(feed.ws.protocol).toBe('tradewatch.v1');
  feed.send({ op: 'subscribe', channel: 'orders' });
  const snapshot = await feed.next((m) => m.type === 'snapshot');
  const samples = await scrape(exporter.baseUrl);
  expect(snapshot.rows).toHaveLength(sumOf(samples, 'trading_orders_active'));
  expect(snapshot.rows).toHaveLength(20);
  expect(snapshot.rows.map((r: OrderRow) => r.order_id).sort()).toEqual(await activeIds());

  feed.send({ op: 'subscribe', channel: 'orders', filter: { symbol: 'eth/usd' } });
  const filtered = await feed.next((m) => m.type === 'snapshot' && m.rows.length !== 20);
  expect(filtered.rows.every((r: OrderRow) => r.symbol === 'ETH/USD')).toBe(true);
  expect(filtered.rows).toHaveLength(sumOf(samples, 'trading_orders_active', { symbol: 'ETH/USD' }));
  feed.close();
});

test('updates arrive in sequence, batched, and leave the client with the server state', async () => {
  const feed = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
  feed.send({ op: 'subscribe', channel: 'orders', filter: { engine: 'feedtest' } });
  const snapshot = await feed.next((m) => m.type === 'snapshot');
  const rows = new Map<string, OrderRow>(snapshot.rows.map((r: OrderRow) => [r.order_id, r]));

  // 40 small batches, each sent once the last one's update has arrived (a streaming engine):
  // new orders, partial fills, closes.
  const updateCount = () => feed.messages.filter((m) => m.message.type === 'update').length;
  for (let b = 0; b < 40; b++) {
    const batch = [orderEvent(`seq-${b}`, 'new'), orderEvent(`seq-${b}`, 'partially_filled')];
    if (b >= 5) batch.push(orderEvent(`seq-${b - 5}`, b % 2 ? 'filled' : 'canceled'));
    const before = updateCount();
    expect((await postEvents(exporter, batch)).status).toBe(200);
    await waitFor(`the update of batch ${b}`, async () => updateCount() > before);
  }
  const expected = await activeIds();
  await waitFor('the client to catch up', async () => {
    const updates = feed.messages.map((m) => m.message).filter((m) => m.type === 'update');
    let next = snapshot.seq + 1;
    for (const u of updates) {
      expect(u.seq).toBe(next++); // no gap, no repeat
      for (const r of u.upserts) rows.set(r.order_id, r);
      for (const gone of u.removes) {
        expect(gone).toEqual({ engine: 'feedtest', order_id: expect.any(String) });
        rows.delete(gone.order_id);
      }
    }
    return [...rows.keys()].sort().join() === expected.join();
  });
  const updates = feed.messages.map((m) => m.message).filter((m) => m.type === 'update');
  // Batched: far fewer frames than the 120 order events posted.
  expect(updates.length).toBeLessThan(60);
  const closed = updates.flatMap((u) => u.closed ?? []);
  expect(closed).toContainEqual(expect.objectContaining({ order_id: 'seq-0', status: 'filled' }));
  expect(closed).toContainEqual(expect.objectContaining({ order_id: 'seq-1', status: 'canceled' }));
  feed.close();
});

test('a client that misses an update resubscribes and ends with the right rows', async () => {
  let dropped = 0;
  let updates = 0;
  const createSocket = (url: string, protocols: string[]): WebSocketLike => {
    const ws = new WebSocket(url, protocols) as unknown as WebSocketLike;
    // Lose the second update that arrives: the client must notice the gap.
    const wrapper = {
      get readyState() {
        return ws.readyState;
      },
      get protocol() {
        return ws.protocol;
      },
      send: (d: string) => ws.send(d),
      close: (c?: number, r?: string) => ws.close(c, r),
      onopen: null as WebSocketLike['onopen'],
      onclose: null as WebSocketLike['onclose'],
      onerror: null as WebSocketLike['onerror'],
      onmessage: null as WebSocketLike['onmessage'],
    };
    ws.onopen = (e) => wrapper.onopen?.(e);
    ws.onclose = (e) => wrapper.onclose?.(e);
    ws.onerror = (e) => wrapper.onerror?.(e);
    ws.onmessage = (e) => {
      if (String(e.data).includes('"type":"update"') && ++updates === 2) {
        dropped += 1;
        return;
      }
      wrapper.onmessage?.(e);
    };
    return wrapper;
  };
  const client = new FeedClient({
    url: feedUrl(exporter.baseUrl),
    token: exporter.viewerToken,
    createSocket,
  });
  let rows: ReadonlyMap<string, OrderRow> = new Map();
  let snapshots = 0;
  client.subscribe<OrderRow>('orders', { engine: 'feedtest' }, (view) => {
    rows = view.rows;
    if (view.fromSnapshot) snapshots += 1;
  });
  await waitFor('first snapshot', async () => snapshots === 1);
  // One update frame a post: each post waits for the last one's frame, so none are merged.
  for (let b = 0; b < 6; b++) {
    const before = updates;
    await postEvents(exporter, [orderEvent(`gap-${b}`, 'new')]);
    await waitFor(`the update of post ${b}`, async () => updates > before);
  }
  await postEvents(exporter, [orderEvent('gap-0', 'filled')]);
  const expected = await activeIds();
  await waitFor(
    'the resynced rows to match the server',
    async () =>
      [...rows.values()]
        .map((r) => r.order_id)
        .sort()
        .join() === expected.join(),
  );
  expect(dropped).toBe(1);
  expect(client.stats.gaps).toBe(1);
  expect(snapshots).toBe(2);
  client.close();
});

test('bad messages get an error naming the problem; repeated abuse closes with 1008', async () => {
  const feed = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
  const errorAfter = async (message: unknown) => {
    const before = feed.messages.length;
    feed.send(message);
    return feed.next((m) => m.type === 'error' && feed.messages.findIndex((x) => x.message === m) >= before);
  };
  expect(await errorAfter('{"op":"subscribe",')).toMatchObject({
    code: 'invalid_json',
    message: expect.stringContaining('not valid JSON'),
  });
  expect(await errorAfter({ op: 'watch', channel: 'orders' })).toMatchObject({
    code: 'unknown_op',
    message: expect.stringContaining('"watch"'),
  });
  expect(await errorAfter({ op: 'subscribe', channel: 'orders', filter: { venue: 'kraken' } })).toMatchObject(
    { code: 'bad_filter', message: expect.stringContaining('venue') },
  );
  expect(
    await errorAfter({ op: 'subscribe', channel: 'orders', filter: { engine: 'x'.repeat(70_000) } }),
  ).toMatchObject({
    code: 'frame_too_large',
    message: expect.stringContaining('TRADEWATCH_FEED_MAX_FRAME_BYTES'),
  });
  // Still usable after a few mistakes.
  feed.send({ op: 'ping', ts: 42 });
  expect(await feed.next((m) => m.type === 'heartbeat' && m.echo === 42)).toMatchObject({
    type: 'heartbeat',
  });
  for (let i = 0; i < 10; i++) feed.send('not json');
  expect(await feed.closed).toEqual({ code: 1008, reason: 'too many bad messages' });
});
