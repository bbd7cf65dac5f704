import { CHANNELS, type Channel } from './channels';
import { rowIdentity, rowKey } from './identity';

const rows: [Channel, Record<string, unknown>][] = [
  ['orders', { engine: 'a', order_id: 'o-1', symbol: 'BTC/USD', status: 'new' }],
  ['orders', { engine: 'a:b', order_id: 'c', symbol: 'BTC/USD' }],
  ['orders', { engine: 'a', order_id: 'b:c', symbol: 'BTC/USD' }],
  ['fills', { engine: 'e"1', fill_id: 'f-1', order_id: 'o-1', symbol: 'ETH/USD' }],
  ['positions', { engine: 'e1', symbol: 'XRP/USD', quantity: 3 }],
  ['alerts', { engine: 'e1', key: 'k', name: 'n' }],
  ['status', { engine: 'e1', halted: false }],
];

test('a key is the JSON array of the identity values, engine first (what clients index by)', () => {
  expect(rowKey('orders', rows[0][1])).toBe('["a","o-1"]');
  expect(rowKey('fills', rows[3][1])).toBe('["e\\"1","f-1"]');
  expect(rowKey('positions', rows[4][1])).toBe('["e1","XRP/USD"]');
  expect(rowKey('alerts', rows[5][1])).toBe('["e1","k"]');
  expect(rowKey('status', rows[6][1])).toBe('["e1"]');
});

test('an identity holds exactly the identity fields, as a removes entry does', () => {
  expect(rowIdentity('orders', rows[0][1])).toStrictEqual({ engine: 'a', order_id: 'o-1' });
  expect(rowIdentity('fills', rows[3][1])).toStrictEqual({ engine: 'e"1', fill_id: 'f-1' });
  expect(rowIdentity('positions', rows[4][1])).toStrictEqual({ engine: 'e1', symbol: 'XRP/USD' });
  expect(rowIdentity('alerts', rows[5][1])).toStrictEqual({ engine: 'e1', key: 'k' });
  expect(rowIdentity('status', rows[6][1])).toStrictEqual({ engine: 'e1' });
});

test('a removes entry keys the same as the row it names', () => {
  for (const [channel, row] of rows)
    expect(rowKey(channel, rowIdentity(channel, row))).toBe(rowKey(channel, row));
});

test('ids that concatenate alike in two engines never share a key', () => {
  expect(rowKey('orders', rows[1][1])).not.toBe(rowKey('orders', rows[2][1]));
  expect(rowKey('orders', { engine: 'e1', order_id: 'x' })).not.toBe(
    rowKey('orders', { engine: 'e2', order_id: 'x' }),
  );
});

test('a non-string id keys as its string form, so 17 and "17" are the same order', () => {
  expect(rowKey('orders', { engine: 'e1', order_id: 17 })).toBe(
    rowKey('orders', { engine: 'e1', order_id: '17' }),
  );
  expect(rowIdentity('orders', { engine: 'e1', order_id: 17 })).toStrictEqual({
    engine: 'e1',
    order_id: '17',
  });
});

test('on every channel the key is the identity, engine first, in the identity field order', () => {
  const row = { engine: 'e', order_id: 'o', fill_id: 'f', symbol: 'S', key: 'k' };
  for (const channel of CHANNELS) {
    const identity = rowIdentity(channel, row);
    expect(Object.keys(identity)[0]).toBe('engine');
    expect(rowKey(channel, row)).toBe(JSON.stringify(Object.values(identity)));
  }
});
