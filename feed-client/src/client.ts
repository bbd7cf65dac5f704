/**
 * FeedClient: one WebSocket to the exporter's /feed, any number of subscriptions over it.
 * It applies snapshots and updates into a map per subscription, resubscribes on a sequence
 * gap, reconnects with exponential backoff and full jitter, and says in words why it is not
 * live. Browser-safe: only WebSocket, fetch, URL, setTimeout and TextDecoder are used.
 */
import {
  APPEND_ONLY_CHANNELS,
  CLOSE,
  PROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
  rowIdentity,
  rowKey,
  type Channel,
  type FeedFilter,
  type ServerMessage,
  type SnapshotMessage,
  type UpdateMessage,
} from '@tradewatch/feed-protocol';
import type {
  ChannelView,
  ConnectionState,
  FeedClientApi,
  FeedClientOptions,
  FeedProblem,
  Unsubscribe,
  WebSocketFactory,
  WebSocketLike,
} from './types';

const OPEN = 1;
const DEFAULTS = { initialMs: 500, maxMs: 30_000, heartbeatTimeoutMs: 30_000 };

/** Counters a caller (or a test) can read to see what the client had to do. */
export interface FeedClientStats {
  /** Sequence gaps seen (each led to a resubscription). */
  gaps: number;
  snapshots: number;
  updates: number;
  /** Connections opened after the first. */
  reconnects: number;
}

interface Subscription {
  channel: Channel;
  filter: FeedFilter;
  /** Sent as `sub` when a channel has more than one filter on this connection. */
  wireId: string | undefined;
  listeners: Set<(view: ChannelView<unknown>) => void>;
  rows: Map<string, unknown>;
  /** The seq the next update must carry; null until a snapshot arrives. */
  nextSeq: number | null;
  lastSeq: number;
}

export interface FeedClientExtraOptions {
  /** Called with every server `error` message (a bad filter, a rejected op…). */
  onServerError?: (message: { message: string; code?: string }) => void;
  /** How the client learns why an upgrade was refused (defaults to the global fetch). */
  fetch?: (
    url: string,
    init: { headers: Record<string, string> },
  ) => Promise<{ status: number; json(): Promise<unknown> }>;
  /** For tests: a deterministic random source for the jitter. */
  random?: () => number;
}

export class FeedClient implements FeedClientApi {
  readonly stats: FeedClientStats = { gaps: 0, snapshots: 0, updates: 0, reconnects: 0 };
  private readonly options: FeedClientOptions & FeedClientExtraOptions;
  private readonly createSocket: WebSocketFactory;
  private readonly subs = new Map<string, Subscription>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private socket: WebSocketLike | null = null;
  private current: ConnectionState = { status: 'connecting', attempt: 0 };
  private attempt = 0;
  private everLive = false;
  private staleSince: number | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private closedByUser = false;
  private wireIds = 0;

  constructor(options: FeedClientOptions & FeedClientExtraOptions) {
    this.options = options;
    const globalWs = (globalThis as { WebSocket?: new (url: string, protocols: string[]) => WebSocketLike })
      .WebSocket;
    const factory =
      options.createSocket ??
      (globalWs ? (url: string, protocols: string[]) => new globalWs(url, protocols) : undefined);
    if (!factory)
      throw new Error('no WebSocket in this environment: pass createSocket (e.g. built on the ws package)');
    this.createSocket = factory;
    this.open();
  }

  get state(): ConnectionState {
    return this.current;
  }

  onState(listener: (state: ConnectionState) => void): Unsubscribe {
    this.stateListeners.add(listener);
    return () => {
      this.stateListeners.delete(listener);
    };
  }

  subscribe<Row>(
    channel: Channel,
    filter: FeedFilter,
    listener: (view: ChannelView<Row>) => void,
  ): Unsubscribe {
    const clean = cleanFilter(filter);
    const key = `${channel}\u0000${JSON.stringify(clean)}`;
    let sub = this.subs.get(key);
    const untyped = listener as (view: ChannelView<unknown>) => void;
    if (!sub) {
      const channelTaken = [...this.subs.values()].some((s) => s.channel === channel);
      sub = {
        channel,
        filter: clean,
        wireId: channelTaken ? `${channel}.${++this.wireIds}` : undefined,
        listeners: new Set(),
        rows: new Map(),
        nextSeq: null,
        lastSeq: 0,
      };
      this.subs.set(key, sub);
      sub.listeners.add(untyped);
      this.sendSubscribe(sub);
    } else {
      sub.listeners.add(untyped);
      // Joining a subscription that already has its rows: hand them over as a snapshot.
      if (sub.nextSeq !== null)
        untyped({
          channel,
          rows: sub.rows,
          upserts: [...sub.rows.values()],
          removed: [],
          fromSnapshot: true,
          seq: sub.lastSeq,
        });
    }
    const owned = sub;
    return () => {
      owned.listeners.delete(untyped);
      if (owned.listeners.size > 0 || this.subs.get(key) !== owned) return;
      this.subs.delete(key);
      this.send({ op: 'unsubscribe', channel, ...(owned.wireId ? { sub: owned.wireId } : {}) });
    };
  }

  close(): void {
    if (this.closedByUser) return;
    this.closedByUser = true;
    this.clearTimers();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      detach(socket);
      try {
        socket.close(1000, 'client closed');
      } catch {
        // already closing
      }
    }
    this.setState({ status: 'closed' });
  }

  // ---- connection ------------------------------------------------------------------

  private open(): void {
    if (this.closedByUser) return;
    const protocols = [PROTOCOL];
    if (this.options.token) protocols.push(TOKEN_PROTOCOL_PREFIX + this.options.token);
    let socket: WebSocketLike;
    let upgradeError: string | undefined;
    try {
      socket = this.createSocket(this.options.url, protocols);
    } catch (err) {
      // A malformed URL throws synchronously; nothing will ever connect.
      this.fail(
        {
          kind: 'unreachable',
          message: `cannot reach the feed at ${this.options.url}: ${(err as Error).message}`,
        },
        false,
      );
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      if (socket.protocol !== PROTOCOL) {
        detach(socket);
        socket.close(1002, 'subprotocol not agreed');
        this.socket = null;
        this.fail(
          {
            kind: 'protocol',
            message: `the server at ${this.options.url} did not agree to the ${PROTOCOL} subprotocol (got "${socket.protocol}"); is this a tradewatch exporter?`,
          },
          true,
        );
        return;
      }
      if (this.everLive) this.stats.reconnects += 1;
      this.everLive = true;
      this.attempt = 0;
      this.staleSince = null;
      this.setState({ status: 'live', since: Date.now() });
      this.armIdleTimer();
      const pingEvery = Math.max(1000, Math.min(10_000, Math.floor(this.heartbeatTimeoutMs() / 3)));
      this.pingTimer = setInterval(() => this.send({ op: 'ping', ts: Date.now() }), pingEvery);
      for (const sub of this.subs.values()) {
        sub.nextSeq = null;
        this.sendSubscribe(sub);
      }
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      this.armIdleTimer();
      this.handle(ev.data);
    };
    socket.onerror = (ev) => {
      // `ws` in Node says why an upgrade was refused ("Unexpected server response: 401").
      const message =
        (ev as { message?: string; error?: { message?: string } })?.message ??
        (ev as { error?: { message?: string } })?.error?.message;
      if (message) upgradeError = message;
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (!opened) {
        void this.explainRefusal(upgradeError).then((problem) => this.fail(problem, true));
        return;
      }
      const normal = ev.code === CLOSE.normal.code || ev.code === CLOSE.shutdown.code;
      const problem: FeedProblem | undefined =
        normal && ev.code === CLOSE.shutdown.code
          ? {
              kind: 'closed-by-server',
              message: `the feed at ${this.options.url} is restarting (${ev.code}${ev.reason ? ' ' + ev.reason : ''}); reconnecting`,
            }
          : normal
            ? undefined
            : {
                kind: 'closed-by-server',
                message: `the feed at ${this.options.url} closed the connection: ${ev.code}${ev.reason ? ' ' + ev.reason : ''}`,
              };
      this.fail(problem, true);
    };
  }

  /** Not live: schedule the next attempt (backoff with full jitter) and say why. */
  private fail(problem: FeedProblem | undefined, retry: boolean): void {
    if (this.closedByUser) return;
    if (this.current.status === 'live') this.staleSince = Date.now();
    for (const sub of this.subs.values()) sub.nextSeq = null;
    if (!retry) {
      this.setState({
        status: 'reconnecting',
        attempt: this.attempt,
        staleSince: this.staleSince,
        ...(problem ? { problem } : {}),
      });
      return;
    }
    this.attempt += 1;
    const initial = this.options.backoff?.initialMs ?? DEFAULTS.initialMs;
    const max = this.options.backoff?.maxMs ?? DEFAULTS.maxMs;
    const ceiling = Math.min(max, initial * 2 ** Math.min(this.attempt - 1, 30));
    const delay = Math.floor((this.options.random ?? Math.random)() * ceiling);
    this.setState({
      status: 'reconnecting',
      attempt: this.attempt,
      staleSince: this.staleSince,
      ...(problem ? { problem } : {}),
    });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delay);
  }

  /** A browser cannot read the status of a refused upgrade: ask the exporter's probe. */
  private async explainRefusal(upgradeError: string | undefined): Promise<FeedProblem> {
    const url = this.options.url;
    const direct = upgradeError ? /Unexpected server response: (\d{3})/.exec(upgradeError) : null;
    if (direct) return problemFor(url, Number(direct[1]), undefined, Boolean(this.options.token));
    if (upgradeError && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT/.test(upgradeError)) {
      return {
        kind: 'unreachable',
        message: `cannot reach the feed at ${url}: ${upgradeError} (is the exporter running?)`,
      };
    }
    const fetcher = this.options.fetch ?? (globalThis as { fetch?: FeedClientExtraOptions['fetch'] }).fetch;
    if (!fetcher) return { kind: 'unreachable', message: `cannot reach the feed at ${url}` };
    try {
      const res = await fetcher(probeUrl(url), {
        headers: this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {},
      });
      let detail: string | undefined;
      try {
        const body = (await res.json()) as { error?: unknown };
        if (typeof body?.error === 'string') detail = body.error;
      } catch {
        // not JSON
      }
      return problemFor(url, res.status, detail, Boolean(this.options.token));
    } catch {
      return {
        kind: 'unreachable',
        message: `cannot reach the feed at ${url}: no answer (is the exporter running, and reachable from here?)`,
      };
    }
  }

  private heartbeatTimeoutMs(): number {
    return this.options.heartbeatTimeoutMs ?? DEFAULTS.heartbeatTimeoutMs;
  }

  private armIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      // Nothing heard (not even a heartbeat): the peer or the path is dead.
      const socket = this.socket;
      if (!socket) return;
      this.socket = null;
      detach(socket);
      try {
        socket.close(4000, 'heartbeat timeout');
      } catch {
        // ignore
      }
      this.clearTimers();
      this.fail(
        {
          kind: 'unreachable',
          message: `the feed at ${this.options.url} went silent for ${this.heartbeatTimeoutMs()} ms; reconnecting`,
        },
        true,
      );
    }, this.heartbeatTimeoutMs());
  }

  private clearTimers(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.idleTimer = null;
    this.pingTimer = null;
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    for (const l of [...this.stateListeners]) l(state);
  }

  private send(message: object): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private sendSubscribe(sub: Subscription): void {
    sub.nextSeq = null;
    this.send({
      op: 'subscribe',
      channel: sub.channel,
      filter: sub.filter,
      ...(sub.wireId ? { sub: sub.wireId } : {}),
    });
  }

  // ---- messages --------------------------------------------------------------------

  private handle(data: unknown): void {
    let message: ServerMessage;
    try {
      const text =
        typeof data === 'string'
          ? data
          : data instanceof ArrayBuffer
            ? new TextDecoder().decode(data)
            : String(data);
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'snapshot':
        this.applySnapshot(message);
        break;
      case 'update':
        this.applyUpdate(message);
        break;
      case 'error':
        this.options.onServerError?.({
          message: message.message,
          ...(message.code ? { code: message.code } : {}),
        });
        break;
      default:
        break; // heartbeats only keep the idle timer armed
    }
  }

  private findSub(channel: Channel, wireId: string | undefined): Subscription | undefined {
    for (const s of this.subs.values()) if (s.channel === channel && s.wireId === wireId) return s;
    return undefined;
  }

  private applySnapshot(m: SnapshotMessage): void {
    const sub = this.findSub(m.channel, m.sub);
    if (!sub) return;
    this.stats.snapshots += 1;
    sub.rows = new Map(m.rows.map((r) => [rowKey(m.channel, r), r]));
    sub.nextSeq = m.seq + 1;
    sub.lastSeq = m.seq;
    this.emit(sub, {
      channel: m.channel,
      rows: sub.rows,
      upserts: m.rows,
      removed: [],
      fromSnapshot: true,
      seq: m.seq,
    });
  }

  private applyUpdate(m: UpdateMessage): void {
    const sub = this.findSub(m.channel, m.sub);
    if (!sub || sub.nextSeq === null) return; // waiting for a snapshot
    const first = m.from_seq ?? m.seq;
    if (first !== sub.nextSeq) {
      // Something was lost: the rows may be wrong. Start over from a fresh snapshot.
      this.stats.gaps += 1;
      this.sendSubscribe(sub);
      return;
    }
    if (!m.removes.every(isIdentity)) {
      // A server older than identities (removes as bare ids): the rows cannot be told
      // apart safely, so take a fresh snapshot instead of guessing.
      this.sendSubscribe(sub);
      return;
    }
    this.stats.updates += 1;
    sub.nextSeq = m.seq + 1;
    sub.lastSeq = m.seq;
    for (const row of m.upserts) sub.rows.set(rowKey(m.channel, row), row);
    if (APPEND_ONLY_CHANNELS.has(m.channel)) {
      // Rows only arrive on these channels: keep the newest received (a Map iterates oldest first).
      const max = this.options.maxAppendRows ?? DEFAULT_MAX_APPEND_ROWS;
      for (const key of sub.rows.keys()) {
        if (sub.rows.size <= max) break;
        sub.rows.delete(key);
      }
    }
    const finals = new Map((m.closed ?? []).map((r) => [rowKey(m.channel, r), r]));
    const removed = m.removes.map((entry) => {
      const key = rowKey(m.channel, entry);
      const identity = rowIdentity(m.channel, entry);
      sub.rows.delete(key);
      const finalRow = finals.get(key);
      return finalRow === undefined ? { key, identity } : { key, identity, finalRow };
    });
    this.emit(sub, {
      channel: m.channel,
      rows: sub.rows,
      upserts: m.upserts,
      removed,
      fromSnapshot: false,
      seq: m.seq,
    });
  }

  private emit(sub: Subscription, view: ChannelView<unknown>): void {
    for (const l of [...sub.listeners]) l(view);
  }
}

const DEFAULT_MAX_APPEND_ROWS = 10_000;

function isIdentity(entry: unknown): boolean {
  return (
    typeof entry === 'object' && entry !== null && typeof (entry as { engine?: unknown }).engine === 'string'
  );
}

function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onerror = null;
  socket.onclose = null;
}

function cleanFilter(filter: FeedFilter | undefined): FeedFilter {
  const out: FeedFilter = {};
  if (filter?.engine) out.engine = filter.engine;
  if (filter?.strategy) out.strategy = filter.strategy;
  if (filter?.symbol) out.symbol = filter.symbol;
  return out;
}

/** ws://host:9478/feed → http://host:9478/api/v1/feed/auth (a path prefix is kept). */
export function probeUrl(feedUrl: string): string {
  const u = new URL(feedUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = u.pathname.replace(/\/feed\/?$/, '') + '/api/v1/feed/auth';
  u.search = '';
  u.hash = '';
  return u.toString();
}

/** The problem a refused upgrade's status means, in words a user can act on. */
export function problemFor(
  url: string,
  status: number,
  detail: string | undefined,
  hasToken: boolean,
): FeedProblem {
  const at = `cannot reach the feed at ${url}: ${status}`;
  switch (status) {
    case 401:
      return {
        kind: 'unauthorized',
        status,
        message: hasToken ? `${at}, check the viewer token` : `${at}, a viewer token is required`,
      };
    case 403:
      return {
        kind: 'forbidden',
        status,
        message: `${at}, ${detail ?? 'this origin or token is not allowed (check TRADEWATCH_ALLOWED_ORIGINS and that the token is a viewer token)'}`,
      };
    case 429:
      return {
        kind: 'forbidden',
        status,
        message: `${at}, too many wrong tokens from this address; check the viewer token (retrying later)`,
      };
    case 503:
      return {
        kind: 'unreachable',
        status,
        message: `${at}, the exporter is at its connection limit (TRADEWATCH_FEED_MAX_CLIENTS) or not ready`,
      };
    case 404:
      return {
        kind: 'unreachable',
        status,
        message: `${at}, there is no tradewatch feed at this address; check the URL`,
      };
    case 200:
      return {
        kind: 'unreachable',
        message: `cannot reach the feed at ${url}: the token is accepted but the WebSocket upgrade failed (a proxy that does not pass WebSockets, or the connection limit)`,
      };
    default:
      return { kind: 'unreachable', status, message: `${at}${detail ? ', ' + detail : ''}` };
  }
}
