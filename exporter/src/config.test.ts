import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseDuration } from './config';

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
      /TRADEWATCH_SOURCE = "demo,kafka" is not valid: expected a comma-separated list of demo, nats, replay, nautilus, hummingbot, or none/,
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

  it('parses durations', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(() => parseDuration('0h')).toThrow();
  });
});
