/**
 * One validated, typed configuration from (lowest to highest precedence) defaults, a
 * YAML/JSON file, TRADEWATCH_* environment variables and CLI flags. A bad value stops the
 * start with a message naming the setting, the value and what is accepted.
 *
 * SCHEMA is the one description of the settings: the `Config` type is derived from it,
 * `tradewatch --help` lists it (describeSettings), and each setting's zod schema parses
 * its raw value and gives the error message from what it accepts.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isLabelName } from './events/schema';

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

export type SourceName = 'demo' | 'nats' | 'replay' | 'freqtrade' | 'nautilus' | 'hummingbot' | 'none';

type Raw = string | number | boolean | string[];

/**
 * One setting: where it is read from (a `TRADEWATCH_*` variable, a `--flag`, and in a
 * config file the variable's name without `TRADEWATCH_`, lower case), what it accepts
 * (the `--help` text and the error message say it) and the zod schema that turns a raw
 * value into the typed one.
 */
class Setting<T> {
  readonly env: string;
  readonly flag: string;
  readonly accepts: string;
  /** A credential (or a value that may hold one): an error about it never repeats the value. */
  readonly secret: boolean | ((value: Raw) => boolean);
  readonly schema: z.ZodType<T, Raw>;

  constructor(spec: {
    env: string;
    flag: string;
    accepts: string;
    secret?: boolean | ((value: Raw) => boolean);
    parse: (value: Raw) => T;
  }) {
    this.env = spec.env;
    this.flag = spec.flag;
    this.accepts = spec.accepts;
    this.secret = spec.secret ?? false;
    const { parse } = spec;
    this.schema = z.custom<Raw>().transform((value, ctx): T => {
      try {
        return parse(value);
      } catch {
        ctx.issues.push({ code: 'custom', message: `expected ${spec.accepts}`, input: value });
        return z.NEVER;
      }
    });
  }
}

function setting<T>(spec: {
  env: string;
  flag: string;
  accepts: string;
  secret?: boolean | ((value: Raw) => boolean);
  parse: (value: Raw) => T;
}): Setting<T> {
  return new Setting(spec);
}

/** A tree of settings; the configuration has its shape, each setting's value at its place. */
interface SchemaTree {
  readonly [key: string]: Setting<unknown> | SchemaTree;
}
type ValuesOf<T> = { -readonly [K in keyof T]: T[K] extends Setting<infer V> ? V : ValuesOf<T[K]> };

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
/** A duration within [min, max] ms. */
const durationIn =
  (min: number, max = Infinity) =>
  (v: Raw): number => {
    const ms = parseDuration(String(v));
    if (ms < min || ms > max) throw new Error();
    return ms;
  };
/** The shortest returns period: a finer one samples more than the retention can hold. */
export const MIN_RETURNS_PERIOD_MS = 60_000;
const returnsPeriod = durationIn(MIN_RETURNS_PERIOD_MS);
const windows = (v: Raw) => {
  const names = list(v);
  if (names.length === 0 || new Set(names).size !== names.length) throw new Error();
  const parsed = names.map((w) => ({ name: w, ms: w === 'all' ? null : parseDuration(w) }));
  if (new Set(parsed.map((w) => w.ms)).size !== parsed.length) throw new Error();
  return parsed;
};
const sources = (v: Raw): SourceName[] => {
  const names = list(v).map((s) =>
    oneOf(['demo', 'nats', 'replay', 'freqtrade', 'nautilus', 'hummingbot', 'none'] as const)(s),
  );
  if (names.length === 0) throw new Error();
  return names.includes('none') ? [] : [...new Set(names)];
};
/**
 * Credentials: one string for every bot, or (a YAML list in the config file) one per bot.
 * A string is never split: a password may hold a comma.
 */
const credentials = (v: Raw): string[] => {
  if (!Array.isArray(v)) return String(v).trim() === '' ? [] : [String(v)];
  const values = v.map((x) => String(x));
  if (values.length === 0 || values.some((x) => x.trim() === '')) throw new Error();
  return values;
};
/** freqtrade API base URLs: http(s), no credentials in them, no query; the trailing slash dropped. */
const apiUrls = (v: Raw): string[] => {
  const urls = list(v).map((o) => {
    const u = new URL(o);
    if (!/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash) throw new Error();
    return u.href.replace(/\/+$/, '');
  });
  if (new Set(urls).size !== urls.length) throw new Error();
  return urls;
};
/**
 * Browser origins. A URL with a path (Grafana's root URL, https://example.com/grafana/) stands
 * for its origin, all a browser sends; docker compose passes GRAFANA_ROOT_URL as it is.
 */
const origin = (v: Raw): string[] =>
  list(v).map((o) => {
    const u = new URL(o);
    if (!/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash) throw new Error();
    return u.origin;
  });

/** An engine name as events carry it (1-128 characters), so that events given it are not refused. */
const engineName = (v: Raw): string => {
  const s = str(v);
  if (!isLabelName(s)) throw new Error();
  return s;
};
/**
 * A JetStream stream or durable consumer name: NATS refuses whitespace, `.`, `*`, `>` and
 * path separators in them (they become subjects and directory names), and a refused name
 * would be retried for ever.
 */
const jetStreamName = (v: Raw): string => {
  const s = str(v);
  if (s.length > 255 || /[\s.*>/\\]/.test(s) || [...s].some((c) => c < ' ' || c === '\x7f'))
    throw new Error();
  return s;
};
/** The shortest history retention: a shorter one deletes the history as it is written. */
export const MIN_HISTORY_RETENTION_MS = 8.64e7;

const SCHEMA = {
  port: setting({
    env: 'TRADEWATCH_PORT',
    flag: 'port',
    accepts: 'an integer port from 0 to 65535',
    parse: int(0, 65535),
  }),
  host: setting({
    env: 'TRADEWATCH_HOST',
    flag: 'host',
    accepts: 'an address to listen on, e.g. 0.0.0.0 or 127.0.0.1',
    parse: str,
  }),
  dataDir: setting({ env: 'TRADEWATCH_DATA_DIR', flag: 'data-dir', accepts: 'a directory path', parse: str }),
  sources: setting({
    env: 'TRADEWATCH_SOURCE',
    flag: 'source',
    accepts: 'a comma-separated list of demo, nats, replay, freqtrade, nautilus, hummingbot, or none',
    parse: sources,
  }),
  ingestTokens: setting({
    env: 'TRADEWATCH_INGEST_TOKENS',
    flag: 'ingest-tokens',
    accepts: 'comma-separated tokens (name:secret or secret; secrets of 16+ characters A-Z a-z 0-9 . _ ~ -)',
    parse: tokens,
  }),
  viewerTokens: setting({
    env: 'TRADEWATCH_VIEWER_TOKENS',
    flag: 'viewer-tokens',
    accepts: 'comma-separated tokens (name:secret or secret; secrets of 16+ characters A-Z a-z 0-9 . _ ~ -)',
    parse: tokens,
  }),
  metricsToken: setting({
    env: 'TRADEWATCH_METRICS_TOKEN',
    flag: 'metrics-token',
    accepts: 'one token (16+ characters A-Z a-z 0-9 . _ ~ -), or empty for an open /metrics',
    parse: (v) => (String(v).trim() === '' ? null : tokens(v)[0]),
  }),
  grafana: {
    /** Where the exporter keeps the viewer token Grafana's feed data source reads ($__file{…}). */
    tokenFile: setting({
      env: 'TRADEWATCH_GRAFANA_TOKEN_FILE',
      flag: 'grafana-token-file',
      accepts: 'a file path (a volume Grafana also mounts), or empty for none',
      parse: optionalStr,
    }),
    /** That token, when the operator picks it (e.g. from .env); generated at first start otherwise. */
    viewerToken: setting({
      env: 'TRADEWATCH_GRAFANA_VIEWER_TOKEN',
      flag: 'grafana-viewer-token',
      accepts: 'one token (16+ characters A-Z a-z 0-9 . _ ~ -), or empty to generate one',
      parse: (v) => (String(v).trim() === '' ? null : tokens(`grafana:${String(v).trim()}`)[0].secret),
    }),
  },
  allowedOrigins: setting({
    env: 'TRADEWATCH_ALLOWED_ORIGINS',
    flag: 'allowed-origins',
    accepts:
      'comma-separated origins such as https://grafana.example.com (a URL with a path, such as a Grafana root URL, stands for its origin)',
    parse: origin,
  }),
  /** Explicit operator consent to open ingest without a token. */
  allowAnonymousIngest: setting({
    env: 'TRADEWATCH_ALLOW_ANONYMOUS_INGEST',
    flag: 'allow-anonymous-ingest',
    accepts: 'true or false',
    parse: bool,
  }),
  valuationCurrency: setting({
    env: 'TRADEWATCH_VALUATION_CURRENCY',
    flag: 'valuation-currency',
    accepts: 'a currency code such as USD',
    parse: (v) => {
      const s = str(v).toUpperCase();
      if (!/^[A-Z0-9._-]{1,32}$/.test(s)) throw new Error();
      return s;
    },
  }),
  returnsPeriodMs: setting({
    env: 'TRADEWATCH_RETURNS_PERIOD',
    flag: 'returns-period',
    accepts: 'a duration of at least 1m, such as 1h or 1d',
    parse: returnsPeriod,
  }),
  periodsPerYear: setting({
    env: 'TRADEWATCH_PERIODS_PER_YEAR',
    flag: 'periods-per-year',
    accepts: 'a positive number such as 8760 (hourly, 24/7) or 252 (daily, trading days)',
    parse: num(1e-9, 1e9),
  }),
  windows: setting({
    env: 'TRADEWATCH_WINDOWS',
    flag: 'windows',
    accepts: 'comma-separated distinct durations or all, e.g. 1d,7d,30d,all',
    parse: windows,
  }),
  maxBodyBytes: setting({
    env: 'TRADEWATCH_MAX_BODY_BYTES',
    flag: 'max-body-bytes',
    accepts: 'an integer number of bytes from 1024 to 1073741824',
    parse: int(1024, 1 << 30),
  }),
  /** Events per second a single ingest token may post (burst: one second's worth × 2). */
  ingestRateLimit: setting({
    env: 'TRADEWATCH_INGEST_RATE_LIMIT',
    flag: 'ingest-rate-limit',
    accepts: 'events per second per token, a positive integer',
    parse: int(1, 1e9),
  }),
  logLevel: setting({
    env: 'TRADEWATCH_LOG_LEVEL',
    flag: 'log-level',
    accepts: 'fatal, error, warn, info, debug, trace or silent',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  }),
  demo: {
    seed: setting({
      env: 'TRADEWATCH_DEMO_SEED',
      flag: 'demo-seed',
      accepts: 'an integer seed',
      parse: int(0, 2 ** 31 - 1),
    }),
    intervalMs: setting({
      env: 'TRADEWATCH_DEMO_INTERVAL_MS',
      flag: 'demo-interval-ms',
      accepts: 'milliseconds between demo ticks, 10 to 60000',
      parse: int(10, 60000),
    }),
    engine: setting({
      env: 'TRADEWATCH_DEMO_ENGINE',
      flag: 'demo-engine',
      accepts: 'an engine name (1 to 128 characters)',
      parse: engineName,
    }),
  },
  nats: {
    url: setting({
      env: 'TRADEWATCH_NATS_URL',
      flag: 'nats-url',
      accepts: 'a NATS URL such as nats://127.0.0.1:4222',
      parse: (v) => {
        const s = str(v);
        if (!/^(nats|tls|ws|wss):\/\//.test(s)) throw new Error();
        return s;
      },
    }),
    subject: setting({
      env: 'TRADEWATCH_NATS_SUBJECT',
      flag: 'nats-subject',
      accepts: 'a NATS subject such as tradewatch.events.>',
      parse: str,
    }),
    stream: setting({
      env: 'TRADEWATCH_NATS_STREAM',
      flag: 'nats-stream',
      accepts: 'a JetStream stream name (at most 255 characters, no whitespace, ., *, >, / or \\)',
      parse: jetStreamName,
    }),
    durable: setting({
      env: 'TRADEWATCH_NATS_DURABLE',
      flag: 'nats-durable',
      accepts:
        'a durable consumer name, one per exporter replica (at most 255 characters, no whitespace, ., *, >, / or \\)',
      parse: jetStreamName,
    }),
  },
  /** NautilusTrader's message bus in Redis streams (TRADEWATCH_SOURCE=nautilus; docs/integrations/nautilus.md). */
  nautilus: {
    redisUrl: setting({
      env: 'TRADEWATCH_NAUTILUS_REDIS_URL',
      flag: 'nautilus-redis-url',
      accepts:
        'a Redis URL such as redis://127.0.0.1:6379 (rediss:// for TLS; a password may be given in it)',
      secret: (v) => String(v).includes('@'),
      parse: (v) => {
        const u = new URL(str(v));
        if (!/^rediss?:$/.test(u.protocol) || !u.hostname) throw new Error();
        return u.href;
      },
    }),
    streams: setting({
      env: 'TRADEWATCH_NAUTILUS_STREAMS',
      flag: 'nautilus-streams',
      accepts:
        'a Redis key pattern (SCAN MATCH glob) naming the message bus streams, such as trader-* (the key starts with trader-{trader_id}: or {trader_id}:)',
      parse: (v) => {
        const s = str(v);
        if (s.length > 256 || /\s/.test(s)) throw new Error();
        return s;
      },
    }),
    traders: setting({
      env: 'TRADEWATCH_NAUTILUS_TRADERS',
      flag: 'nautilus-traders',
      accepts: 'a comma-separated list of trader ids to read (empty: every trader discovered)',
      parse: (v): string[] => {
        const ids = list(v);
        if (ids.some((id) => id.length > 128 || id.includes(':'))) throw new Error();
        return ids;
      },
    }),
    group: setting({
      env: 'TRADEWATCH_NAUTILUS_GROUP',
      flag: 'nautilus-group',
      accepts: 'a consumer group name (one per exporter that reads the streams)',
      parse: (v) => {
        const s = str(v);
        if (!/^[A-Za-z0-9._:-]{1,64}$/.test(s)) throw new Error();
        return s;
      },
    }),
    discoveryMs: setting({
      env: 'TRADEWATCH_NAUTILUS_DISCOVERY_INTERVAL',
      flag: 'nautilus-discovery-interval',
      accepts: 'a duration from 1s to 60s between scans for new trader streams',
      parse: durationIn(1000, 60_000),
    }),
    markIntervalMs: setting({
      env: 'TRADEWATCH_NAUTILUS_MARK_INTERVAL',
      flag: 'nautilus-mark-interval',
      accepts:
        'a duration from 1ms to 1h: quotes become at most one mark per symbol per this much event time',
      parse: durationIn(0, 3_600_000),
    }),
  },
  /** Hummingbot's MQTT bridge (TRADEWATCH_SOURCE=hummingbot; docs/integrations/hummingbot.md). */
  hummingbot: {
    mqttUrl: setting({
      env: 'TRADEWATCH_HUMMINGBOT_MQTT_URL',
      flag: 'hummingbot-mqtt-url',
      accepts: 'an MQTT URL such as mqtt://127.0.0.1:1883 (mqtts:// for TLS; credentials may be given in it)',
      secret: (v) => String(v).includes('@'),
      parse: (v) => {
        const u = new URL(str(v));
        if (!/^(mqtt|mqtts|ws|wss):$/.test(u.protocol) || !u.hostname) throw new Error();
        return u.href;
      },
    }),
    clientId: setting({
      env: 'TRADEWATCH_HUMMINGBOT_CLIENT_ID',
      flag: 'hummingbot-client-id',
      accepts:
        'the MQTT client id of the persistent session, one per exporter (empty: tradewatch-{namespace})',
      parse: (v): string | null => {
        const s = optionalStr(v);
        if (s !== null && !/^[A-Za-z0-9._-]{1,64}$/.test(s)) throw new Error();
        return s;
      },
    }),
    namespace: setting({
      env: 'TRADEWATCH_HUMMINGBOT_NAMESPACE',
      flag: 'hummingbot-namespace',
      accepts: "the bridge's mqtt_namespace (one topic level, no wildcards)",
      parse: (v) => {
        const s = str(v).replace(/\/+$/, '');
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(s)) throw new Error();
        return s;
      },
    }),
  },
  replay: {
    file: setting({
      env: 'TRADEWATCH_REPLAY_FILE',
      flag: 'replay-file',
      accepts: 'a path to a JSONL event file',
      parse: optionalStr,
    }),
    speed: setting({
      env: 'TRADEWATCH_REPLAY_SPEED',
      flag: 'replay-speed',
      accepts: 'a speed factor (1 = recorded speed) or 0 for as fast as possible',
      parse: num(0, 1e6),
    }),
  },
  tls: {
    cert: setting({
      env: 'TRADEWATCH_TLS_CERT',
      flag: 'tls-cert',
      accepts: 'a path to a PEM certificate',
      parse: optionalStr,
    }),
    key: setting({
      env: 'TRADEWATCH_TLS_KEY',
      flag: 'tls-key',
      accepts: 'a path to a PEM private key',
      parse: optionalStr,
    }),
  },
  feed: {
    batchMs: setting({
      env: 'TRADEWATCH_FEED_BATCH_MS',
      flag: 'feed-batch-ms',
      accepts: 'milliseconds between feed update batches, 10 to 5000',
      parse: int(10, 5000),
    }),
    heartbeatMs: setting({
      env: 'TRADEWATCH_FEED_HEARTBEAT_MS',
      flag: 'feed-heartbeat-ms',
      accepts: 'milliseconds between heartbeats, 1000 to 300000',
      parse: int(1000, 300000),
    }),
    maxClients: setting({
      env: 'TRADEWATCH_FEED_MAX_CLIENTS',
      flag: 'feed-max-clients',
      accepts: 'a positive integer',
      parse: int(1, 1e6),
    }),
    maxFrameBytes: setting({
      env: 'TRADEWATCH_FEED_MAX_FRAME_BYTES',
      flag: 'feed-max-frame-bytes',
      accepts: 'an integer number of bytes from 256 to 1048576',
      parse: int(256, 1 << 20),
    }),
    maxBufferedBytes: setting({
      env: 'TRADEWATCH_FEED_MAX_BUFFERED_BYTES',
      flag: 'feed-max-buffered-bytes',
      accepts: 'an integer number of bytes',
      parse: int(1024, 1 << 30),
    }),
  },
  journal: {
    fsync: setting({
      env: 'TRADEWATCH_JOURNAL_FSYNC',
      flag: 'journal-fsync',
      accepts: 'always, batch or never',
      parse: oneOf(['always', 'batch', 'never'] as const),
    }),
    snapshotEvery: setting({
      env: 'TRADEWATCH_SNAPSHOT_EVERY',
      flag: 'snapshot-every',
      accepts: 'journaled events between snapshots, a positive integer',
      parse: int(1, 1e9),
    }),
    enabled: setting({
      env: 'TRADEWATCH_JOURNAL',
      flag: 'journal',
      accepts: 'true or false (false: nothing is kept across restarts)',
      parse: bool,
    }),
  },
  /** Trade history (fills, closed orders, round trips, alerts): SQLite in the data dir, or PostgreSQL at `url`. */
  history: {
    enabled: setting({
      env: 'TRADEWATCH_HISTORY',
      flag: 'history',
      accepts: 'true or false (false: no trade history is kept)',
      parse: bool,
    }),
    url: setting({
      env: 'TRADEWATCH_HISTORY_URL',
      flag: 'history-url',
      accepts: 'a postgres:// or postgresql:// URL (empty: SQLite in the data dir)',
      parse: (v: Raw): string | null => {
        const s = optionalStr(v);
        if (s !== null && !/^postgres(ql)?:\/\//.test(s)) throw new Error();
        return s;
      },
    }),
    schema: setting({
      env: 'TRADEWATCH_HISTORY_SCHEMA',
      flag: 'history-schema',
      accepts:
        'a PostgreSQL schema name: lower-case letters, digits and _, not starting with a digit; not a system schema (pg_*, information_schema)',
      parse: (v: Raw): string => {
        const s = str(v);
        if (!/^[a-z_][a-z0-9_]{0,62}$/.test(s)) throw new Error();
        // PostgreSQL reserves pg_* and owns information_schema: tables there cannot be made.
        if (s.startsWith('pg_') || s === 'information_schema') throw new Error();
        return s;
      },
    }),
    retentionMs: setting({
      env: 'TRADEWATCH_HISTORY_RETENTION',
      flag: 'history-retention',
      accepts: 'a duration of at least 1d, such as 400d or 12w (rows older than this are deleted)',
      parse: durationIn(MIN_HISTORY_RETENTION_MS),
    }),
    maxPending: setting({
      env: 'TRADEWATCH_HISTORY_MAX_PENDING',
      flag: 'history-max-pending',
      accepts:
        'rows kept in memory for the history store, 100 to 100000000 (beyond, they are derived from the journal again)',
      parse: int(100, 1e8),
    }),
  },
  /** freqtrade bots polled over their REST API (TRADEWATCH_SOURCE=freqtrade; docs/integrations/freqtrade.md). */
  freqtrade: {
    urls: setting({
      env: 'TRADEWATCH_FREQTRADE_URL',
      flag: 'freqtrade-url',
      accepts:
        'comma-separated, distinct freqtrade API base URLs such as http://127.0.0.1:8080 (no credentials in them: use TRADEWATCH_FREQTRADE_USERNAME and _PASSWORD)',
      secret: (v) => String(v).includes('@'),
      parse: apiUrls,
    }),
    usernames: setting({
      env: 'TRADEWATCH_FREQTRADE_USERNAME',
      flag: 'freqtrade-username',
      accepts:
        "the api_server's username (one for all bots; in a config file, a list gives one per URL, in the same order)",
      parse: credentials,
    }),
    passwords: setting({
      env: 'TRADEWATCH_FREQTRADE_PASSWORD',
      flag: 'freqtrade-password',
      accepts:
        "the api_server's password (one for all bots; in a config file, a list gives one per URL, in the same order)",
      secret: true,
      parse: credentials,
    }),
    wsToken: setting({
      env: 'TRADEWATCH_FREQTRADE_WS_TOKEN',
      flag: 'freqtrade-ws-token',
      accepts: "one of the api_server's ws_token values (empty: poll only, no message WebSocket)",
      secret: true,
      parse: optionalStr,
    }),
    pollMs: setting({
      env: 'TRADEWATCH_FREQTRADE_POLL_INTERVAL',
      flag: 'freqtrade-poll-interval',
      accepts:
        'a duration from 5s to 5m between polls of /status and /health (freqtrade allows /status 20 times a minute; the source keeps 15 and leaves the rest to polls the message socket asks for)',
      parse: durationIn(5000, 300_000),
    }),
    balanceMs: setting({
      env: 'TRADEWATCH_FREQTRADE_BALANCE_INTERVAL',
      flag: 'freqtrade-balance-interval',
      accepts: 'a duration from 4s to 1h between polls of /balance and /profit',
      parse: durationIn(4000, 3_600_000),
    }),
  },
  /** Gal Friday's own events (POST /api/v1/events?format=galfriday). */
  galfriday: {
    engine: setting({
      env: 'TRADEWATCH_GALFRIDAY_ENGINE',
      flag: 'galfriday-engine',
      accepts: 'the engine name (1 to 128 characters) given to Gal Friday events that carry none',
      parse: engineName,
    }),
    fills: setting({
      env: 'TRADEWATCH_GALFRIDAY_FILLS',
      flag: 'galfriday-fills',
      accepts:
        'execution_report (fills derived from cumulative EXECUTION_REPORTs) or fill_event (from FILL events)',
      parse: oneOf(['execution_report', 'fill_event'] as const),
    }),
    markIntervalMs: setting({
      env: 'TRADEWATCH_GALFRIDAY_MARK_INTERVAL',
      flag: 'galfriday-mark-interval',
      accepts:
        'a duration such as 1s or 500ms: at most one mark per pair per interval of event time from L2 books',
      parse: duration,
    }),
  },
  /** Distinct values each label may take; one more is refused with 422. Per engine, except `engines` and `series`. */
  limits: {
    engines: setting({
      env: 'TRADEWATCH_MAX_ENGINES',
      flag: 'max-engines',
      accepts:
        'an integer from 1 to 100000: distinct engines; an event that would add one more is refused (422)',
      parse: int(1, 100000),
    }),
    symbols: setting({
      env: 'TRADEWATCH_MAX_SYMBOLS',
      flag: 'max-symbols',
      accepts:
        'an integer from 1 to 1000000: distinct symbols per engine; an event that would add one more is refused (422)',
      parse: int(1, 1000000),
    }),
    strategies: setting({
      env: 'TRADEWATCH_MAX_STRATEGIES',
      flag: 'max-strategies',
      accepts:
        'an integer from 1 to 100000: distinct strategies per engine; an event that would add one more is refused (422)',
      parse: int(1, 100000),
    }),
    currencies: setting({
      env: 'TRADEWATCH_MAX_CURRENCIES',
      flag: 'max-currencies',
      accepts:
        'an integer from 1 to 100000: distinct currencies per engine (balances and fees); an event that would add one more is refused (422)',
      parse: int(1, 100000),
    }),
    components: setting({
      env: 'TRADEWATCH_MAX_COMPONENTS',
      flag: 'max-components',
      accepts:
        'an integer from 1 to 100000: distinct health components per engine; an event that would add one more is refused (422)',
      parse: int(1, 100000),
    }),
    riskLimits: setting({
      env: 'TRADEWATCH_MAX_RISK_LIMITS',
      flag: 'max-risk-limits',
      accepts:
        'an integer from 1 to 100000: distinct risk limit names per engine; an event that would add one more is refused (422)',
      parse: int(1, 100000),
    }),
    series: setting({
      env: 'TRADEWATCH_MAX_SERIES',
      flag: 'max-series',
      accepts:
        'an integer from 1 to 100000000: trading series (strategy x symbol x side or status) across all engines; an event that would add one more is refused (422)',
      parse: int(1, 100_000_000),
    }),
    venues: setting({
      env: 'TRADEWATCH_MAX_VENUES',
      flag: 'max-venues',
      accepts:
        'an integer from 1 to 100000: distinct venues per engine; an event that would add one more is refused (422)',
      parse: int(1, 100000),
    }),
  },
} satisfies SchemaTree;

/** The configuration: one value per setting of SCHEMA, in its shape. */
export type Config = ValuesOf<typeof SCHEMA>;
/** Distinct values each label may take (docs/architecture.md, "Bounds"); one more is refused with 422. */
export type CardinalityLimits = Config['limits'];

/** Every setting with its place in the tree, in the order of SCHEMA (the order of `--help`). */
function settingsOf(
  tree: SchemaTree,
  at: readonly string[] = [],
): { path: string[]; setting: Setting<unknown> }[] {
  return Object.entries(tree).flatMap(([key, node]) =>
    node instanceof Setting ? [{ path: [...at, key], setting: node }] : settingsOf(node, [...at, key]),
  );
}
const SETTINGS = settingsOf(SCHEMA);

export function defaults(): Config {
  return {
    port: 9478,
    host: '0.0.0.0',
    dataDir: path.resolve('.tradewatch-data'),
    sources: ['demo'],
    ingestTokens: [],
    viewerTokens: [],
    metricsToken: null,
    grafana: { tokenFile: null, viewerToken: null },
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
    nautilus: {
      redisUrl: 'redis://127.0.0.1:6379',
      streams: 'trader-*',
      traders: [],
      group: 'tradewatch',
      discoveryMs: 10_000,
      markIntervalMs: 1000,
    },
    hummingbot: { mqttUrl: 'mqtt://127.0.0.1:1883', clientId: null, namespace: 'hbot' },
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
    freqtrade: { urls: [], usernames: [], passwords: [], wsToken: null, pollMs: 5000, balanceMs: 30_000 },
    galfriday: { engine: 'galfriday', fills: 'execution_report', markIntervalMs: 1000 },
    history: {
      enabled: true,
      url: null,
      schema: 'tradewatch',
      retentionMs: 400 * 8.64e7,
      // About 0.8 KB a row: 100,000 rows hold about 80 MB while the store is down (docs/history.md).
      maxPending: 100_000,
    },
    limits: {
      engines: 100,
      symbols: 5_000,
      strategies: 200,
      currencies: 1_000,
      components: 500,
      riskLimits: 200,
      venues: 500,
      series: 100_000,
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
  /** The value each setting takes, by env name: the last given wins (file, then env, then flags). */
  const given = new Map<string, unknown>();
  const assign = (s: Setting<unknown>, value: Raw, origin: string) => {
    const parsed = s.schema.safeParse(value);
    if (!parsed.success)
      throw new ConfigError(
        `${origin} = ${(typeof s.secret === 'function' ? s.secret(value) : s.secret) ? '(hidden: it may hold a credential)' : JSON.stringify(value)} is not valid: expected ${s.accepts}.`,
      );
    given.set(s.env, parsed.data);
  };

  const file = (flags.config as string | undefined) ?? env.TRADEWATCH_CONFIG ?? inputs.file;
  if (file) {
    const values = readConfigFile(file);
    const known = new Map(
      SETTINGS.map(({ setting: s }) => [s.env.replace(/^TRADEWATCH_/, '').toLowerCase(), s]),
    );
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
  for (const { setting: s } of SETTINGS) if (env[s.env] !== undefined) assign(s, env[s.env] as string, s.env);
  for (const { setting: s } of SETTINGS) {
    const v = flags[s.flag] ?? flags[camel(s.flag)];
    if (v !== undefined) assign(s, v as Raw, `--${s.flag}`);
  }
  const config = valuesOf(SCHEMA, defaults(), given);
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
  if (config.sources.includes('replay') && config.replay.file) {
    const problem = fileProblem(config.replay.file);
    if (problem) throw new ConfigError(`TRADEWATCH_REPLAY_FILE=${config.replay.file} ${problem}.`);
  }
  if (config.sources.includes('freqtrade')) {
    if (config.freqtrade.urls.length === 0)
      throw new ConfigError(
        'TRADEWATCH_SOURCE includes freqtrade, but TRADEWATCH_FREQTRADE_URL is not set: name the API base URL of each bot, e.g. http://127.0.0.1:8080.',
      );
    for (const [name, list] of [
      ['TRADEWATCH_FREQTRADE_USERNAME', config.freqtrade.usernames],
      ['TRADEWATCH_FREQTRADE_PASSWORD', config.freqtrade.passwords],
    ] as const)
      if (list.length > 1 && list.length !== config.freqtrade.urls.length)
        throw new ConfigError(
          `${name} lists ${list.length} values for ${config.freqtrade.urls.length} TRADEWATCH_FREQTRADE_URL entries: give one for all bots, or one per URL in the same order.`,
        );
    if (config.freqtrade.usernames.length === 0 || config.freqtrade.passwords.length === 0)
      throw new ConfigError(
        'TRADEWATCH_SOURCE includes freqtrade, but TRADEWATCH_FREQTRADE_USERNAME and TRADEWATCH_FREQTRADE_PASSWORD are not both set: give the api_server credentials.',
      );
  }
  return config;
}

/** Why a path is not a readable file, or null. */
function fileProblem(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return 'is not a file';
    accessSync(file, constants.R_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`;
  }
}

/** Variables of other tradewatch tools that may share the exporter's environment. */
const OTHER_TOOLS = /^TRADEWATCH_(CONFIG|ALERT_[A-Z0-9_]+|TEST_[A-Z0-9_]+)$/;

/**
 * TRADEWATCH_* variables the exporter does not know, each with the closest setting it does
 * (a misspelt setting would otherwise be ignored quietly). Warnings, not errors: the Gal
 * Friday bridge and the README's examples read TRADEWATCH_INGEST_TOKEN and TRADEWATCH_URL
 * from the same environment.
 */
export function unknownSettings(env: NodeJS.ProcessEnv): string[] {
  const known = SETTINGS.map(({ setting: s }) => s.env);
  const out: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('TRADEWATCH_') || known.includes(name) || OTHER_TOOLS.test(name)) continue;
    const closest = known.reduce((best, k) => (editDistance(name, k) < editDistance(name, best) ? k : best));
    out.push(`${name} is not a setting of the exporter and is ignored; did you mean ${closest}?`);
  }
  return out;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
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

/** The tree's values: each setting's given value, or its default. */
function valuesOf<T extends SchemaTree>(
  tree: T,
  fallback: ValuesOf<T>,
  given: ReadonlyMap<string, unknown>,
): ValuesOf<T> {
  const out: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(tree)) {
    const otherwise = (fallback as Record<string, unknown>)[key];
    out[key] =
      node instanceof Setting
        ? given.has(node.env)
          ? given.get(node.env)
          : otherwise
        : valuesOf(node, otherwise as ValuesOf<SchemaTree>, given);
  }
  return out as ValuesOf<T>;
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The settings table, for `tradewatch --help` and docs. */
export function describeSettings(): { env: string; flag: string; accepts: string }[] {
  return SETTINGS.map(({ setting: { env, flag, accepts } }) => ({ env, flag: `--${flag}`, accepts }));
}
