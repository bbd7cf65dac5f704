/** The Nautilus source's settings (config.ts, TRADEWATCH_NAUTILUS_*). */
import { ConfigError, loadConfig } from '../../config';

describe('TRADEWATCH_NAUTILUS_* settings', () => {
  test('defaults: the local Redis, every trader- stream, a 10 s scan, one mark a second', () => {
    const c = loadConfig({ env: { TRADEWATCH_SOURCE: 'nautilus' } });
    expect(c.sources).toEqual(['nautilus']);
    expect(c.nautilus).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      streams: 'trader-*',
      traders: [],
      group: 'tradewatch',
      discoveryMs: 10_000,
      markIntervalMs: 1000,
    });
  });

  test('combined with other sources, traders listed, TLS Redis', () => {
    const c = loadConfig({
      env: {
        TRADEWATCH_SOURCE: 'nats,nautilus',
        TRADEWATCH_NAUTILUS_REDIS_URL: 'rediss://redis.internal:6380/2',
        TRADEWATCH_NAUTILUS_TRADERS: 'TRADER-001, TRADER-002',
        TRADEWATCH_NAUTILUS_DISCOVERY_INTERVAL: '60s',
      },
    });
    expect(c.sources).toEqual(['nats', 'nautilus']);
    expect(c.nautilus.redisUrl).toBe('rediss://redis.internal:6380/2');
    expect(c.nautilus.traders).toEqual(['TRADER-001', 'TRADER-002']);
    expect(c.nautilus.discoveryMs).toBe(60_000);
  });

  test('a bad URL is named without repeating a password it may hold', () => {
    const bad = () => loadConfig({ env: { TRADEWATCH_NAUTILUS_REDIS_URL: 'http://:s3cret-pw@redis:6379' } });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      /TRADEWATCH_NAUTILUS_REDIS_URL = \(hidden: it may hold a credential\) is not valid: expected a Redis URL/,
    );
    expect(bad).not.toThrow(/s3cret/);
  });

  test('a trader appears within a minute: the scan interval is 1 s to 60 s', () => {
    for (const v of ['500ms', '2m'])
      expect(() => loadConfig({ env: { TRADEWATCH_NAUTILUS_DISCOVERY_INTERVAL: v } })).toThrow(
        /TRADEWATCH_NAUTILUS_DISCOVERY_INTERVAL = "[^"]+" is not valid: expected a duration from 1s to 60s/,
      );
    expect(() => loadConfig({ env: { TRADEWATCH_NAUTILUS_GROUP: 'two words' } })).toThrow(
      /TRADEWATCH_NAUTILUS_GROUP/,
    );
  });
});
