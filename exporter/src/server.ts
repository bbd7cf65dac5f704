/**
 * The HTTP(S) server around the app: WebSocket upgrades by path (the feed attaches here),
 * bounds on slow and idle sockets, and graceful shutdown.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import { ConfigError } from './config';
import { readDescriptors, socketBudget } from './descriptors';
import { SocketGuard } from './socket-guard';

export { SocketGuard } from './socket-guard';

export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
/** A long-lived streamed response (the feed's NDJSON stream), served before the express app. */
export type StreamHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
/** A hot route answered on the node:http listener, before (and instead of) express. */
export interface RawRoute {
  method: string;
  /** Lower case, no trailing slash; matched as express matches a path (any case, one trailing slash). */
  path: string;
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

/** What the server answers itself before express sees a request. */
export interface BeforeExpress {
  streams?: Record<string, StreamHandler>;
  routes?: readonly RawRoute[];
}

/** The path as a raw route is named: lower case, one trailing slash dropped. */
function routePath(pathname: string): string {
  const p = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  return p.toLowerCase();
}

/**
 * What a client may hold before it has made its request, so that slow or idle sockets
 * cannot take the file descriptors that /healthz, /metrics, ingest and the feed need.
 * Constants, not settings: generous for every real client (an engine, Prometheus, a
 * reverse proxy in front of the exporter keep a handful of connections each; a feed socket
 * stops counting once upgraded and is bounded by TRADEWATCH_FEED_MAX_CLIENTS). The total
 * the descriptor limit allows is read at start (descriptors.ts, socket-guard.ts).
 */
export const SOCKET_LIMITS = {
  /** Sockets one address may hold open that have not upgraded to the feed (requests, idle keep-alive, TLS handshakes). */
  perAddress: 128,
  /** The request line and headers must arrive within this (slowloris). */
  headersTimeoutMs: 10_000,
  /** The whole request, body included (bodies are at most TRADEWATCH_MAX_BODY_BYTES). */
  requestTimeoutMs: 60_000,
  /** An idle keep-alive socket is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** A TLS handshake must finish within this (node's default is 120 s). */
  tlsHandshakeTimeoutMs: 10_000,
  /** How often node enforces the two request timeouts (its default, 30 s, lets a slow socket live 40 s). */
  checkEveryMs: 1_000,
} as const;

export function createServer(
  app: Express,
  config: Config,
  upgrades: Record<string, UpgradeHandler>,
  log?: Pick<Logger, 'warn' | 'info'>,
  { streams = {}, routes = [] }: BeforeExpress = {},
  descriptors = readDescriptors(),
): http.Server {
  const options = { connectionsCheckingInterval: SOCKET_LIMITS.checkEveryMs };
  /**
   * A stream is to the per-address count what an upgraded feed socket is: it lives as long
   * as the client reads, and TRADEWATCH_FEED_MAX_CLIENTS bounds it, so it stops counting
   * here (its response closes the socket when it ends). A raw route answers its method and
   * path. Everything else goes to express.
   */
  const dispatch = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const pathname = (req.url ?? '/').split('?')[0];
    const stream = streams[pathname];
    if (stream) {
      guard.upgraded(req.socket);
      stream(req, res);
      return;
    }
    for (const route of routes)
      if (req.method === route.method && routePath(pathname) === route.path) return route.handle(req, res);
    app(req, res);
  };
  const server =
    config.tls.cert && config.tls.key
      ? https.createServer(
          {
            ...options,
            cert: readFileSync(config.tls.cert),
            key: readFileSync(config.tls.key),
            handshakeTimeout: SOCKET_LIMITS.tlsHandshakeTimeoutMs,
          },
          dispatch,
        )
      : http.createServer(options, dispatch);
  const budget = descriptors && socketBudget(descriptors.limit, descriptors.open);
  if (descriptors && !budget)
    throw new ConfigError(
      `the descriptor limit (ulimit -n ${descriptors.limit}, ${descriptors.open} open at start) leaves no room for connections: raise it (LimitNOFILE= under systemd, --ulimit nofile= under Docker)`,
    );
  if (budget && budget.maxSockets < config.feed.maxClients)
    log?.warn(
      { ...budget, feedMaxClients: config.feed.maxClients },
      'the descriptor limit allows fewer sockets than TRADEWATCH_FEED_MAX_CLIENTS: raise ulimit -n or lower the setting',
    );
  const guard = new SocketGuard(
    SOCKET_LIMITS.perAddress,
    {
      onAddressLimit: (address) =>
        log?.warn(
          { address, limit: SOCKET_LIMITS.perAddress },
          'connections refused: this address holds too many sockets that have made no request yet',
        ),
      onFull: (maxSockets) =>
        log?.warn(
          { maxSockets, descriptorLimit: budget?.limit },
          'the exporter holds as many sockets as its descriptor limit allows: idle ones are closed for new ones, and new ones refused when none is idle',
        ),
    },
    budget?.maxSockets,
  );
  server.on('connection', (socket: Socket) => {
    if (!guard.admit(socket)) socket.destroy();
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    guard.requestStarted(req.socket);
    res.once('close', () => guard.requestEnded(req.socket));
  });
  server.on('upgrade', (req, socket, head) => {
    guard.upgraded(req.socket);
    const pathname = (req.url ?? '/').split('?')[0];
    const handler = upgrades[pathname];
    if (handler) return handler(req, socket, head);
    // Once written, the socket is closed whether or not the client closes its side.
    socket.once('finish', () => socket.destroy());
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.headersTimeout = SOCKET_LIMITS.headersTimeoutMs;
  server.requestTimeout = SOCKET_LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = SOCKET_LIMITS.keepAliveTimeoutMs;
  return server;
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export function closeServer(server: http.Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
