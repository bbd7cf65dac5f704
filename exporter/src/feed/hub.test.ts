import { validateBatch } from '../events/validate';
import { Store } from '../state/store';
import { FeedHub, type Peer } from './hub';

class FakePeer implements Peer {
  frames: Record<string, any>[] = [];
  raw: Buffer[] = [];
  bufferedAmount = 0;
  closed: { code: number; reason: string } | null = null;
  send(frame: Buffer): void {
    this.raw.push(frame);
    this.frames.push(JSON.parse(frame.toString()));
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  last() {
    return this.frames[this.frames.length - 1];
  }
}

let t = Date.parse('2024-05-01T00:00:00Z');
const order = (id: string, status = 'new', extra: Record<string, unknown> = {}) => ({
  type: 'order',
  ts: (t += 1000),
  engine: 'e1',
  order_id: id,
  symbol: 'BTC/USD',
  side: 'buy',
  order_type: 'limit',
  status,
  quantity: 1,
  limit_price: 100,
  strategy: 'momentum',
  ...extra,
});

function setup(options: Partial<ConstructorParameters<typeof FeedHub>[1]> = {}, now?: () => number) {
  const store = new Store({ valuationCurrency: 'USD', equity: { periodMs: 3_600_000, retainMs: 0 } });
  const hub = new FeedHub(
    store,
    {
      batchMs: 100,
      lagBytes: 1000,
      maxBufferedBytes: 10_000,
      maxOwedKeys: 3,
      ...options,
    },
    now,
  );
  store.onChanges(hub.onChanges);
  const apply = (...raws: unknown[]) => {
    const batch = validateBatch(raws);
    if (!batch.ok) throw new Error(JSON.stringify(batch.problems));
    store.apply(batch.events);
  };
  return { store, hub, apply };
}

afterEach(() => jest.useRealTimers());

test('snapshot, then one update per flush with seq + 1 and closed orders final state', () => {
  const { hub, apply } = setup();
  apply(order('a'), order('b'));
  const peer = new FakePeer();
  hub.subscribe(peer, 'orders', {}, undefined);
  expect(peer.last()).toMatchObject({ type: 'snapshot', channel: 'orders', seq: 0 });
  expect(
    peer
      .last()
      .rows.map((r: { order_id: string }) => r.order_id)
      .sort(),
  ).toEqual(['a', 'b']);
  apply(order('c'), order('a', 'filled', { filled_quantity: 1 }));
  apply(order('c', 'partially_filled', { filled_quantity: 0.5 }));
  hub.flush();
  const u = peer.last();
  expect(u).toMatchObject({ type: 'update', seq: 1, removes: [{ engine: 'e1', order_id: 'a' }] });
  expect(u.upserts).toEqual([expect.objectContaining({ order_id: 'c', status: 'partially_filled' })]); // coalesced within the batch
  expect(u.closed).toEqual([expect.objectContaining({ order_id: 'a', status: 'filled' })]);
  apply(order('b', 'canceled'));
  hub.flush();
  expect(peer.last()).toMatchObject({ seq: 2, removes: [{ engine: 'e1', order_id: 'b' }] });
  hub.flush(); // nothing changed: nothing sent
  expect(peer.frames).toHaveLength(3);
});

test('two engines with the same order id are two rows: closing one removes only it', () => {
  const { hub, apply } = setup();
  apply(order('o-1', 'new', { engine: 'a' }), order('o-1', 'new', { engine: 'b' }));
  const peer = new FakePeer();
  hub.subscribe(peer, 'orders', {}, undefined);
  expect(
    peer
      .last()
      .rows.map((r: { engine: string }) => r.engine)
      .sort(),
  ).toEqual(['a', 'b']);
  apply(order('o-1', 'canceled', { engine: 'a' }));
  hub.flush();
  expect(peer.last()).toMatchObject({ upserts: [], removes: [{ engine: 'a', order_id: 'o-1' }] });
  apply(order('o-1', 'partially_filled', { engine: 'b', filled_quantity: 0.5 }));
  hub.flush();
  expect(peer.last()).toMatchObject({ upserts: [{ engine: 'b', order_id: 'o-1' }], removes: [] });
  apply(order('o-1', 'filled', { engine: 'b', filled_quantity: 1 }));
  hub.flush();
  expect(peer.last()).toMatchObject({ removes: [{ engine: 'b', order_id: 'o-1' }] });
});

test('clients of the same channel and filter share one serialized frame; filters apply', () => {
  const { hub, apply } = setup();
  const [p1, p2, p3] = [new FakePeer(), new FakePeer(), new FakePeer()];
  hub.subscribe(p1, 'orders', {}, undefined);
  hub.subscribe(p2, 'orders', {}, undefined);
  hub.subscribe(p3, 'orders', { symbol: 'ETH/USD' }, undefined);
  expect(hub.topicCount).toBe(2);
  apply(order('x'), order('y', 'new', { symbol: 'ETH/USD' }));
  hub.flush();
  expect(p1.raw[1]).toBe(p2.raw[1]); // the same Buffer object
  expect(p1.last().upserts).toHaveLength(2);
  expect(p3.last().upserts.map((r: { order_id: string }) => r.order_id)).toEqual(['y']);
});

test('an order that stops matching the filter is announced as a removal', () => {
  const { hub, apply } = setup();
  apply(order('m', 'new', { strategy: 'momentum' }));
  const p = new FakePeer();
  hub.subscribe(p, 'orders', { strategy: 'momentum' }, undefined);
  apply(order('m', 'new', { strategy: 'mean_reversion' }));
  hub.flush();
  expect(p.last()).toMatchObject({ upserts: [], removes: [{ engine: 'e1', order_id: 'm' }] });
});

test('a lagging client is skipped, then gets one coalesced catch-up that continues its sequence', () => {
  const { hub, apply } = setup({ maxOwedKeys: 100 });
  const fast = new FakePeer();
  const slow = new FakePeer();
  hub.subscribe(fast, 'orders', {}, undefined);
  hub.subscribe(slow, 'orders', {}, undefined);
  slow.bufferedAmount = 5000; // above lagBytes: behind
  for (let i = 0; i < 5; i++) {
    apply(order('o1', 'partially_filled', { filled_quantity: i / 10 }));
    hub.flush();
  }
  expect(fast.frames).toHaveLength(6);
  expect(slow.frames).toHaveLength(1); // the snapshot only
  slow.bufferedAmount = 0; // drained
  hub.flush();
  expect(slow.frames).toHaveLength(2);
  expect(slow.last()).toMatchObject({ type: 'update', seq: 5, from_seq: 1 });
  expect(slow.last().upserts).toEqual([expect.objectContaining({ order_id: 'o1', filled_quantity: 0.4 })]);
  apply(order('o2'));
  hub.flush();
  expect(slow.last()).toMatchObject({ seq: 6 });
  expect(fast.last()).toMatchObject({ seq: 6 });
});

test('owing too many keys turns into a fresh snapshot; past the hard limit the client is closed', () => {
  const { hub, apply } = setup({ maxOwedKeys: 3 });
  const slow = new FakePeer();
  const stuck = new FakePeer();
  hub.subscribe(slow, 'orders', {}, undefined);
  hub.subscribe(stuck, 'orders', {}, undefined);
  slow.bufferedAmount = 5000;
  stuck.bufferedAmount = 5000;
  apply(order('a'), order('b'), order('c'), order('d'));
  hub.flush();
  slow.bufferedAmount = 0;
  stuck.bufferedAmount = 20_000;
  hub.flush();
  expect(slow.last()).toMatchObject({ type: 'snapshot', seq: 1 });
  expect(slow.last().rows).toHaveLength(4);
  expect(stuck.closed).toMatchObject({ code: 4002 });
});

test('a snapshot taken between flushes carries the seq the next update follows', () => {
  const { hub, apply } = setup();
  const first = new FakePeer();
  hub.subscribe(first, 'orders', {}, undefined);
  apply(order('a'));
  hub.flush();
  const late = new FakePeer();
  hub.subscribe(late, 'orders', {}, undefined); // same version, later seq: no stale cached snapshot
  expect(late.last()).toMatchObject({ type: 'snapshot', seq: 1 });
  apply(order('b'));
  hub.flush();
  expect(late.last()).toMatchObject({ type: 'update', seq: 2 });
});

test('a quiet hub sends each change at once, with no wait for the batch interval', () => {
  jest.useFakeTimers();
  const { hub, apply } = setup({ batchMs: 100 }, () => Date.now());
  const p = new FakePeer();
  hub.subscribe(p, 'orders', {}, undefined);
  for (let i = 0; i < 5; i++) {
    apply(order(`q${i}`));
    jest.advanceTimersByTime(1); // the next change comes 5 ms later, as at 200 events/s
    expect(p.frames).toHaveLength(2 + i);
    expect(p.last().upserts).toHaveLength(1);
    jest.advanceTimersByTime(4);
  }
  hub.stop();
});

test('a stalled client does not hold the others to the batch interval: a quiet hub still sends at once', () => {
  jest.useFakeTimers();
  const { hub, apply } = setup({ batchMs: 100, maxOwedKeys: 100 }, () => Date.now());
  const p = new FakePeer();
  const stalled = new FakePeer();
  hub.subscribe(p, 'orders', {}, undefined);
  hub.subscribe(stalled, 'orders', {}, undefined);
  stalled.bufferedAmount = 5_000; // stopped reading: past the lag mark, under the hard limit
  apply(order('s0'));
  jest.advanceTimersByTime(1);
  expect(stalled.frames).toHaveLength(1); // skipped from now on, owed a catch-up
  for (let i = 1; i <= 5; i++) {
    apply(order(`s${i}`));
    jest.advanceTimersByTime(1);
    expect(p.frames).toHaveLength(2 + i); // each change within 1 ms, as with no stalled client
    jest.advanceTimersByTime(4);
  }
  expect(stalled.frames).toHaveLength(1);
  expect(stalled.closed).toBeNull();
  // It drains: one catch-up with every row it missed, continuing its sequence.
  stalled.bufferedAmount = 0;
  jest.advanceTimersByTime(100);
  expect(stalled.last()).toMatchObject({ type: 'update', from_seq: 1, seq: 6 });
  expect(stalled.last().upserts).toHaveLength(6);
  hub.stop();
});

test('a costly flush spaces the next ones up to the batch interval, coalescing what came meanwhile', () => {
  jest.useFakeTimers();
  const { hub, apply } = setup({ batchMs: 100 }, () => Date.now());
  const p = new FakePeer();
  // Every frame sent costs this peer 10 ms of the loop (many viewers, big frames).
  const send = p.send.bind(p);
  p.send = (frame: Buffer) => {
    send(frame);
    jest.setSystemTime(Date.now() + 10);
  };
  hub.subscribe(p, 'orders', {}, undefined);
  apply(order('a'));
  jest.advanceTimersByTime(1);
  expect(p.frames).toHaveLength(2); // the first change after a quiet spell goes at once
  apply(order('b'));
  jest.advanceTimersByTime(50);
  expect(p.frames).toHaveLength(2); // 20 × 10 ms of cost: the gap is the whole batch interval
  apply(order('c'));
  jest.advanceTimersByTime(50);
  expect(p.frames).toHaveLength(3);
  expect(p.last().upserts).toHaveLength(2);
  hub.stop();
});

test('a subscribe from a client that is behind owes it one snapshot, sent once it drains, never a queue', () => {
  const { hub, apply } = setup();
  apply(order('a'), order('b'));
  const peer = new FakePeer();
  peer.bufferedAmount = 5000; // above lagBytes: it has not read what it was sent
  let member = hub.subscribe(peer, 'orders', {}, undefined);
  for (let i = 0; i < 10; i++) {
    hub.unsubscribe(member);
    apply(order(`c${i}`)); // the state moves: every snapshot would be a new one
    member = hub.subscribe(peer, 'orders', {}, undefined);
  }
  expect(peer.frames).toHaveLength(0);
  hub.flush();
  expect(peer.frames).toHaveLength(0); // still behind
  peer.bufferedAmount = 0;
  hub.flush();
  expect(peer.frames).toHaveLength(1);
  expect(peer.last()).toMatchObject({ type: 'snapshot', seq: member.topic.seq });
  expect(peer.last().rows).toHaveLength(12);
});

test('updates carry wire rows, as snapshots do: the times in RFC 3339, the same bytes for the same order', () => {
  const { hub, apply } = setup();
  const peer = new FakePeer();
  hub.subscribe(peer, 'orders', {}, undefined);
  apply(order('w', 'new', { created_at: '2024-05-01T00:00:00.250Z' }));
  hub.flush();
  const [upserted] = peer.last().upserts as Record<string, unknown>[];
  expect(upserted).toMatchObject({
    created_at: '2024-05-01T00:00:00.250Z',
    updated_at: new Date(t).toISOString(),
  });
  expect(upserted).not.toHaveProperty('createdMs');
  // A new subscriber's snapshot has the order as the update sent it, byte for byte.
  const late = new FakePeer();
  hub.subscribe(late, 'orders', {}, undefined);
  const fromSnapshot = (late.last().rows as Record<string, unknown>[]).find((r) => r.order_id === 'w');
  expect(JSON.stringify(fromSnapshot)).toBe(JSON.stringify(upserted));
});
