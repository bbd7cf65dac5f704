/**
 * One validated, typed configuration from (lowest to highest precedence) defaults, a
 * YAML/JSON file, TRADEWATCH_* environment variables and CLI flags. A bad value stops the
 * start with a message naming the setting, the value and what is accepted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

export interface NamedToken {
  name: string;
  secret: string;
}

export type SourceName = 'demo' | 'nats' | 'replay' | 'none';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  sources: SourceName[];
  ingestTokens: NamedToken[];
  viewerTokens: NamedToken[];
  metricsToken: NamedToken | null;
  allowedOrigins: string[];
  /** Explicit operator consent to open ingest without a token. */
  allowAnonymousIngest: boolean;
  valuationCurrency: string;
  returnsPeriodMs: number;
  periodsPerYear: number;
  windows: { name: string; ms: number | null }[];
  maxBodyBytes: number;
  /** Events per second a single ingest token may post (burst: one second's worth × 2). */
  ingestRateLimit: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  demo: { seed: number; intervalMs: number; engine: string };
  nats: { url: string; subject: string; stream: string; durable: string };
  replay: { file: string | null; speed: number };
  tls: { cert: string | null; key: string | null };
  feed: {
    batchMs: number;
    heartbeatMs: number;
    maxClients: number;
    maxFrameBytes: number;
    maxBufferedBytes: number;
  };
  journal: { enabled: boolean; fsync: 'always' | 'batch' | 'never'; snapshotEvery: number };
  /** Gal Friday's own events (POST /api/v1/events?format=galfriday). */
  galfriday: { engine: string; fills: 'execution_report' | 'fill_event'; markIntervalMs: number };
  /** Trade history (fills, closed orders, round trips, alerts): SQLite in the data dir, or PostgreSQL at `url`. */
  history: { enabled: boolean; url: string | null; schema: string; retentionMs: number };
  /** Distinct values each label may take (DESIGN.md, "Bounds"); one more is refused with 422. */
  limits: CardinalityLimits;
}

export interface CardinalityLimits {
  engines: number;
  /** Per engine, as are the others. */
  symbols: number;
  strategies: number;
  currencies: number;
  components: number;
  riskLimits: number;
  venues: number;
}

type Raw = string | number | boolean | string[];

interface Setting {
  key: string;
  env: string;
  flag: string;
  accepts: string;
  parse(value: Raw): unknown;
}

const int =
  (min: number, max: number) =>
  (v: Raw): number => {
    // Plain decimal digits only: Number() would also take 1e4, 0x4C14 or 0b11.
    const text = String(v).trim();
    if (typeof v !== 'number' && !/^-?\d+$/.test(text)) throw new Error();
    const n = typeof v === 'number' ? v : Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error();
    return n;
  };
const num =
  (min: number, max: number) =>
  (v: Raw): number => {
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isFinite(n) || n < min || n > max) throw new Error();
    return n;
  };
const str = (v: Raw): string => {
  const s = String(v).trim();
  if (!s) throw new Error();
  return s;
};
const optionalStr = (v: Raw): string | null => (String(v).trim() === '' ? null : String(v).trim());
const bool = (v: Raw): boolean => {
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  throw new Error();
};
const list = (v: Raw): string[] =>
  (Array.isArray(v) ? v : String(v).split(',')).map((s) => String(s).trim()).filter(Boolean);
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: Raw): T => {
    const s = String(v).trim().toLowerCase();
    if (!values.includes(s as T)) throw new Error();
    return s as T;
  };

const TOKEN_SECRET = /^[A-Za-z0-9._~-]{16,256}$/;
const tokens = (v: Raw): NamedToken[] =>
  list(v).map((entry, i) => {
    const colon = entry.indexOf(':');
    const name = colon > 0 ? entry.slice(0, colon) : `token${i + 1}`;
    const secret = colon > 0 ? entry.slice(colon + 1) : entry;
    if (!TOKEN_SECRET.test(secret) || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new Error();
    return { name, secret };
  });

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };
export function parseDuration(v: string): number {
  const m = DURATION.exec(v.trim());
  if (!m || Number(m[1]) <= 0) throw new Error(`not a duration: ${v}`);
  return Number(m[1]) * UNIT_MS[m[2]];
}
const duration = (v: Raw): number => parseDuration(String(v));
/** The shortest returns period: a finer one samples more than the retention can hold. */
export const MIN_RETURNS_PERIOD_MS = 60_000;
const returnsPeriod = (v: Raw): number => {
  const ms = parseDuration(String(v));
  if (ms < MIN_RETURNS_PERIOD_MS) throw new Error();
  return ms;
};
const windows = (v: Raw) => {
  const names = list(v);
  if (names.length === 0 || new Set(names).size !== names.length) throw new Error();
  const parsed = names.map((w) => ({ name: w, ms: w === 'all' ? null : parseDuration(w) }));
  if (new Set(parsed.map((w) => w.ms)).size !== parsed.length) throw new Error();
  return parsed;
};
const sources = (v: Raw): SourceName[] => {
  const names = list(v).map((s) => oneOf(['demo', 'nats', 'replay', 'none'] as const)(s));
  if (names.length === 0) throw new Error();
  return names.includes('none') ? [] : [...new Set(names)];
};
const origin = (v: Raw): string[] =>
  list(v).map((o) => {
    const u = new URL(o);
    if (!/^https?:$/.test(u.protocol) || u.origin !== o.replace(/\/$/, '')) throw new Error();
    return u.origin;
  });

const SETTINGS: Setting[] = [
  {
    key: 'port',
    env: 'TRADEWATCH_PORT',
    flag: 'port',
    accepts: 'an integer port from 0 to 65535',
    parse: int(0, 65535),
  },
  {
    key: 'host',
    env: 'TRADEWATCH_HOST',
    flag: 'host',
    accepts: 'an address to listen on, e.g. 0.0.0.0 or 127.0.0.1',
    parse: str,
  },
  { key: 'dataDir', env: 'TRADEWATCH_DATA_DIR', flag: 'data-dir', accepts: 'a directory path', parse: str },
  {
    key: 'sources',
    env: 'TRADEWATCH_SOURCE',
    flag: 'source',
    accepts: 'a comma-separated list of demo, nats, replay, or none',
    parse: sources,
  },
  {
    key: 'ingestTokens',
    env: 'TRADEWATCH_INGEST_TOKENS',
    flag: 'ingest-tokens',
    accepts: 'comma-separated tokens (name:secret or secret; secrets of 16+ characters A-Z a-z 0-9 . _ ~ -)',
    parse: tokens,
  },
  {
    key: 'viewerTokens',
    env: 'TRADEWATCH_VIEWER_TOKENS',
    flag: 'viewer-tokens',
    accepts: 'comma-separated tokens (name:secret or secret; secrets of 16+ characters A-Z a-z 0-9 . _ ~ -)',
    parse: tokens,
  },
  {
    key: 'metricsToken',
    env: 'TRADEWATCH_METRICS_TOKEN',
    flag: 'metrics-token',
    accepts: 'one token (16+ characters A-Z a-z 0-9 . _ ~ -), or empty for an open /metrics',
    parse: (v) => (String(v).trim() === '' ? null : tokens(v)[0]),
  },
  {
    key: 'allowedOrigins',
    env: 'TRADEWATCH_ALLOWED_ORIGINS',
    flag: 'allowed-origins',
    accepts: 'comma-separated origins such as https://grafana.example.com',
    parse: origin,
  },
  {
    key: 'allowAnonymousIngest',
    env: 'TRADEWATCH_ALLOW_ANONYMOUS_INGEST',
    flag: 'allow-anonymous-ingest',
    accepts: 'true or false',
    parse: bool,
  },
  {
    key: 'valuationCurrency',
    env: 'TRADEWATCH_VALUATION_CURRENCY',
    flag: 'valuation-currency',
    accepts: 'a currency code such as USD',
    parse: (v) => {
      const s = str(v).toUpperCase();
      if (!/^[A-Z0-9._-]{1,32}$/.test(s)) throw new Error();
      return s;
    },
  },
  {
    key: 'returnsPeriodMs',
    env: 'TRADEWATCH_RETURNS_PERIOD',
    flag: 'returns-period',
    accepts: 'a duration of at least 1m, such as 1h or 1d',
    parse: returnsPeriod,
  },
  {
    key: 'periodsPerYear',
    env: 'TRADEWATCH_PERIODS_PER_YEAR',
    flag: 'periods-per-year',
    accepts: 'a positive number such as 8760 (hourly, 24/7) or 252 (daily, trading days)',
    parse: num(1e-9, 1e9),
  },
  {
    key: 'windows',
    env: 'TRADEWATCH_WINDOWS',
    flag: 'windows',
    accepts: 'comma-separated distinct durations or all, e.g. 1d,7d,30d,all',
    parse: windows,
  },
  {
    key: 'maxBodyBytes',
    env: 'TRADEWATCH_MAX_BODY_BYTES',
    flag: 'max-body-bytes',
    accepts: 'an integer number of bytes from 1024 to 1073741824',
    parse: int(1024, 1 << 30),
  },
  {
    key: 'ingestRateLimit',
    env: 'TRADEWATCH_INGEST_RATE_LIMIT',
    flag: 'ingest-rate-limit',
    accepts: 'events per second per token, a positive integer',
    parse: int(1, 1e9),
  },
  {
    key: 'logLevel',
    env: 'TRADEWATCH_LOG_LEVEL',
    flag: 'log-level',
    accepts: 'fatal, error, warn, info, debug, trace or silent',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  },
  {
    key: 'demo.seed',
    env: 'TRADEWATCH_DEMO_SEED',
    flag: 'demo-seed',
    accepts: 'an integer seed',
    parse: int(0, 2 ** 31 - 1),
  },
  {
    key: 'demo.intervalMs',
    env: 'TRADEWATCH_DEMO_INTERVAL_MS',
    flag: 'demo-interval-ms',
    accepts: 'milliseconds between demo ticks, 10 to 60000',
    parse: int(10, 60000),
  },
  {
    key: 'demo.engine',
    env: 'TRADEWATCH_DEMO_ENGINE',
    flag: 'demo-engine',
    accepts: 'an engine name',
    parse: str,
  },
  {
    key: 'nats.url',
    env: 'TRADEWATCH_NATS_URL',
    flag: 'nats-url',
    accepts: 'a NATS URL such as nats://127.0.0.1:4222',
    parse: (v) => {
      const s = str(v);
      if (!/^(nats|tls|ws|wss):\/\//.test(s)) throw new Error();
      return s;
    },
  },
  {
    key: 'nats.subject',
    env: 'TRADEWATCH_NATS_SUBJECT',
    flag: 'nats-subject',
    accepts: 'a NATS subject such as tradewatch.events.>',
    parse: str,
  },
  {
    key: 'nats.stream',
    env: 'TRADEWATCH_NATS_STREAM',
    flag: 'nats-stream',
    accepts: 'a JetStream stream name',
    parse: str,
  },
  {
    key: 'nats.durable',
    env: 'TRADEWATCH_NATS_DURABLE',
    flag: 'nats-durable',
    accepts: 'a durable consumer name (one per exporter replica)',
    parse: str,
  },
  {
    key: 'replay.file',
    env: 'TRADEWATCH_REPLAY_FILE',
    flag: 'replay-file',
    accepts: 'a path to a JSONL event file',
    parse: optionalStr,
  },
  {
    key: 'replay.speed',
    env: 'TRADEWATCH_REPLAY_SPEED',
    flag: 'replay-speed',
    accepts: 'a speed factor (1 = recorded speed) or 0 for as fast as possible',
    parse: num(0, 1e6),
  },
  {
    key: 'tls.cert',
    env: 'TRADEWATCH_TLS_CERT',
    flag: 'tls-cert',
    accepts: 'a path to a PEM certificate',
    parse: optionalStr,
  },
  {
    key: 'tls.key',
    env: 'TRADEWATCH_TLS_KEY',
    flag: 'tls-key',
    accepts: 'a path to a PEM private key',
    parse: optionalStr,
  },
  {
    key: 'feed.batchMs',
    env: 'TRADEWATCH_FEED_BATCH_MS',
    flag: 'feed-batch-ms',
    accepts: 'milliseconds between feed update batches, 10 to 5000',
    parse: int(10, 5000),
  },
  {
    key: 'feed.heartbeatMs',
    env: 'TRADEWATCH_FEED_HEARTBEAT_MS',
    flag: 'feed-heartbeat-ms',
    accepts: 'milliseconds between heartbeats, 1000 to 300000',
    parse: int(1000, 300000),
  },
  {
    key: 'feed.maxClients',
    env: 'TRADEWATCH_FEED_MAX_CLIENTS',
    flag: 'feed-max-clients',
    accepts: 'a positive integer',
    parse: int(1, 1e6),
  },
  {
    key: 'feed.maxFrameBytes',
    env: 'TRADEWATCH_FEED_MAX_FRAME_BYTES',
    flag: 'feed-max-frame-bytes',
    accepts: 'an integer number of bytes from 256 to 1048576',
    parse: int(256, 1 << 20),
  },
  {
    key: 'feed.maxBufferedBytes',
    env: 'TRADEWATCH_FEED_MAX_BUFFERED_BYTES',
    flag: 'feed-max-buffered-bytes',
    accepts: 'an integer number of bytes',
    parse: int(1024, 1 << 30),
  },
  {
    key: 'journal.fsync',
    env: 'TRADEWATCH_JOURNAL_FSYNC',
    flag: 'journal-fsync',
    accepts: 'always, batch or never',
    parse: oneOf(['always', 'batch', 'never'] as const),
  },
  {
    key: 'journal.snapshotEvery',
    env: 'TRADEWATCH_SNAPSHOT_EVERY',
    flag: 'snapshot-every',
    accepts: 'journaled events between snapshots, a positive integer',
    parse: int(1, 1e9),
  },
  {
    key: 'journal.enabled',
    env: 'TRADEWATCH_JOURNAL',
    flag: 'journal',
    accepts: 'true or false (false: nothing is kept across restarts)',
    parse: bool,
  },
  {
    key: 'history.enabled',
    env: 'TRADEWATCH_HISTORY',
    flag: 'history',
    accepts: 'true or false (false: no trade history is kept)',
    parse: bool,
  },
  {
    key: 'history.url',
    env: 'TRADEWATCH_HISTORY_URL',
    flag: 'history-url',
    accepts: 'a postgres:// or postgresql:// URL (empty: SQLite in the data dir)',
    parse: (v: Raw): string | null => {
      const s = optionalStr(v);
      if (s !== null && !/^postgres(ql)?:\/\//.test(s)) throw new Error();
      return s;
    },
  },
  {
    key: 'history.schema',
    env: 'TRADEWATCH_HISTORY_SCHEMA',
    flag: 'history-schema',
    accepts: 'a PostgreSQL schema name: lower-case letters, digits and _, not starting with a digit',
    parse: (v: Raw): string => {
      const s = str(v);
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(s)) throw new Error();
      return s;
    },
  },
  {
    key: 'history.retentionMs',
    env: 'TRADEWATCH_HISTORY_RETENTION',
    flag: 'history-retention',
    accepts: 'a duration such as 400d or 12w (rows older than this are deleted)',
    parse: (v: Raw): number => parseDuration(String(v)),
  },
  {
    key: 'galfriday.engine',
    env: 'TRADEWATCH_GALFRIDAY_ENGINE',
    flag: 'galfriday-engine',
    accepts: 'the engine name given to Gal Friday events that carry none',
    parse: str,
  },
  {
    key: 'galfriday.fills',
    env: 'TRADEWATCH_GALFRIDAY_FILLS',
    flag: 'galfriday-fills',
    accepts:
      'execution_report (fills derived from cumulative EXECUTION_REPORTs) or fill_event (from FILL events)',
    parse: oneOf(['execution_report', 'fill_event'] as const),
  },
  {
    key: 'galfriday.markIntervalMs',
    env: 'TRADEWATCH_GALFRIDAY_MARK_INTERVAL',
    flag: 'galfriday-mark-interval',
    accepts:
      'a duration such as 1s or 500ms: at most one mark per pair per interval of event time from L2 books',
    parse: duration,
  },
  {
    key: 'limits.engines',
    env: 'TRADEWATCH_MAX_ENGINES',
    flag: 'max-engines',
    accepts:
      'an integer from 1 to 100000: distinct engines; an event that would add one more is refused (422)',
    parse: int(1, 100000),
  },
  {
    key: 'limits.symbols',
    env: 'TRADEWATCH_MAX_SYMBOLS',
    flag: 'max-symbols',
    accepts:
      'an integer from 1 to 1000000: distinct symbols per engine; an event that would add one more is refused (422)',
    parse: int(1, 1000000),
  },
  {
    key: 'limits.strategies',
    env: 'TRADEWATCH_MAX_STRATEGIES',
    flag: 'max-strategies',
    accepts:
      'an integer from 1 to 100000: distinct strategies per engine; an event that would add one more is refused (422)',
    parse: int(1, 100000),
  },
  {
    key: 'limits.currencies',
    env: 'TRADEWATCH_MAX_CURRENCIES',
    flag: 'max-currencies',
    accepts:
      'an integer from 1 to 100000: distinct currencies per engine (balances and fees); an event that would add one more is refused (422)',
    parse: int(1, 100000),
  },
  {
    key: 'limits.components',
    env: 'TRADEWATCH_MAX_COMPONENTS',
    flag: 'max-components',
    accepts:
      'an integer from 1 to 100000: distinct health components per engine; an event that would add one more is refused (422)',
    parse: int(1, 100000),
  },
  {
    key: 'limits.riskLimits',
    env: 'TRADEWATCH_MAX_RISK_LIMITS',
    flag: 'max-risk-limits',
    accepts:
      'an integer from 1 to 100000: distinct risk limit names per engine; an event that would add one more is refused (422)',
    parse: int(1, 100000),
  },
  {
    key: 'limits.venues',
    env: 'TRADEWATCH_MAX_VENUES',
    flag: 'max-venues',
    accepts:
      'an integer from 1 to 100000: distinct venues per engine; an event that would add one more is refused (422)',
    parse: int(1, 100000),
  },
];

export function defaults(): Config {
  return {
    port: 9478,
    host: '0.0.0.0',
    dataDir: path.resolve('.tradewatch-data'),
    sources: ['demo'],
    ingestTokens: [],
    viewerTokens: [],
    metricsToken: null,
    allowedOrigins: [],
    allowAnonymousIngest: false,
    valuationCurrency: 'USD',
    returnsPeriodMs: 3.6e6,
    periodsPerYear: 8760,
    windows: [
      { name: '1d', ms: 8.64e7 },
      { name: '7d', ms: 6.048e8 },
      { name: '30d', ms: 2.592e9 },
      { name: 'all', ms: null },
    ],
    maxBodyBytes: 10 * 1024 * 1024,
    ingestRateLimit: 200_000,
    logLevel: 'info',
    demo: { seed: 42, intervalMs: 250, engine: 'demo' },
    nats: {
      url: 'nats://127.0.0.1:4222',
      subject: 'tradewatch.events.>',
      stream: 'TRADEWATCH',
      durable: 'tradewatch-exporter',
    },
    replay: { file: null, speed: 1 },
    tls: { cert: null, key: null },
    feed: {
      batchMs: 100,
      heartbeatMs: 10_000,
      maxClients: 5_000,
      maxFrameBytes: 64 * 1024,
      maxBufferedBytes: 4 * 1024 * 1024,
    },
    journal: { enabled: true, fsync: 'batch', snapshotEvery: 100_000 },
    galfriday: { engine: 'galfriday', fills: 'execution_report', markIntervalMs: 1000 },
    history: { enabled: true, url: null, schema: 'tradewatch', retentionMs: 400 * 8.64e7 },
    limits: {
      engines: 100,
      symbols: 5_000,
      strategies: 200,
      currencies: 1_000,
      components: 500,
      riskLimits: 200,
      venues: 500,
    },
  };
}

export interface ConfigInputs {
  env?: NodeJS.ProcessEnv;
  flags?: Record<string, string | boolean | undefined>;
  /** A config file path (also TRADEWATCH_CONFIG or --config). */
  file?: string;
}

export function loadConfig(inputs: ConfigInputs = {}): Config {
  const env = inputs.env ?? {};
  const flags = inputs.flags ?? {};
  const config = defaults();
  const assign = (s: Setting, value: Raw, origin: string) => {
    let parsed: unknown;
    try {
      parsed = s.parse(value);
    } catch {
      throw new ConfigError(`${origin} = ${JSON.stringify(value)} is not valid: expected ${s.accepts}.`);
    }
    setPath(config as unknown as Record<string, unknown>, s.key, parsed);
  };

  const file = (flags.config as string | undefined) ?? env.TRADEWATCH_CONFIG ?? inputs.file;
  if (file) {
    const values = readConfigFile(file);
    const known = new Map(SETTINGS.map((s) => [s.env.replace(/^TRADEWATCH_/, '').toLowerCase(), s]));
    for (const [name, value] of Object.entries(values)) {
      const s = known.get(name);
      if (!s) {
        throw new ConfigError(
          `${file}: unknown setting "${name}"; known settings are ${[...known.keys()].join(', ')}.`,
        );
      }
      assign(s, value as Raw, `${file}: ${name}`);
    }
  }
  for (const s of SETTINGS) if (env[s.env] !== undefined) assign(s, env[s.env] as string, s.env);
  for (const s of SETTINGS) {
    const v = flags[s.flag] ?? flags[camel(s.flag)];
    if (v !== undefined) assign(s, v as Raw, `--${s.flag}`);
  }
  config.dataDir = path.resolve(config.dataDir);
  if ((config.tls.cert === null) !== (config.tls.key === null)) {
    throw new ConfigError(
      'TRADEWATCH_TLS_CERT and TRADEWATCH_TLS_KEY must be set together (or both left unset).',
    );
  }
  const longestWindow = Math.max(...config.windows.map((w) => w.ms ?? 0));
  if (longestWindow / config.returnsPeriodMs > MAX_SAMPLES_KEPT) {
    throw new ConfigError(
      `TRADEWATCH_WINDOWS (longest ${longestWindow / 8.64e7} d) over TRADEWATCH_RETURNS_PERIOD keeps more than ${MAX_SAMPLES_KEPT} equity samples per engine: use a longer period or a shorter window.`,
    );
  }
  if (config.sources.includes('replay') && !config.replay.file) {
    throw new ConfigError(
      'TRADEWATCH_SOURCE includes replay, but TRADEWATCH_REPLAY_FILE is not set: name the JSONL file to replay.',
    );
  }
  return config;
}

/** Equity samples kept per engine for the finite windows (memory: about 50 bytes each). */
const MAX_SAMPLES_KEPT = 100_000;

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`the config file ${file} is not valid YAML or JSON: ${(err as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`the config file ${file} must hold a mapping of settings (e.g. "port: 9478").`);
  }
  return value as Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The settings table, for `tradewatch --help` and docs. */
export function describeSettings(): { env: string; flag: string; accepts: string }[] {
  return SETTINGS.map(({ env, flag, accepts }) => ({ env, flag: `--${flag}`, accepts }));
}
