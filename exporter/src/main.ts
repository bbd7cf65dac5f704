/**
 * start(): load config → build the parts → listen. Data flows one way:
 * source → ingest service (decode, adapt, validate, journal) → state → metrics and feed.
 * The wiring is explicit: each part is given what it needs here, nothing plugs itself in.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config';
import { DataDirLockedError, lockDataDir, type DataDirLock } from './storage/data-dir-lock';
import { createLogger, type Logger } from './log';
import { Store } from './state/store';
import { Ingestor, type Journal } from './ingest/ingestor';
import { buildMetrics } from './metrics/collectors';
import { TokenRegistry, grafanaViewerToken, loadOrCreateTokens } from './auth/tokens';
import { createApp } from './http/app';
import { createIngestRoute, INGEST_PATH } from './http/ingest-route';
import { closeServer, createServer, listen } from './server';
import { DemoSource } from './sources/demo';
import { DurableJournal } from './storage/journal';
import { openHistory, type HistoryWriter } from './history';
import { galFridayAdapterFor } from './adapters/galfriday/wiring';
import { NatsSource } from './sources/nats';
import { FreqtradeSource, freqtradeAdapterFor, activeTradeIdsOf } from './adapters/freqtrade';
import { NautilusSource, nautilusAdapterFor } from './adapters/nautilus';
import { HummingbotSource, hummingbotAdapterFor } from './adapters/hummingbot';
import { LabeledCounter } from './state/common/counters';
import { ReplaySource } from './sources/replay';
import { FEED_PATH, FEED_STREAM_PATH, FeedServer } from './feed/server';
import { VERSION } from './version';
import { ReadGate } from './history/read-gate';

export interface Exporter {
  port: number;
  store: Store;
  ingestor: Ingestor;
  /** Tokens made on a first run (null when the operator configured tokens). */
  generated: { ingest: string; viewer: string } | null;
  /** The trade history's writer (null when TRADEWATCH_HISTORY is off). */
  history: HistoryWriter | null;
  stop(): Promise<void>;
}

export async function start(
  config: Config,
  options: { log?: Logger; journal?: Journal } = {},
): Promise<Exporter> {
  const log = options.log ?? createLogger(config.logLevel);
  const dataDir = `TRADEWATCH_DATA_DIR=${config.dataDir}`;
  settingMustWork(dataDir, 'cannot be made a directory', () =>
    mkdirSync(config.dataDir, { recursive: true }),
  );
  // One exporter per data dir; refused (naming the holder) before anything is read or written.
  const lock = settingMustWork(dataDir, 'cannot hold the exporter lock', () =>
    lockDataDir(config.dataDir, ({ holder, why }) =>
      log.warn({ dataDir: config.dataDir, holder }, `took over a stale data-dir lock: ${why}`),
    ),
  );
  try {
    return await startLocked(config, options, log, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(
  config: Config,
  options: { log?: Logger; journal?: Journal },
  log: Logger,
  lock: DataDirLock,
): Promise<Exporter> {
  const tokens = new TokenRegistry();
  let generated: Exporter['generated'] = null;
  if (config.ingestTokens.length === 0 && config.viewerTokens.length === 0) {
    const made = settingMustWork(
      `TRADEWATCH_DATA_DIR=${config.dataDir}`,
      'cannot keep the generated tokens',
      () => loadOrCreateTokens(config.dataDir),
    );
    generated = { ingest: made.ingest.secret, viewer: made.viewer.secret };
    tokens.add('ingest', [made.ingest]);
    tokens.add('viewer', [made.viewer]);
  } else {
    tokens.add('ingest', config.ingestTokens);
    tokens.add('viewer', config.viewerTokens);
  }
  if (config.metricsToken) tokens.add('metrics', [config.metricsToken]);
  // Grafana's feed data source: its viewer token, kept in a file its provisioning reads.
  if (config.grafana.tokenFile) {
    const file = config.grafana.tokenFile;
    const grafana = settingMustWork(
      `TRADEWATCH_GRAFANA_TOKEN_FILE=${file}`,
      'cannot hold the Grafana viewer token',
      () => grafanaViewerToken(file, config.grafana.viewerToken),
    );
    tokens.add('viewer', [grafana]);
    log.info({ file, token_name: grafana.name }, 'the viewer token for Grafana is in its file');
  }

  const stateOptions = {
    valuationCurrency: config.valuationCurrency,
    equity: {
      periodMs: config.returnsPeriodMs,
      retainMs: Math.max(0, ...config.windows.map((w) => w.ms ?? 0)),
    },
  };
  const store = new Store({
    ...stateOptions,
    onNotice: (n) =>
      log.warn({ engine: n.engine, kind: n.kind, subject: n.subject }, `accounting incomplete: ${n.message}`),
  });
  const journaled = !options.journal && config.journal.enabled;
  // The history listens before the journal replays, so rows the store lacks are written again.
  const history = openHistory(config, log, { journaled })?.attach(store) ?? null;
  // The state is restored (snapshot + journal) before anything listens or ingests.
  const lastSeen = new Map<string, number>();
  let durable: DurableJournal | null = null;
  if (journaled) {
    durable = await DurableJournal.open(store, {
      dir: path.join(config.dataDir, 'journal'),
      fsync: config.journal.fsync,
      snapshotEvery: config.journal.snapshotEvery,
      log,
      version: VERSION,
      lastSeen,
      // The journal keeps what the history lacks; a restart tells it where it was.
      follower: history ?? undefined,
    });
    // Rows the history let go are derived again from the journal, on a state of their own.
    history?.follow({ journal: durable, newState: () => new Store(stateOptions) });
  } else if (!options.journal) {
    log.warn('TRADEWATCH_JOURNAL is off: acknowledged events are not kept across restarts');
  }
  const ingestor = new Ingestor(store, log, options.journal ?? durable, lastSeen, config.limits);
  // Inside the ingest queue: the adapter reads cumulative fills as the previous batch left them.
  ingestor.addAdapter(
    'galfriday',
    galFridayAdapterFor(store, {
      engine: config.galfriday.engine,
      fills: config.galfriday.fills,
      markIntervalMs: config.galfriday.markIntervalMs,
    }),
  );
  ingestor.addAdapter('freqtrade', freqtradeAdapterFor(store));
  ingestor.addAdapter(
    'nautilus',
    nautilusAdapterFor(store, {
      valuationCurrency: config.valuationCurrency,
      markIntervalMs: config.nautilus.markIntervalMs,
    }),
  );
  ingestor.addAdapter('hummingbot', hummingbotAdapterFor(store));
  const sourceErrors = new LabeledCounter(); // source, reason
  const historyReads = new ReadGate();
  // The live feed (/feed and /feed/stream): its hub listens to the store's changes from now on.
  const feed = new FeedServer(
    { store, tokens, log, history: history?.store ?? null, historyReads },
    { ...config.feed, allowedOrigins: config.allowedOrigins },
  );
  let nats: NatsSource | null = null;
  const metrics = buildMetrics({
    store,
    stats: {
      rejected: ingestor.rejected,
      ingested: ingestor.ingested,
      feedClients: () => feed.clientCount,
      version: VERSION,
    },
    windows: { windows: config.windows, periodsPerYear: config.periodsPerYear },
    dataDir: config.dataDir,
    durability: { lastSeen, journal: durable, nats: () => nats },
    history: history?.stats,
    sourceErrors,
    onError: (collector, err) => log.error({ collector, err }, 'metrics collector failed'),
  });

  let ready = false;
  const app = createApp({
    config,
    store,
    ingestor,
    metrics,
    tokens,
    log,
    version: VERSION,
    blotterDir: path.resolve(__dirname, '..', '..', 'grafana-plugin', 'dist-standalone'),
    isReady: () => ready,
    history: history?.store ?? null,
    historyReads,
  });
  const stoppers: { stop(): Promise<void> }[] = [feed];
  const server = settingMustWork(
    `TRADEWATCH_TLS_CERT=${config.tls.cert} and TRADEWATCH_TLS_KEY=${config.tls.key}`,
    'cannot be loaded',
    () => {
      try {
        return createServer(app, config, { [FEED_PATH]: feed.handleUpgrade }, log, {
          streams: { [FEED_STREAM_PATH]: feed.handleStream },
          routes: [
            {
              method: 'POST',
              path: INGEST_PATH,
              handle: createIngestRoute({ config, ingestor, tokens, log }),
            },
          ],
        });
      } catch (err) {
        void feed.stop();
        throw err;
      }
    },
  );

  const port = await listen(server, config.port, config.host).catch((err: NodeJS.ErrnoException) => {
    for (const s of stoppers) void s.stop();
    throw new ConfigError(
      err.code === 'EADDRINUSE' || err.code === 'EACCES'
        ? `TRADEWATCH_PORT=${config.port} cannot be listened on at ${config.host}: ${err.message}`
        : `TRADEWATCH_HOST=${config.host} cannot be listened on (port ${config.port}): ${err.message}`,
    );
  });
  const scheme = config.tls.cert ? 'https' : 'http';
  log.info(
    { port, host: config.host, version: VERSION, sources: config.sources, dataDir: config.dataDir },
    `tradewatch exporter listening on ${scheme}://${config.host}:${port}`,
  );

  if (config.sources.includes('demo')) {
    const demo = new DemoSource(
      (events) => ingestor.ingest({ values: events }, 'demo'),
      config.demo,
      (message) => log.error({ source: 'demo' }, message),
    );
    demo.start();
    stoppers.push({ stop: async () => demo.stop() });
  }
  if (config.sources.includes('nats')) {
    const source = new NatsSource(config.nats, ingestor, log);
    nats = source;
    source.start();
    stoppers.push({ stop: () => source.stop() });
  }
  if (config.sources.includes('replay') && config.replay.file) {
    const replay = new ReplaySource({ file: config.replay.file, speed: config.replay.speed }, ingestor, log);
    void replay.start();
    stoppers.push({ stop: () => replay.stop() });
  }
  if (config.sources.includes('freqtrade')) {
    const source = new FreqtradeSource(
      {
        urls: config.freqtrade.urls,
        usernames: config.freqtrade.usernames,
        passwords: config.freqtrade.passwords,
        wsToken: config.freqtrade.wsToken,
        pollMs: config.freqtrade.pollMs,
        balanceMs: config.freqtrade.balanceMs,
      },
      ingestor,
      sourceErrors,
      (engine) => activeTradeIdsOf(store, engine),
      log,
    );
    source.start();
    stoppers.push({ stop: () => source.stop() });
  }
  if (config.sources.includes('nautilus')) {
    const source = new NautilusSource(
      {
        url: config.nautilus.redisUrl,
        streams: config.nautilus.streams,
        traders: config.nautilus.traders,
        group: config.nautilus.group,
        discoveryMs: config.nautilus.discoveryMs,
      },
      ingestor,
      sourceErrors,
      log,
    );
    source.start();
    stoppers.push({ stop: () => source.stop() });
  }
  if (config.sources.includes('hummingbot')) {
    const source = new HummingbotSource(
      {
        url: config.hummingbot.mqttUrl,
        namespace: config.hummingbot.namespace,
        clientId: config.hummingbot.clientId ?? `tradewatch-${config.hummingbot.namespace}`,
      },
      ingestor,
      sourceErrors,
      log,
    );
    source.start();
    stoppers.push({ stop: () => source.stop() });
  }
  ready = true;

  let stopping: Promise<void> | null = null;
  return {
    port,
    store,
    ingestor,
    generated,
    history,
    stop: () =>
      (stopping ??= (async () => {
        ready = false;
        for (const s of stoppers.reverse()) await s.stop();
        await closeServer(server);
        // What is queued reaches the store first, so the final snapshot finds nothing lacking.
        await history?.drain(5000);
        await durable?.close();
        await history?.close();
        lock.release();
        log.info('tradewatch exporter stopped');
      })()),
  };
}

/**
 * Start-up steps that fail on a setting's value (a data dir that is a file or read-only, a
 * missing TLS file, a host that is not ours): the error names the setting, not just an errno.
 */
function settingMustWork<T>(setting: string, what: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DataDirLockedError) throw err;
    throw new ConfigError(`${setting} ${what}: ${(err as Error).message}`, { cause: err });
  }
}
