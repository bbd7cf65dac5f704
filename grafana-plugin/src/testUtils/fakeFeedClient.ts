import {
  rowKey,
  type Channel,
  type ChannelView,
  type ConnectionState,
  type FeedClientApi,
  type FeedClientOptions,
  type FeedFilter,
  type FillRow,
  type OrderRow,
  type Unsubscribe,
} from '@tradewatch/feed-client';

import type { FeedClientFactory } from '../hooks/useFeedChannel';

/** A FeedClientApi driven by the test: push snapshots and updates, set the connection state. */
export class FakeFeedClient implements FeedClientApi {
  state: ConnectionState = { status: 'connecting', attempt: 0 };
  closed = false;
  subscriptions: Array<{ channel: Channel; filter: FeedFilter; listener: (view: ChannelView<unknown>) => void }> = [];
  private stateListeners = new Set<(s: ConnectionState) => void>();
  private rows = new Map<string, OrderRow>();
  private seq = 0;

  constructor(readonly options: FeedClientOptions) {}

  subscribe<Row>(channel: Channel, filter: FeedFilter, listener: (view: ChannelView<Row>) => void): Unsubscribe {
    const sub = { channel, filter, listener: listener as (view: ChannelView<unknown>) => void };
    this.subscriptions.push(sub);
    return () => {
      this.subscriptions = this.subscriptions.filter((s) => s !== sub);
    };
  }

  onState(listener: (state: ConnectionState) => void): Unsubscribe {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.setState({ status: 'closed' });
  }

  setState(state: ConnectionState): void {
    this.state = state;
    this.stateListeners.forEach((l) => l(state));
  }

  snapshot(rows: OrderRow[]): void {
    this.rows = new Map(rows.map((r) => [rowKey('orders', r), r]));
    this.emit({
      channel: 'orders',
      rows: new Map(this.rows),
      upserts: rows,
      removed: [],
      fromSnapshot: true,
      seq: ++this.seq,
    });
  }

  /** `removed` names orders by order_id (and engine, 'e1' unless given or in the final row). */
  update(upserts: OrderRow[], removed: Array<{ key: string; engine?: string; finalRow?: OrderRow }> = []): void {
    upserts.forEach((r) => this.rows.set(rowKey('orders', r), r));
    const views = removed.map(({ key: orderId, engine, finalRow }) => {
      const identity = { engine: engine ?? finalRow?.engine ?? 'e1', order_id: orderId };
      const key = rowKey('orders', identity);
      this.rows.delete(key);
      return finalRow ? { key, identity, finalRow } : { key, identity };
    });
    this.emit({
      channel: 'orders',
      rows: new Map(this.rows),
      upserts,
      removed: views,
      fromSnapshot: false,
      seq: ++this.seq,
    });
  }

  private fills = new Map<string, FillRow>();

  /** A snapshot of the `fills` channel. */
  snapshotFills(rows: FillRow[]): void {
    this.fills = new Map(rows.map((r) => [rowKey('fills', r), r]));
    this.emit({
      channel: 'fills',
      rows: new Map(this.fills),
      upserts: rows,
      removed: [],
      fromSnapshot: true,
      seq: ++this.seq,
    });
  }

  /** An update of the `fills` channel (fills only arrive). */
  updateFills(upserts: FillRow[]): void {
    upserts.forEach((r) => this.fills.set(rowKey('fills', r), r));
    this.emit({
      channel: 'fills',
      rows: new Map(this.fills),
      upserts,
      removed: [],
      fromSnapshot: false,
      seq: ++this.seq,
    });
  }

  private emit(view: ChannelView<OrderRow> | ChannelView<FillRow>): void {
    this.subscriptions.filter((s) => s.channel === view.channel).forEach((s) => s.listener(view));
  }
}

/** A factory that remembers every client it made (the last one is the live one). */
export type FakeFactory = FeedClientFactory & { clients: FakeFeedClient[]; last: () => FakeFeedClient };

export function fakeFactory(): FakeFactory {
  const clients: FakeFeedClient[] = [];
  const create = (options: FeedClientOptions) => {
    const c = new FakeFeedClient(options);
    clients.push(c);
    return c;
  };
  return Object.assign(create, { clients, last: () => clients[clients.length - 1] });
}

let n = 0;
/** An order row with sensible defaults. */
export function order(partial: Partial<OrderRow> = {}): OrderRow {
  n++;
  return {
    engine: 'e1',
    order_id: `o${n}`,
    symbol: 'XRP/USD',
    side: 'buy',
    order_type: 'limit',
    status: 'new',
    quantity: 100,
    filled_quantity: 0,
    limit_price: 0.5,
    fees: 0,
    strategy: 'mm',
    created_at: new Date(Date.UTC(2024, 0, 1, 12, 0, n % 60)).toISOString(),
    updated_at: new Date(Date.UTC(2024, 0, 1, 12, 0, n % 60)).toISOString(),
    ...partial,
  };
}

let f = 0;
/** A fill row with sensible defaults (ts one second after the previous one). */
export function fill(partial: Partial<FillRow> = {}): FillRow {
  f++;
  return {
    engine: 'e1',
    fill_id: `f${f}`,
    order_id: `o${f}`,
    symbol: 'XRP/USD',
    side: 'sell',
    price: 0.5,
    quantity: 100,
    fee: 0.02,
    fee_currency: 'USD',
    strategy: 'mm',
    ts: new Date(Date.UTC(2024, 0, 1, 12, 0, 0) + f * 1000).toISOString(),
    realized_pnl: 1.5,
    ...partial,
  };
}

/** A scheduler that runs frames when the test says so. */
export function manualFrames() {
  let next = 1;
  const pending = new Map<number, () => void>();
  return {
    request: (cb: () => void) => {
      const id = next++;
      pending.set(id, cb);
      return id;
    },
    cancel: (id: number) => {
      pending.delete(id);
    },
    get pending() {
      return pending.size;
    },
    flush() {
      const cbs = Array.from(pending.values());
      pending.clear();
      cbs.forEach((cb) => cb());
    },
  };
}
