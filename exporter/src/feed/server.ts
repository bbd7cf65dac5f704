/**
 * The /feed WebSocket endpoint: `ws` in noServer mode on the exporter's HTTP server. The
 * upgrade is authorized before the handshake (401/403/429/503 as plain HTTP answers); each
 * connection's messages are parsed at the edge; fan-out and slow clients are the hub's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CLOSE, PROTOCOL, type Channel, type HeartbeatMessage } from '@tradewatch/feed-protocol';
import type { Logger } from 'pino';
import type { TokenRegistry } from '../auth/tokens';
import type { HistoryStore } from '../history/store';
import type { ReadGate } from '../history/read-gate';
import type { Store } from '../state/store';
import { FILL_SNAPSHOT_TIMEOUT_MS, FillSnapshotCache, fillHistoryReader } from './fill-snapshot';
import { decide, readProtocols } from './gate';
import { FeedHub, type Member, type Peer } from './hub';
import { errorFrame, normalizeFilter, parseClientMessage, type ClientOp } from './protocol';
import { StreamConnection } from './stream';
import { parseStreamRequest } from './stream-request';
import { channelFilter } from './subscriptions';

export const FEED_PATH = '/feed';
/** The same feed as a streamed HTTP response (NDJSON), for paths that refuse upgrades. */
export const FEED_STREAM_PATH = '/feed/stream';

/** Bad messages tolerated per connection within a minute before it is closed (1008). */
const STRIKES = 10;
const STRIKE_WINDOW_MS = 60_000;
/** Messages per second a client may send (burst: twice that). */
const MESSAGE_RATE = 20;
const MAX_SUBSCRIPTIONS = 20;
/**
 * Subscribes a client may send while it is behind (more than the lag mark unsent) before it
 * is closed with 4003. A reconnecting client subscribes at most MAX_SUBSCRIPTIONS times at
 * once; one that keeps re-subscribing without reading is a bug or an attack.
 */
const MAX_SUBSCRIBES_BEHIND = MAX_SUBSCRIPTIONS * 2;

class Connection implements Peer {
  readonly kind = 'ws';
  readonly members = new Map<string, Member>();
  lastHeard: number;
  /** Subscribes received since the client was last seen caught up. */
  subscribesBehind = 0;
  private strikes: number[] = [];
  private allowance = MESSAGE_RATE * 2;
  private allowanceAt: number;

  constructor(
    readonly ws: WebSocket,
    readonly address: string,
    readonly tokenName: string,
    readonly origin: string | undefined,
    now: number,
    private readonly maxBufferedBytes: number,
  ) {
    this.lastHeard = now;
    this.allowanceAt = now;
  }

  /**
   * The per-client memory cap, at every send: a frame that would take what this client has
   * not read past maxBufferedBytes closes it (4002) instead of being queued. (One frame to a
   * client that has nothing pending always goes, however large.)
   */
  send(frame: Buffer | string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const pending = this.ws.bufferedAmount;
    if (pending > 0 && pending + Buffer.byteLength(frame) > this.maxBufferedBytes) {
      this.close(CLOSE.slow.code, CLOSE.slow.reason);
      return;
    }
    this.ws.send(frame, { binary: false });
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.close(code, reason);
    // A client that stopped reading never acknowledges the close: drop it after a grace.
    setTimeout(() => this.ws.terminate(), 5000).unref();
  }

  /** Counts a bad message; true when the client has used up its patience. */
  strike(now: number): boolean {
    this.strikes = this.strikes.filter((t) => now - t < STRIKE_WINDOW_MS);
    this.strikes.push(now);
    return this.strikes.length >= STRIKES;
  }

  /** Token bucket: false when the client sends faster than MESSAGE_RATE. */
  takeMessage(now: number): boolean {
    this.allowance = Math.min(
      MESSAGE_RATE * 2,
      this.allowance + ((now - this.allowanceAt) / 1000) * MESSAGE_RATE,
    );
    this.allowanceAt = now;
    if (this.allowance < 1) return false;
    this.allowance -= 1;
    return true;
  }
}

export interface FeedServerOptions {
  batchMs: number;
  heartbeatMs: number;
  maxClients: number;
  maxFrameBytes: number;
  maxBufferedBytes: number;
  allowedOrigins: readonly string[];
}

/** What the feed serves and checks against, given by the wiring (main.ts). */
export interface FeedServerDeps {
  store: Store;
  tokens: TokenRegistry;
  log: Logger;
  /** The trade history's store, for `fills` snapshots (absent or null when TRADEWATCH_HISTORY is off). */
  history?: HistoryStore | null;
  /** The bound on concurrent history reads (the read API and the feed share it). */
  historyReads?: ReadGate;
}

export class FeedServer {
  readonly hub: FeedHub;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection | StreamConnection>();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly unlisten: () => void;
  private pendingUpgrades = 0;
  private stopping = false;
  private readonly lagBytes: number;

  constructor(
    private readonly ctx: FeedServerDeps,
    private readonly options: FeedServerOptions,
  ) {
    // With a trade history, a `fills` snapshot is the last fills it holds (with their PnL),
    // read within the history's read bound and reused per filter.
    const fills = ctx.history
      ? new FillSnapshotCache(fillHistoryReader(ctx.history, FILL_SNAPSHOT_TIMEOUT_MS, ctx.historyReads))
      : null;
    this.lagBytes = Math.max(16 * 1024, Math.min(256 * 1024, Math.floor(options.maxBufferedBytes / 4)));
    this.hub = new FeedHub(ctx.store, {
      batchMs: options.batchMs,
      maxBufferedBytes: options.maxBufferedBytes,
      lagBytes: this.lagBytes,
      maxOwedKeys: 5_000,
      fillHistory: fills?.reader,
    });
    const unlistenHub = ctx.store.onChanges(this.hub.onChanges);
    const unlistenFills = fills ? ctx.store.onChanges(fills.observe) : () => undefined;
    this.unlisten = () => {
      unlistenHub();
      unlistenFills();
    };
    this.wss = new WebSocketServer({
      noServer: true,
      // Past our own limit (answered with an error message) a frame this big closes the connection (1009).
      maxPayload: options.maxFrameBytes * 4,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
    });
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.connections.size;
  }

  /** The upgrade handler for /feed. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    const decision = decide(
      {
        address,
        origin,
        host: req.headers.host,
        protocols:
          typeof req.headers['sec-websocket-protocol'] === 'string'
            ? req.headers['sec-websocket-protocol']
            : undefined,
        authorization: req.headers.authorization,
      },
      { tokens: this.ctx.tokens, allowedOrigins: this.options.allowedOrigins },
    );
    if (!decision.ok) {
      this.ctx.log.warn(
        { address, origin, status: decision.status, reason: decision.reason },
        `feed connection refused: ${decision.error}`,
      );
      return refuse(socket, decision.status, decision.error, decision.retryAfter);
    }
    if (this.stopping) {
      return refuse(socket, 503, 'the exporter is shutting down');
    }
    if (this.connections.size + this.pendingUpgrades >= this.options.maxClients) {
      this.ctx.log.warn(
        { address, token: decision.tokenName },
        'feed connection refused: TRADEWATCH_FEED_MAX_CLIENTS reached',
      );
      return refuse(
        socket,
        503,
        `the feed is at its limit of ${this.options.maxClients} connections (TRADEWATCH_FEED_MAX_CLIENTS)`,
      );
    }
    const { offered } = readProtocols(req.headers['sec-websocket-protocol'] as string | undefined);
    if (offered.length > 0 && !offered.includes(PROTOCOL)) {
      return refuse(socket, 400, `offer the subprotocol ${PROTOCOL}`);
    }
    // The slot is held until the handshake ends, whichever way: `ws` answers a bad key,
    // version or method with 400/405 (or drops a closed socket) without calling back.
    this.pendingUpgrades += 1;
    let held = true;
    const release = () => {
      if (held) this.pendingUpgrades -= 1;
      held = false;
    };
    socket.once('close', release);
    try {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        release();
        socket.off('close', release);
        this.accept(ws, address, decision.tokenName, origin);
      });
    } catch (err) {
      release();
      socket.destroy();
      this.ctx.log.warn({ address, err: (err as Error).message }, 'feed upgrade failed');
    }
  };

  /**
   * GET /feed/stream: the same gate as the upgrade (origin, then the viewer token, which
   * comes as `Authorization: Bearer`), the same connection limit, the same hub and
   * slow-client rules; the subscriptions come from the query string (stream-request.ts).
   */
  readonly handleStream = (req: IncomingMessage, res: ServerResponse): void => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    // The response ends the connection: a socket released from the per-address count
    // (server.ts) never carries another request.
    res.shouldKeepAlive = false;
    if (req.method !== 'GET') return answer(res, 405, `${FEED_STREAM_PATH} is read with GET`);
    const decision = decide(
      {
        address,
        origin,
        host: req.headers.host,
        protocols: undefined,
        authorization: req.headers.authorization,
      },
      { tokens: this.ctx.tokens, allowedOrigins: this.options.allowedOrigins },
    );
    if (!decision.ok) {
      this.ctx.log.warn(
        { address, origin, status: decision.status, reason: decision.reason },
        `feed stream refused: ${decision.error}`,
      );
      return answer(res, decision.status, decision.error, decision.retryAfter);
    }
    const request = parseStreamRequest(new URL(req.url ?? '/', 'http://stream.invalid').searchParams);
    if (!request.ok) return answer(res, 400, request.error);
    if (this.stopping) return answer(res, 503, 'the exporter is shutting down');
    if (this.connections.size + this.pendingUpgrades >= this.options.maxClients) {
      return answer(
        res,
        503,
        `the feed is at its limit of ${this.options.maxClients} connections (TRADEWATCH_FEED_MAX_CLIENTS)`,
      );
    }
    res.writeHead(200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Cache-Control': 'no-cache, no-store',
      'X-Content-Type-Options': 'nosniff',
      // nginx and the like would otherwise hold the lines back.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const conn = new StreamConnection(
      res,
      address,
      decision.tokenName,
      this.options.maxBufferedBytes,
      (code, reason) =>
        this.ctx.log.warn(
          { token_name: decision.tokenName, address, code, transport: 'stream' },
          `feed stream ended by the server: ${reason}`,
        ),
    );
    this.connections.add(conn);
    this.ctx.log.info(
      {
        token_name: decision.tokenName,
        address,
        origin,
        clients: this.connections.size,
        transport: 'stream',
      },
      'feed client connected',
    );
    res.on('close', () => {
      this.connections.delete(conn);
      for (const m of conn.members.values()) this.hub.unsubscribe(m);
      conn.members.clear();
      this.ctx.log.info(
        { token_name: decision.tokenName, address, clients: this.connections.size, transport: 'stream' },
        'feed client disconnected',
      );
    });
    for (const op of request.subscriptions) {
      const filter = channelFilter(op.channel, normalizeFilter(op.filter));
      conn.members.set(
        subscriptionId(op.channel, op.sub),
        this.hub.subscribe(conn, op.channel, filter, op.sub),
      );
    }
  };

  private accept(ws: WebSocket, address: string, tokenName: string, origin: string | undefined): void {
    const conn = new Connection(ws, address, tokenName, origin, Date.now(), this.options.maxBufferedBytes);
    this.connections.add(conn);
    this.ctx.log.info(
      { token_name: tokenName, address, origin, clients: this.connections.size },
      'feed client connected',
    );
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on('pong', () => (conn.lastHeard = Date.now()));
    ws.on('error', (err) =>
      this.ctx.log.debug({ token_name: tokenName, address, err: err.message }, 'feed socket error'),
    );
    ws.on('close', (code: number) => {
      this.connections.delete(conn);
      for (const m of conn.members.values()) this.hub.unsubscribe(m);
      conn.members.clear();
      this.ctx.log.info(
        { token_name: tokenName, address, code, clients: this.connections.size },
        'feed client disconnected',
      );
    });
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    const now = Date.now();
    conn.lastHeard = now;
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    let problem: { code: string; error: string } | null;
    if (!conn.takeMessage(now)) {
      problem = { code: 'rate_limited', error: `too many messages: at most ${MESSAGE_RATE} a second` };
    } else if (bytes > this.options.maxFrameBytes) {
      problem = {
        code: 'frame_too_large',
        error: `a frame of ${bytes} bytes exceeds the limit of ${this.options.maxFrameBytes} bytes (TRADEWATCH_FEED_MAX_FRAME_BYTES)`,
      };
    } else if (isBinary) {
      problem = { code: 'binary_frame', error: 'binary frames are not accepted: send JSON text' };
    } else {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
      const parsed = parseClientMessage(text);
      if (parsed.ok) problem = this.apply(conn, parsed.message);
      else problem = { code: parsed.code, error: parsed.error };
    }
    if (!problem) return;
    conn.send(errorFrame(problem.error, problem.code));
    if (conn.strike(now)) {
      this.ctx.log.warn(
        { token_name: conn.tokenName, address: conn.address },
        'feed client closed after repeated bad messages',
      );
      conn.close(CLOSE.abuse.code, CLOSE.abuse.reason);
    }
  }

  private apply(conn: Connection, op: ClientOp): { code: string; error: string } | null {
    switch (op.op) {
      case 'ping':
        conn.send(
          JSON.stringify({
            type: 'heartbeat',
            ts: Date.now(),
            ...(op.ts !== undefined ? { echo: op.ts } : {}),
          } satisfies HeartbeatMessage),
        );
        return null;
      case 'subscribe': {
        if (conn.bufferedAmount <= this.lagBytes) conn.subscribesBehind = 0;
        else if (++conn.subscribesBehind > MAX_SUBSCRIBES_BEHIND) {
          this.ctx.log.warn(
            { token_name: conn.tokenName, address: conn.address },
            'feed client closed: subscribing faster than it reads',
          );
          conn.close(CLOSE.resubscribing.code, CLOSE.resubscribing.reason);
          return null;
        }
        const id = subscriptionId(op.channel, op.sub);
        const existing = conn.members.get(id);
        if (!existing && conn.members.size >= MAX_SUBSCRIPTIONS) {
          return {
            code: 'too_many_subscriptions',
            error: `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection`,
          };
        }
        if (existing) this.hub.unsubscribe(existing);
        const filter = channelFilter(op.channel, normalizeFilter(op.filter));
        conn.members.set(id, this.hub.subscribe(conn, op.channel, filter, op.sub));
        return null;
      }
      case 'unsubscribe': {
        const id = subscriptionId(op.channel, op.sub);
        const existing = conn.members.get(id);
        if (!existing)
          return {
            code: 'not_subscribed',
            error: `not subscribed to ${op.channel}${op.sub ? ` (sub ${op.sub})` : ''}`,
          };
        this.hub.unsubscribe(existing);
        conn.members.delete(id);
        return null;
      }
    }
  }

  /** Heartbeats: one shared frame to every client, a ws ping, and the dead dropped. */
  private beat(): void {
    const now = Date.now();
    const frame = Buffer.from(JSON.stringify({ type: 'heartbeat', ts: now } satisfies HeartbeatMessage));
    for (const conn of this.connections) {
      if (conn.kind === 'stream') {
        // A stream cannot answer; a dead one is seen by its socket closing.
        conn.send(frame);
        continue;
      }
      if (now - conn.lastHeard > this.options.heartbeatMs * 2.5) {
        this.ctx.log.info({ token_name: conn.tokenName, address: conn.address }, 'feed client timed out');
        conn.close(CLOSE.heartbeat.code, CLOSE.heartbeat.reason);
        continue;
      }
      if (conn.bufferedAmount > this.options.maxBufferedBytes) {
        conn.close(CLOSE.slow.code, CLOSE.slow.reason);
        continue;
      }
      conn.send(frame);
      if (conn.ws.readyState === WebSocket.OPEN) conn.ws.ping();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    this.unlisten();
    this.hub.stop();
    for (const conn of this.connections) conn.close(CLOSE.shutdown.code, CLOSE.shutdown.reason);
    // Give close frames a moment to go out; the HTTP server's close then ends the rest.
    const deadline = Date.now() + 1000;
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const conn of this.connections) {
      if (conn.kind === 'ws') conn.ws.terminate();
    }
  }
}

function subscriptionId(channel: Channel, sub: string | undefined): string {
  return sub ? `${channel}#${sub}` : channel;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * A refusal's `Retry-After`: the limiter's wait for a 429 from the gate, else 10 s (a full
 * feed or a stopping exporter has no wait it can know).
 */
const DEFAULT_RETRY_AFTER_S = 10;

/** Answers a refused stream request: its status and a JSON body naming the problem. */
function answer(
  res: ServerResponse,
  status: number,
  error: string,
  retryAfter = DEFAULT_RETRY_AFTER_S,
): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...(status === 401 ? { 'WWW-Authenticate': 'Bearer realm="tradewatch"' } : {}),
    ...(status === 429 || status === 503 ? { 'Retry-After': String(retryAfter) } : {}),
  });
  res.end(body);
}

/** Answers a refused upgrade with a plain HTTP status and a JSON body naming the problem. */
function refuse(socket: Duplex, status: number, error: string, retryAfter = DEFAULT_RETRY_AFTER_S): void {
  const body = JSON.stringify({ error });
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(status === 401 ? ['WWW-Authenticate: Bearer realm="tradewatch"'] : []),
    ...(status === 429 || status === 503 ? [`Retry-After: ${retryAfter}`] : []),
  ];
  // Once written, the socket is closed whether or not the client closes its side (it no
  // longer counts against its address's socket limit once it asked to upgrade).
  socket.once('finish', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
