/**
 * The feed's streamed HTTP response (GET /feed/stream, NDJSON) behind the WebSocket surface
 * FeedClient speaks (WebSocketLike), so that the one client keeps its resubscribe, gap and
 * backoff logic whichever way the rows come. A stream cannot be talked to: the subscribe
 * and unsubscribe messages FeedClient sends are gathered and the stream is (re)opened with
 * all current subscriptions in its query; a resubscribe after a gap starts a new stream,
 * which begins with fresh snapshots. Pings are dropped (the server's heartbeat lines keep
 * FeedClient's idle timer armed).
 */
import type { ClientMessage, WebSocketLike } from '@tradewatch/feed-client';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

export type StreamFetch = (
  url: string,
  init: { signal: AbortSignal; credentials: 'same-origin'; headers: Record<string, string> }
) => Promise<{ ok: boolean; status: number; body: ReadableStream<Uint8Array> | null; text(): Promise<string> }>;

type Subscribe = Extract<ClientMessage, { op: 'subscribe' }>;

export class StreamSocket implements WebSocketLike {
  readyState = CONNECTING;
  protocol = '';
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;

  private readonly subs = new Map<string, Subscribe>();
  private controller: AbortController | null = null;
  private generation = 0;
  private restartQueued = false;

  constructor(
    /** http(s) URL of /feed/stream (through Grafana's data proxy). */
    private readonly url: string,
    private readonly fetcher: StreamFetch
  ) {
    // Open at once: what to stream is known only from the subscribes FeedClient sends on open.
    queueMicrotask(() => {
      if (this.readyState !== CONNECTING) {
        return;
      }
      this.readyState = OPEN;
      this.protocol = 'tradewatch.v1';
      this.onopen?.({});
    });
  }

  send(data: string): void {
    if (this.readyState !== OPEN) {
      return;
    }
    let message: ClientMessage;
    try {
      message = JSON.parse(data) as ClientMessage;
    } catch {
      return;
    }
    if (message.op === 'ping') {
      return;
    }
    const id = `${message.channel}#${message.sub ?? ''}`;
    if (message.op === 'subscribe') {
      this.subs.set(id, message);
    } else {
      this.subs.delete(id);
    }
    // FeedClient sends its subscribes in one go: open one stream for all of them.
    if (!this.restartQueued) {
      this.restartQueued = true;
      queueMicrotask(() => {
        this.restartQueued = false;
        this.restart();
      });
    }
  }

  close(): void {
    this.readyState = CLOSED;
    this.generation += 1;
    this.controller?.abort();
    this.controller = null;
  }

  /** The URL of a stream carrying these subscriptions. */
  static streamUrl(base: string, subs: Iterable<Subscribe>): string {
    const u = new URL(base);
    for (const s of subs) {
      const body: Record<string, unknown> = { channel: s.channel };
      if (s.filter && Object.keys(s.filter).length > 0) {
        body.filter = s.filter;
      }
      if (s.sub) {
        body.sub = s.sub;
      }
      u.searchParams.append('subscribe', JSON.stringify(body));
    }
    return u.toString();
  }

  private restart(): void {
    if (this.readyState !== OPEN) {
      return;
    }
    this.controller?.abort();
    this.controller = null;
    const generation = ++this.generation;
    if (this.subs.size === 0) {
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    void this.read(StreamSocket.streamUrl(this.url, this.subs.values()), controller, generation);
  }

  private async read(url: string, controller: AbortController, generation: number): Promise<void> {
    const current = () => this.generation === generation && this.readyState === OPEN;
    let closeLine: { code: number; reason: string } | null = null;
    try {
      const res = await this.fetcher(url, {
        signal: controller.signal,
        credentials: 'same-origin',
        headers: { Accept: 'application/x-ndjson' },
      });
      if (!current()) {
        return;
      }
      if (!res.ok || !res.body) {
        const detail = await res.text().catch(() => '');
        this.end(generation, { code: 4000 + res.status, reason: refusal(res.status, detail) });
        return;
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let rest = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (!current()) {
          void reader.cancel().catch(() => undefined);
          return;
        }
        if (done) {
          break;
        }
        rest += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          if (!line) {
            continue;
          }
          if (line.startsWith('{"type":"close"')) {
            closeLine = parseClose(line);
            continue;
          }
          this.onmessage?.({ data: line });
          if (!current()) {
            return;
          }
        }
      }
      this.end(generation, closeLine ?? { code: 1006, reason: 'the stream ended' });
    } catch (err) {
      if (current()) {
        this.onerror?.({ message: (err as Error).message });
        this.end(generation, { code: 1006, reason: `the stream failed: ${(err as Error).message}` });
      }
    }
  }

  private end(generation: number, ev: { code: number; reason: string }): void {
    if (this.generation !== generation || this.readyState !== OPEN) {
      return;
    }
    this.readyState = CLOSED;
    this.controller = null;
    this.onclose?.(ev);
  }
}

function parseClose(line: string): { code: number; reason: string } | null {
  try {
    const m = JSON.parse(line) as { code?: unknown; reason?: unknown };
    return typeof m.code === 'number' ? { code: m.code, reason: String(m.reason ?? '') } : null;
  } catch {
    return null;
  }
}

/** A refused stream in words (the exporter's JSON error, or Grafana's proxy's answer). */
function refusal(status: number, body: string): string {
  let detail = body.slice(0, 300);
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    detail = String(parsed.error ?? parsed.message ?? detail);
  } catch {
    // not JSON
  }
  return `${status}${detail ? ` ${detail}` : ''}`;
}
