import { normalizeFilter, parseClientMessage } from './protocol';
import { channelFilter, matches } from './subscriptions';

const bad = (text: string) => {
  const r = parseClientMessage(text);
  if (r.ok) throw new Error(`expected a problem for ${text}`);
  return r;
};

test('accepts the three ops of the contract', () => {
  expect(parseClientMessage('{"op":"subscribe","channel":"orders","filter":{"engine":"e1"}}')).toEqual({
    ok: true,
    message: { op: 'subscribe', channel: 'orders', filter: { engine: 'e1' } },
  });
  expect(parseClientMessage('{"op":"unsubscribe","channel":"fills","sub":"fills.2"}')).toMatchObject({
    ok: true,
  });
  expect(parseClientMessage('{"op":"ping","ts":5}')).toEqual({ ok: true, message: { op: 'ping', ts: 5 } });
});

test('names each kind of bad message', () => {
  expect(bad('{"op":')).toMatchObject({
    code: 'invalid_json',
    error: expect.stringContaining('not valid JSON'),
  });
  expect(bad('[1]')).toMatchObject({ code: 'invalid_message' });
  expect(bad('{"op":"subcribe","channel":"orders"}')).toMatchObject({
    code: 'unknown_op',
    error: expect.stringContaining('"subcribe"'),
  });
  expect(bad('{"channel":"orders"}')).toMatchObject({ code: 'unknown_op' });
  expect(bad('{"op":"subscribe","channel":"trades"}')).toMatchObject({
    code: 'invalid_message',
    error: 'subscribe: channel: channel must be one of orders, fills, positions, alerts, status',
  });
  expect(bad('{"op":"subscribe","channel":"orders","filter":{"venue":"x"}}')).toMatchObject({
    code: 'bad_filter',
    error: expect.stringContaining('"venue"'),
  });
  expect(bad('{"op":"subscribe","channel":"orders","filter":{"engine":7}}')).toMatchObject({
    code: 'bad_filter',
    error: expect.stringContaining('filter.engine'),
  });
  expect(bad('{"op":"subscribe","channel":"orders","filter":"e1"}')).toMatchObject({ code: 'bad_filter' });
  expect(bad('{"op":"subscribe","channel":"orders","sub":"has space"}')).toMatchObject({
    error: expect.stringContaining('sub'),
  });
});

test('filters: empty fields dropped, symbol upper-cased, fields a channel lacks ignored', () => {
  expect(normalizeFilter({ engine: '', symbol: 'btc/usd' })).toEqual({ symbol: 'BTC/USD' });
  expect(channelFilter('status', { engine: 'e1', symbol: 'BTC/USD' })).toEqual({ engine: 'e1' });
  expect(channelFilter('positions', { strategy: 's', symbol: 'BTC/USD' })).toEqual({ symbol: 'BTC/USD' });
  expect(matches({ engine: 'e1', strategy: 's1' }, { engine: 'e1', strategy: 's1', symbol: 'X/Y' })).toBe(
    true,
  );
  expect(matches({ strategy: 's1' }, { engine: 'e1' })).toBe(false);
});
