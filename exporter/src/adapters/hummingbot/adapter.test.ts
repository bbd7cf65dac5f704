/** The Hummingbot adapter on literal MQTT messages shaped as its bridge publishes them. */
import { ConfigError, loadConfig } from '../../config';
import { createHummingbotAdapter, type KnownHbOrder } from './adapter';
import { parseNumbersAsText, type HummingbotRecord } from './records';

const T = 1_796_630_000; // epoch seconds

function fill(fee: string, extra = ''): HummingbotRecord {
  return {
    instance: 'bot-a',
    channel: 'events',
    receivedAt: T * 1000,
    payload: `{"timestamp":${T},"type":"OrderFilled","data":{"order_id":"o-1","trading_pair":"WETH-USDC","trade_type":"TradeType.BUY","order_type":"OrderType.LIMIT","price":2000.1,"amount":0.3,"trade_fee":${fee},"exchange_trade_id":"t-1"${extra}}}`,
  };
}

const known: KnownHbOrder = {
  symbol: 'WETH/USDC',
  side: 'buy',
  order_type: 'limit',
  status: 'new',
  quantity: '1',
  filled_quantity: '0',
  fees: '0',
  created_at: T * 1000,
};

function adapt(records: HummingbotRecord[], seenFill = () => false) {
  const out = createHummingbotAdapter({ knownOrder: () => known, seenFill })(records);
  if (!out.ok) throw new Error('refused');
  return { events: out.events as Record<string, unknown>[], refused: out.refused ?? [] };
}

test('numbers are read as the text ujson wrote, never through a double', () => {
  expect(parseNumbersAsText('{"a":0.1,"b":[2000.0,-3e-05],"s":"1.5 x","t":true,"n":null}')).toEqual({
    a: '0.1',
    b: ['2000.0', '-3e-05'],
    s: '1.5 x',
    t: true,
    n: null,
  });
});

test('the fee is fee_amount_in_token(quote): price × amount × percent, plus flat fees in the quote and the base (priced)', () => {
  const fee =
    '{"fee_type":"AddedToCost","percent":"0.001","percent_token":"WETH","flat_fees":[{"token":"USDC.E","amount":"0.25"},{"token":"ETH","amount":"0.0001"},{"token":"BNB","amount":"0.01"}]}';
  const { events } = adapt([fill(fee)]);
  // 2000.1 × 0.3 × 0.001 = 0.60003; USDC.E is USDC: 0.25; ETH is WETH: 0.0001 × 2000.1 = 0.20001;
  // BNB needs Hummingbot's rate oracle: left out.
  expect(events[0]).toMatchObject({
    type: 'fill',
    price: '2000.1',
    quantity: '0.3',
    fee: '1.05004',
    fee_currency: 'USDC',
  });
  expect(events[1]).toMatchObject({
    type: 'order',
    status: 'partially_filled',
    filled_quantity: '0.3',
    fees: '1.05004',
  });
});

test('a fill seen before is skipped with its order state; a fill without trade_fee is refused alone', () => {
  expect(adapt([fill('{"percent":"0","flat_fees":[]}')], () => true).events).toEqual([]);
  const { refused } = adapt([fill('null')]);
  expect(refused).toEqual([{ index: 0, field: 'trade_fee', reason: 'schema: trade_fee must be an object' }]);
});

test('TRADEWATCH_HUMMINGBOT_* settings: defaults, a namespace, credentials kept out of errors', () => {
  expect(loadConfig({ env: { TRADEWATCH_SOURCE: 'hummingbot' } }).hummingbot).toEqual({
    mqttUrl: 'mqtt://127.0.0.1:1883',
    clientId: null,
    namespace: 'hbot',
  });
  expect(loadConfig({ env: { TRADEWATCH_HUMMINGBOT_NAMESPACE: 'prod/' } }).hummingbot.namespace).toBe('prod');
  const bad = () => loadConfig({ env: { TRADEWATCH_HUMMINGBOT_MQTT_URL: 'http://u:pw-9@broker' } });
  expect(bad).toThrow(ConfigError);
  expect(bad).not.toThrow(/pw-9/);
  expect(() => loadConfig({ env: { TRADEWATCH_HUMMINGBOT_NAMESPACE: 'a/+' } })).toThrow(
    /TRADEWATCH_HUMMINGBOT_NAMESPACE/,
  );
});
