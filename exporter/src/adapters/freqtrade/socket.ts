/**
 * freqtrade's message WebSocket (`/api/v1/message/ws?token=<ws_token>`, rpc/api_server/
 * api_ws.py): subscribe (`{"type":"subscribe","data":[…]}`) and listen. Entries, exits and
 * their fills and cancels make the bot poll at once (REST is the truth: these messages carry
 * no order ids and no fees); warnings, exceptions, protections and strategy messages go to
 * the ingest service as records. A dropped socket is opened again with a backoff; nothing
 * it said is needed for the figures, so nothing is lost while it is down.
 */
import WebSocket from 'ws';
import type { Logger } from '../../log';
import { Backoff } from '../../retry/backoff';
import { TRIGGER_MESSAGES } from './adapter';
import type { FreqtradeRecord } from './records';

/** What is subscribed: everything but the heavy, per-candle dataframes. */
export const SUBSCRIBED = [
  'entry',
  'entry_fill',
  'entry_cancel',
  'exit',
  'exit_fill',
  'exit_cancel',
  'protection_trigger',
  'protection_trigger_global',
  'warning',
  'exception',
  'startup',
  'status',
  'strategy_msg',
] as const;
const PASSED = new Set([
  'protection_trigger',
  'protection_trigger_global',
  'warning',
  'exception',
  'strategy_msg',
]);
const IGNORED = new Set(['startup', 'status', 'whitelist', 'new_candle', 'analyzed_df']);

const MAX_FRAME_BYTES = 1 << 20;

export interface SocketDeps {
  engine(): string | null;
  trigger(slow?: boolean): void;
  ingest(records: FreqtradeRecord[]): Promise<boolean>;
  error(reason: string): void;
  log: Logger;
  label(): string;
}

export class MessageSocket {
  private ws: WebSocket | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** From 1 s to 30 s between attempts to open the socket. */
  private readonly backoff = new Backoff({ initialMs: 1000, maxMs: 30_000 });
  private logged = new Set<string>();

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly deps: SocketDeps,
  ) {}

  start(): void {
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.terminate();
  }

  private once(reason: string, message: string): void {
    this.deps.error(reason);
    if (this.logged.has(reason)) return;
    this.logged.add(reason);
    this.deps.log.warn(
      { source: 'freqtrade', bot: this.deps.label(), reason },
      `freqtrade ${this.deps.label()}: ${message}`,
    );
  }

  private open(): void {
    if (this.stopped) return;
    const url = new URL('/api/v1/message/ws', this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.token);
    const ws = new WebSocket(url, { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
    this.ws = ws;
    ws.on('open', () => {
      this.backoff.reset();
      if (this.logged.has('ws_closed')) {
        this.logged.delete('ws_closed');
        this.deps.log.info(
          { source: 'freqtrade', bot: this.deps.label() },
          `freqtrade ${this.deps.label()}: message socket open again`,
        );
      }
      ws.send(JSON.stringify({ type: 'subscribe', data: SUBSCRIBED }));
      // What happened while the socket was down is read from REST now.
      this.deps.trigger();
    });
    ws.on('message', (data) => this.onMessage(data.toString()));
    // The message never carries the URL (it holds the token).
    ws.on('error', (err) =>
      this.once('ws_error', `message socket error: ${err.message.replace(/token=[^&\s]+/g, 'token=…')}`),
    );
    ws.on('close', (code) => {
      this.ws = null;
      if (this.stopped) return;
      this.once(
        'ws_closed',
        `message socket closed (${code}${code === 1008 ? ': the ws_token was refused' : ''}); reopening`,
      );
      this.timer = setTimeout(() => this.open(), this.backoff.next());
    });
  }

  private onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.once('ws_malformed', 'a message that is not JSON');
      return;
    }
    const type = typeof msg === 'object' && msg !== null ? (msg as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') {
      this.once('ws_malformed', 'a message without a type');
      return;
    }
    if (TRIGGER_MESSAGES.has(type)) {
      this.deps.trigger();
      return;
    }
    if (IGNORED.has(type)) return;
    if (!PASSED.has(type)) {
      this.once(
        `ws_unknown_message`,
        `a message of unknown type ${JSON.stringify(type.slice(0, 64))} (a newer freqtrade?); ignored`,
      );
      return;
    }
    // A protection locked pairs: read /locks now (a lock on every pair halts the engine).
    if (type.startsWith('protection_trigger')) this.deps.trigger(true);
    const engine = this.deps.engine();
    if (!engine) return;
    void this.deps.ingest([{ kind: 'message', bot: engine, at: Date.now(), message: msg }]);
  }
}
