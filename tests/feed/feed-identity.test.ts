/**
 * Identity on the feed (docs/architecture.md, "Identity"; issue 10, item 10): an order is (engine,
 * order_id), a fill (engine, fill_id), a position (engine, symbol). Two engines using the
 * same ids must never touch each other's rows, on the wire or in the client library.
 */
import WebSocket from 'ws';
import { FeedClient, type ChannelView, type OrderRow } from '@tradewatch/feed-client';
import { postEvents, startExporter, waitFor, type RunningExporter } from '../support/exporter';
import { feedUrl, openFeed, orderEvent } from './support';

jest.setTimeout(60_000);

let exporter: RunningExporter;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
beforeAll(async () => {
  exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
});
afterAll(async () => {
  await exporter?.stop();
});

const fill = (engine: string, fillId: string, side: 'buy' | 'sell') => ({
  type: 'fill',
  ts: Date.now(),
  engine,
  fill_id: fillId,
  order_id: 'o-1',
  symbol: 'BTC/USD',
  side,
  price: 60000,
  quantity: 1,
});

test("engine a canceling its o-1 leaves engine b's o-1 on every blotter", async () => {
  expect(
    (
      await postEvents(exporter, [
        orderEvent('o-1', 'new', { engine: 'a' }),
        orderEvent('o-1', 'new', { engine: 'b' }),
      ])
    ).status,
  ).toBe(200);

  const raw = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
  raw.send({ op: 'subscribe', channel: 'orders' });
  const snapshot = await raw.next((m) => m.type === 'snapshot');
  expect(snapshot.rows.map((r: OrderRow) => `${r.engine}/${r.order_id}`).sort()).toEqual(['a/o-1', 'b/o-1']);

  const client = new FeedClient({
    url: feedUrl(exporter.baseUrl),
    token: exporter.viewerToken,
    createSocket: (u, protocols) => new WebSocket(u, protocols) as never,
  });
  cleanups.push(
    () => client.close(),
    () => raw.close(),
  );
  const views: ChannelView<OrderRow>[] = [];
  client.subscribe<OrderRow>('orders', {}, (v) => views.push(v));
  await waitFor('the client snapshot', async () => views.some((v) => v.fromSnapshot && v.rows.size === 2));

  expect((await postEvents(exporter, [orderEvent('o-1', 'canceled', { engine: 'a' })])).status).toBe(200);
  const update = await raw.next((m) => m.type === 'update' && m.removes.length > 0);
  expect(update.removes).toEqual([{ engine: 'a', order_id: 'o-1' }]);
  expect(update.closed).toEqual([
    expect.objectContaining({ engine: 'a', order_id: 'o-1', status: 'canceled' }),
  ]);

  await waitFor('the removal in the client', async () => views.some((v) => v.removed.length > 0));
  const last = views[views.length - 1];
  expect([...last.rows.values()].map((r) => `${r.engine}/${r.order_id}/${r.status}`)).toEqual(['b/o-1/new']);
  expect(last.removed).toEqual([
    expect.objectContaining({
      identity: { engine: 'a', order_id: 'o-1' },
      finalRow: expect.objectContaining({ engine: 'a', status: 'canceled' }),
    }),
  ]);

  // b's o-1 still leaves when b closes it (the server still knows it is in the set).
  expect((await postEvents(exporter, [orderEvent('o-1', 'filled', { engine: 'b' })])).status).toBe(200);
  const second = await raw.next((m) => m.type === 'update' && m.seq > update.seq && m.removes.length > 0);
  expect(second.removes).toEqual([{ engine: 'b', order_id: 'o-1' }]);
  await waitFor('the client is empty', async () => views[views.length - 1].rows.size === 0);
  client.close();
  raw.close();
});

test('fills with the same fill_id from two engines are two rows; positions leave as objects', async () => {
  const raw = await openFeed(exporter.baseUrl, { token: exporter.viewerToken });
  raw.send({ op: 'subscribe', channel: 'positions', filter: { symbol: 'BTC/USD' } });
  await raw.next((m) => m.type === 'snapshot' && m.channel === 'positions');
  const client = new FeedClient({
    url: feedUrl(exporter.baseUrl),
    token: exporter.viewerToken,
    createSocket: (u, protocols) => new WebSocket(u, protocols) as never,
  });
  cleanups.push(
    () => client.close(),
    () => raw.close(),
  );
  const fills: ChannelView<{ engine: string; fill_id: string }>[] = [];
  client.subscribe<{ engine: string; fill_id: string }>('fills', {}, (v) => fills.push(v));
  await waitFor('the fills snapshot', async () => fills.some((v) => v.fromSnapshot));

  expect((await postEvents(exporter, [fill('fa', 'f-1', 'buy'), fill('fb', 'f-1', 'buy')])).status).toBe(200);
  await waitFor('both fills', async () => fills[fills.length - 1].rows.size === 2);
  expect([...fills[fills.length - 1].rows.values()].map((r) => `${r.engine}/${r.fill_id}`).sort()).toEqual([
    'fa/f-1',
    'fb/f-1',
  ]);

  // fa goes flat: its position leaves, named by (engine, symbol); fb's stays.
  expect((await postEvents(exporter, [fill('fa', 'f-2', 'sell')])).status).toBe(200);
  const update = await raw.next(
    (m) => m.type === 'update' && m.channel === 'positions' && m.removes.length > 0,
  );
  expect(update.removes).toEqual([{ engine: 'fa', symbol: 'BTC/USD' }]);
  client.close();
  raw.close();
});
