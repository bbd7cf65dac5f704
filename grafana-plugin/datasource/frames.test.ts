import { FieldType } from '@grafana/data';

import { rowsToFrame } from './frames';

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
