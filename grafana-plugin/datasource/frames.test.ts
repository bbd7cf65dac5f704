import { FieldType } from '@grafana/data';

import { FrameColumns, rowsToFrame } from './frames';

test('orders become a typed frame: identity first, times as epoch ms, quantities and prices as numbers', () => {
  const frame = rowsToFrame(
    'A',
    [
      {
        engine: 'e1',
        order_id: 'o-1',
        symbol: 'XRP/USD',
        side: 'buy',
        order_type: 'limit',
        status: 'new',
        quantity: 100,
        filled_quantity: 0,
        limit_price: 0.42,
        fees: 0,
        created_at: '2024-06-01T09:05:07.000Z',
        updated_at: '2024-06-01T09:05:08.000Z',
      },
      { engine: 'e2', order_id: 'o-1', quantity: '2.5', created_at: 'garbage' },
    ],
    { channel: 'orders', transport: 'http-stream', seq: 9, closed: [{ engine: 'e1', order_id: 'o-0' }] }
  );
  expect(frame.refId).toBe('A');
  expect(frame.length).toBe(2);
  expect(frame.fields.slice(0, 2).map((f) => f.name)).toEqual(['engine', 'order_id']);
  const field = (name: string) => frame.fields.find((f) => f.name === name)!;
  expect(field('created_at').type).toBe(FieldType.time);
  expect(field('created_at').values).toEqual([Date.parse('2024-06-01T09:05:07Z'), null]);
  expect(field('quantity').type).toBe(FieldType.number);
  expect(field('quantity').values).toEqual([100, 2.5]);
  expect(field('limit_price').values).toEqual([0.42, null]);
  expect(frame.meta?.custom).toEqual({
    channel: 'orders',
    identity: ['engine', 'order_id'],
    transport: 'http-stream',
    seq: 9,
    closed: [{ engine: 'e1', order_id: 'o-0' }],
  });
});

test('FrameColumns keeps one row per key through upserts and removals, and hands out frames that never change', () => {
  const cols = new FrameColumns('orders');
  const o = (id: string, quantity: number) => ({
    engine: 'e1',
    order_id: id,
    quantity,
    created_at: '2024-06-01T00:00:00Z',
  });
  cols.reset([
    ['a', o('a', 1)],
    ['b', o('b', 2)],
    ['c', o('c', 3)],
  ]);
  const first = cols.frame('A', { channel: 'orders', transport: 'websocket', seq: 1 });
  cols.remove('a'); // the last row takes its place
  cols.upsert('b', o('b', 20));
  cols.upsert('d', o('d', 4));
  const second = cols.frame('A', { channel: 'orders', transport: 'websocket', seq: 2 });
  const byId = (f: typeof first) => {
    const ids = f.fields.find((x) => x.name === 'order_id')!.values;
    const qty = f.fields.find((x) => x.name === 'quantity')!.values;
    return Object.fromEntries(ids.map((id, i) => [id, qty[i]]));
  };
  expect(byId(first)).toEqual({ a: 1, b: 2, c: 3 });
  expect(byId(second)).toEqual({ c: 3, b: 20, d: 4 });
  expect(cols.length).toBe(3);
  expect(cols.remove('zzz')).toBe(false);
});
