import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseDuration, unknownSettings } from './config';

describe('configuration', () => {
  it('has defaults a first run can use', () => {
    const c = loadConfig();
    expect(c.port).toBe(9478);
    expect(c.sources).toEqual(['demo']);
    expect(c.valuationCurrency).toBe('USD');
    expect(c.returnsPeriodMs).toBe(3_600_000);
    expect(c.periodsPerYear).toBe(8760);
    expect(c.windows.map((w) => w.name)).toEqual(['1d', '7d', '30d', 'all']);
    expect(c.maxBodyBytes).toBe(10 * 1024 * 1024);
  });

  it('takes a file, then TRADEWATCH_* variables, then flags (highest)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-config-'));
    const file = path.join(dir, 'tradewatch.yaml');
    writeFileSync(file, 'port: 9000\nvaluation_currency: eur\nreturns_period: 1d\nsource: none\n');
    const c = loadConfig({ file, env: { TRADEWATCH_PORT: '9100' }, flags: { 'periods-per-year': '365' } });
    expect(c.port).toBe(9100);
    expect(c.valuationCurrency).toBe('EUR');
    expect(c.returnsPeriodMs).toBe(86_400_000);
    expect(c.periodsPerYear).toBe(365);
    expect(c.sources).toEqual([]);
    expect(loadConfig({ file, env: { TRADEWATCH_PORT: '9100' }, flags: { port: '9200' } }).port).toBe(9200);
  });

  it('takes browser origins, a URL with a path (a Grafana root URL) standing for its origin', () => {
    const c = loadConfig({
      env: { TRADEWATCH_ALLOWED_ORIGINS: 'https://grafana.example.com/trading/,http://localhost:3000,' },
    });
    expect(c.allowedOrigins).toEqual(['https://grafana.example.com', 'http://localhost:3000']);
    for (const bad of ['https://u:p@grafana.example.com', 'https://g.example.com/?x=1', 'ws://g.example.com'])
      expect(() => loadConfig({ env: { TRADEWATCH_ALLOWED_ORIGINS: bad } })).toThrow(
        /TRADEWATCH_ALLOWED_ORIGINS/,
      );
  });

  it('parses named tokens and keeps secrets apart from names', () => {
    const c = loadConfig({
      env: { TRADEWATCH_INGEST_TOKENS: 'galfriday:abcdefghijklmnop1234, qrstuvwxyzABCDEF5678' },
    });
    expect(c.ingestTokens).toEqual([
      { name: 'galfriday', secret: 'abcdefghijklmnop1234' },
      { name: 'token2', secret: 'qrstuvwxyzABCDEF5678' },
    ]);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    [
      'a port that is not a number',
      { TRADEWATCH_PORT: 'abc' },
      /TRADEWATCH_PORT = "abc" is not valid: expected an integer port from 0 to 65535/,
    ],
    ['a port out of range', { TRADEWATCH_PORT: '70000' }, /TRADEWATCH_PORT = "70000"/],
    [
      'an unknown source',
      { TRADEWATCH_SOURCE: 'demo,kafka' },
      /TRADEWATCH_SOURCE = "demo,kafka" is not valid: expected a comma-separated list of demo, nats, replay, freqtrade, nautilus, hummingbot, or none/,
    ],
    [
      'a bad duration',
      { TRADEWATCH_RETURNS_PERIOD: 'hourly' },
      /TRADEWATCH_RETURNS_PERIOD = "hourly" is not valid: expected a duration of at least 1m, such as 1h or 1d/,
    ],
    [
      'a short token',
      { TRADEWATCH_VIEWER_TOKENS: 'short' },
      /TRADEWATCH_VIEWER_TOKENS = "short" is not valid: expected comma-separated tokens/,
    ],
    [
      'a token with a space',
      { TRADEWATCH_INGEST_TOKENS: 'name:has a space in it!!' },
      /TRADEWATCH_INGEST_TOKENS/,
    ],
    [
      'a bad origin',
      { TRADEWATCH_ALLOWED_ORIGINS: 'grafana.example.com' },
      /TRADEWATCH_ALLOWED_ORIGINS = "grafana.example.com" is not valid/,
    ],
    [
      'a bad log level',
      { TRADEWATCH_LOG_LEVEL: 'loud' },
      /TRADEWATCH_LOG_LEVEL = "loud" is not valid: expected fatal, error/,
    ],
    ['a tiny body limit', { TRADEWATCH_MAX_BODY_BYTES: '10' }, /TRADEWATCH_MAX_BODY_BYTES/],
    [
      'half of TLS',
      { TRADEWATCH_TLS_CERT: '/tmp/cert.pem' },
      /TRADEWATCH_TLS_CERT and TRADEWATCH_TLS_KEY must be set together/,
    ],
    ['replay without a file', { TRADEWATCH_SOURCE: 'replay' }, /TRADEWATCH_REPLAY_FILE is not set/],
    [
      'a returns period finer than 1m',
      { TRADEWATCH_RETURNS_PERIOD: '1ms' },
      /TRADEWATCH_RETURNS_PERIOD = "1ms" is not valid: expected a duration of at least 1m/,
    ],
    [
      'a window named twice',
      { TRADEWATCH_WINDOWS: '1d,1d' },
      /TRADEWATCH_WINDOWS = "1d,1d" is not valid: expected comma-separated distinct durations/,
    ],
    [
      'two windows of one length',
      { TRADEWATCH_WINDOWS: '1d,24h' },
      /TRADEWATCH_WINDOWS = "1d,24h" is not valid/,
    ],
    [
      'a port in exponent notation',
      { TRADEWATCH_PORT: '1e4' },
      /TRADEWATCH_PORT = "1e4" is not valid: expected an integer port/,
    ],
    ['a port in hex', { TRADEWATCH_PORT: '0x4C14' }, /TRADEWATCH_PORT = "0x4C14" is not valid/],
    [
      'more samples than memory allows',
      { TRADEWATCH_RETURNS_PERIOD: '1m', TRADEWATCH_WINDOWS: '365d' },
      /keeps more than 100000 equity samples per engine/,
    ],
    [
      'a cap of zero',
      { TRADEWATCH_MAX_SYMBOLS: '0' },
      /TRADEWATCH_MAX_SYMBOLS = "0" is not valid: expected an integer from 1/,
    ],
  ];
  it.each(bad)('refuses %s, naming the setting, the value and what is accepted', (_name, env, message) => {
    expect(() => loadConfig({ env })).toThrow(ConfigError);
    expect(() => loadConfig({ env })).toThrow(message);
  });

  it('names a flag by its flag and a file setting by its file', () => {
    expect(() => loadConfig({ flags: { port: '-1' } })).toThrow(/--port = "-1" is not valid/);
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-config-'));
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'prot: 9000\n');
    expect(() => loadConfig({ file })).toThrow(/c.yaml: unknown setting "prot"/);
    writeFileSync(file, 'port: [1, 2\n');
    expect(() => loadConfig({ file })).toThrow(/not valid YAML or JSON/);
    expect(() => loadConfig({ file: path.join(dir, 'missing.yaml') })).toThrow(/cannot read the config file/);
  });

  // Issue 25, item 10: settings that were accepted and then lost data quietly or never worked.
  const cannotWork: [string, Record<string, string>, RegExp][] = [
    [
      'a Gal Friday engine name longer than events may carry',
      { TRADEWATCH_GALFRIDAY_ENGINE: 'g'.repeat(200) },
      /TRADEWATCH_GALFRIDAY_ENGINE = "g+" is not valid: expected the engine name \(1 to 128 characters\)/,
    ],
    ['a demo engine name too long', { TRADEWATCH_DEMO_ENGINE: 'd'.repeat(129) }, /TRADEWATCH_DEMO_ENGINE/],
    [
      'a history retention that deletes what it writes',
      { TRADEWATCH_HISTORY_RETENTION: '1ms' },
      /TRADEWATCH_HISTORY_RETENTION = "1ms" is not valid: expected a duration of at least 1d/,
    ],
    ['a retention of hours', { TRADEWATCH_HISTORY_RETENTION: '23h' }, /TRADEWATCH_HISTORY_RETENTION/],
    [
      'a system schema',
      { TRADEWATCH_HISTORY_SCHEMA: 'pg_catalog' },
      /TRADEWATCH_HISTORY_SCHEMA = "pg_catalog" is not valid: .*not a system schema/,
    ],
    ['a pg_ schema', { TRADEWATCH_HISTORY_SCHEMA: 'pg_mine' }, /TRADEWATCH_HISTORY_SCHEMA/],
    ['information_schema', { TRADEWATCH_HISTORY_SCHEMA: 'information_schema' }, /TRADEWATCH_HISTORY_SCHEMA/],
    [
      'a replay file that does not exist',
      { TRADEWATCH_SOURCE: 'replay', TRADEWATCH_REPLAY_FILE: '/nonexistent/events.jsonl' },
      /TRADEWATCH_REPLAY_FILE=\/nonexistent\/events.jsonl does not exist/,
    ],
    [
      'a replay file that is a directory',
      { TRADEWATCH_SOURCE: 'replay', TRADEWATCH_REPLAY_FILE: tmpdir() },
      /TRADEWATCH_REPLAY_FILE=.* is not a file/,
    ],
    [
      'a stream name with a dot',
      { TRADEWATCH_NATS_STREAM: 'trade.watch' },
      /TRADEWATCH_NATS_STREAM = "trade.watch" is not valid: expected a JetStream stream name/,
    ],
    ['a stream name with a space', { TRADEWATCH_NATS_STREAM: 'trade watch' }, /TRADEWATCH_NATS_STREAM/],
    ['a durable name with a wildcard', { TRADEWATCH_NATS_DURABLE: 'exporter-*' }, /TRADEWATCH_NATS_DURABLE/],
    ['a durable name with a slash', { TRADEWATCH_NATS_DURABLE: 'a/b' }, /TRADEWATCH_NATS_DURABLE/],
  ];
  it.each(cannotWork)('refuses %s at start, naming the setting', (_name, env, message) => {
    expect(() => loadConfig({ env })).toThrow(ConfigError);
    expect(() => loadConfig({ env })).toThrow(message);
  });

  it('accepts what does work: an engine of 128 characters, 1d of history, public, a replay file that exists', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-config-'));
    const file = path.join(dir, 'events.jsonl');
    writeFileSync(file, '');
    const c = loadConfig({
      env: {
        TRADEWATCH_GALFRIDAY_ENGINE: 'g'.repeat(128),
        TRADEWATCH_HISTORY_RETENTION: '1d',
        TRADEWATCH_HISTORY_SCHEMA: 'public',
        TRADEWATCH_SOURCE: 'replay',
        TRADEWATCH_REPLAY_FILE: file,
        TRADEWATCH_NATS_STREAM: 'TRADEWATCH_2',
        TRADEWATCH_NATS_DURABLE: 'exporter-a',
      },
    });
    expect(c.galfriday.engine).toHaveLength(128);
    expect(c.history).toMatchObject({ retentionMs: 86_400_000, schema: 'public' });
    expect(c.nats).toMatchObject({ stream: 'TRADEWATCH_2', durable: 'exporter-a' });
  });

  it('names each unknown TRADEWATCH_* variable with the closest setting', () => {
    expect(
      unknownSettings({
        TRADEWATCH_PORT: '1',
        TRADEWATCH_MAX_SERIE: '5',
        TRADEWATCH_HISTORY_RETENTON: '1d',
        TRADEWATCH_CONFIG: 'x.yaml',
        TRADEWATCH_ALERT_EMAIL: 'a@b',
        HOME: '/root',
      }),
    ).toEqual([
      'TRADEWATCH_HISTORY_RETENTON is not a setting of the exporter and is ignored; did you mean TRADEWATCH_HISTORY_RETENTION?',
      'TRADEWATCH_MAX_SERIE is not a setting of the exporter and is ignored; did you mean TRADEWATCH_MAX_SERIES?',
    ]);
  });

  it('takes freqtrade bots: URLs without credentials, a username and password, a poll interval under the rate limit', () => {
    const env = {
      TRADEWATCH_SOURCE: 'demo,freqtrade',
      TRADEWATCH_FREQTRADE_URL: 'http://127.0.0.1:8080/, https://bots.example/ft2',
      TRADEWATCH_FREQTRADE_USERNAME: 'freqtrader',
      TRADEWATCH_FREQTRADE_PASSWORD: 'pa55',
    };
    const config = loadConfig({ env });
    expect(config.sources).toEqual(['demo', 'freqtrade']);
    expect(config.freqtrade).toEqual({
      urls: ['http://127.0.0.1:8080', 'https://bots.example/ft2'],
      usernames: ['freqtrader'],
      passwords: ['pa55'],
      wsToken: null,
      pollMs: 5000,
      balanceMs: 30_000,
    });
    expect(() => loadConfig({ env: { TRADEWATCH_SOURCE: 'freqtrade' } })).toThrow(
      /TRADEWATCH_FREQTRADE_URL is not set/,
    );
    expect(() => loadConfig({ env: { ...env, TRADEWATCH_FREQTRADE_PASSWORD: '' } })).toThrow(
      /TRADEWATCH_FREQTRADE_USERNAME and TRADEWATCH_FREQTRADE_PASSWORD are not both set/,
    );
    expect(() => loadConfig({ env: { ...env, TRADEWATCH_FREQTRADE_POLL_INTERVAL: '2s' } })).toThrow(
      /TRADEWATCH_FREQTRADE_POLL_INTERVAL = "2s" is not valid: expected a duration from 5s/,
    );
    expect(() =>
      loadConfig({ env: { ...env, TRADEWATCH_FREQTRADE_URL: 'http://a:8080,http://a:8080' } }),
    ).toThrow(/TRADEWATCH_FREQTRADE_URL/);
    // A password may hold a comma: a string is never split.
    expect(loadConfig({ env: { ...env, TRADEWATCH_FREQTRADE_PASSWORD: 'a,b' } }).freqtrade.passwords).toEqual(
      ['a,b'],
    );
    // Per bot, from the config file: one per URL, in the same order.
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-ft-'));
    const file = path.join(dir, 'c.yaml');
    writeFileSync(
      file,
      'source: freqtrade\nfreqtrade_url: [http://127.0.0.1:8080, http://127.0.0.1:8081]\n' +
        'freqtrade_username: [alice, bob]\nfreqtrade_password: [pw-a, pw-b]\n',
    );
    expect(loadConfig({ file }).freqtrade).toMatchObject({
      usernames: ['alice', 'bob'],
      passwords: ['pw-a', 'pw-b'],
    });
    writeFileSync(
      file,
      'source: freqtrade\nfreqtrade_url: [http://a:1, http://b:2, http://c:3]\nfreqtrade_username: u\nfreqtrade_password: [x, y]\n',
    );
    expect(() => loadConfig({ file })).toThrow(
      /TRADEWATCH_FREQTRADE_PASSWORD lists 2 values for 3 TRADEWATCH_FREQTRADE_URL entries/,
    );
    // A URL with credentials in it is refused without repeating them.
    const withSecret = () =>
      loadConfig({ env: { ...env, TRADEWATCH_FREQTRADE_URL: 'http://freqtrader:hunter2@127.0.0.1:8080' } });
    expect(withSecret).toThrow(
      /TRADEWATCH_FREQTRADE_URL = \(hidden: it may hold a credential\) is not valid/,
    );
    expect(withSecret).not.toThrow(/hunter2/);
  });

  it('parses durations', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(() => parseDuration('0h')).toThrow();
  });
});
