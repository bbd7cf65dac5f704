import * as client from '@tradewatch/feed-client';
import type { Channel } from '@tradewatch/feed-client';
import { rowIdentity, rowKey } from './keys';

const rows: [Channel, Record<string, unknown>][] = [
  ['orders', { engine: 'a', order_id: 'o-1', symbol: 'BTC/USD', status: 'new' }],
  ['orders', { engine: 'a:b', order_id: 'c', symbol: 'BTC/USD' }],
  ['orders', { engine: 'a', order_id: 'b:c', symbol: 'BTC/USD' }],
  ['fills', { engine: 'e"1', fill_id: 'f-1', order_id: 'o-1' }],
  ['positions', { engine: 'e1', symbol: 'XRP/USD', quantity: 3 }],
  ['alerts', { engine: 'e1', key: 'k', name: 'n' }],
  ['status', { engine: 'e1', halted: false }],
];

test('the server keys rows exactly as the client library does', () => {
  for (const [channel, row] of rows) {
    expect(rowKey(channel, row)).toBe(client.rowKey(channel, row));
    expect(rowIdentity(channel, row)).toEqual(client.rowIdentity(channel, row));
  }
});

test('a removes entry keys the same as its row; engines never collide', () => {
  for (const [channel, row] of rows)
    expect(rowKey(channel, rowIdentity(channel, row))).toBe(rowKey(channel, row));
  expect(rowKey('orders', rows[1][1])).not.toBe(rowKey('orders', rows[2][1]));
  expect(rowIdentity('orders', rows[0][1])).toEqual({ engine: 'a', order_id: 'o-1' });
  expect(rowIdentity('positions', rows[4][1])).toEqual({ engine: 'e1', symbol: 'XRP/USD' });
});
