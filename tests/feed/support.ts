/** Raw WebSocket clients for the feed tests (the client library has its own tests). */
import { spawn } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import WebSocket from 'ws';

export interface RawFeed {
  ws: WebSocket;
  messages: { at: number; message: any }[];
  /** Resolves with the next message that passes the predicate (already received ones count). */
  next(predicate: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  send(message: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export function feedUrl(baseUrl: string): string {
  return baseUrl.replace(/^http/, 'ws') + '/feed';
}

/** Opens /feed; resolves once open, rejects with the HTTP status of a refused upgrade. */
export function openFeed(
  baseUrl: string,
  options: { token?: string; bearer?: string; origin?: string; protocols?: string[] } = {},
): Promise<RawFeed> {
  const protocols = options.protocols ?? [
    'tradewatch.v1',
    ...(options.token ? [`tradewatch.token.${options.token}`] : []),
  ];
  const headers: Record<string, string> = {};
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  const ws = new WebSocket(feedUrl(baseUrl), protocols, {
    headers,
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const messages: RawFeed['messages'] = [];
  const waiters: { predicate: (m: any) => boolean; resolve: (m: any) => void; from: number }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    messages.push({ at: Date.now(), message });
    for (const w of [...waiters]) {
      if (w.predicate(message)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const feed: RawFeed = {
    ws,
    messages,
    closed,
    send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
    close: () => ws.close(),
    next(predicate, timeoutMs = 10_000) {
      const seen = messages.find((m) => predicate(m.message));
      if (seen) return Promise.resolve(seen.message);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a feed message')), timeoutMs);
        waiters.push({ predicate, from: messages.length, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(feed));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        reject(
          Object.assign(new Error(`refused: ${res.statusCode} ${body}`), {
            status: res.statusCode,
            body,
            retryAfter: res.headers['retry-after'],
          }),
        ),
      );
    });
    ws.once('error', (err) => reject(err));
  });
}

export async function refusedStatus(
  baseUrl: string,
  options: Parameters<typeof openFeed>[1],
): Promise<number> {
  try {
    const feed = await openFeed(baseUrl, options);
    feed.close();
    return 101;
  } catch (err) {
    return (err as { status?: number }).status ?? -1;
  }
}

/** An order event; `client_order_id` carries the wall-clock time it was posted (latency). */
export function orderEvent(id: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'order',
    ts: Date.now(),
    engine: 'feedtest',
    order_id: id,
    symbol: 'BTC/USD',
    side: 'buy',
    order_type: 'limit',
    status,
    quantity: 2,
    filled_quantity: status === 'filled' ? 2 : status === 'partially_filled' ? 1 : 0,
    limit_price: 60000,
    strategy: 'momentum',
    client_order_id: `t${Date.now()}`,
    ...extra,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HealthWatch {
  /** Stops polling; the slowest answer (ms, a failure counts as Infinity) and how many were made. */
  stop(): Promise<{ slowestMs: number; failures: string[]; samples: number; latenciesMs: number[] }>;
}

/**
 * Polls /healthz every `everyMs` while an attack runs: each answer must come within
 * `limitMs` (a timeout, a refused connection or a non-200 is recorded as a failure). The
 * prober is its own process, so that what the test itself does (thousands of sockets, big
 * frames) does not delay the probe and blame the exporter for it.
 */
export function watchHealth(baseUrl: string, everyMs = 200, limitMs = 1000): HealthWatch {
  const script = `
    const http = require('node:http');
    const [url, everyMs, limitMs] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
    let running = true, slowestMs = 0, samples = 0;
    const latenciesMs = [];
    const failures = [];
    const probe = () => new Promise((resolve) => {
      const started = Date.now();
      const done = (failure) => {
        if (failure) failures.push(failure);
        slowestMs = Math.max(slowestMs, Date.now() - started);
        latenciesMs.push(Date.now() - started);
        samples += 1;
        resolve();
      };
      const req = http.get(url + '/healthz', { agent: false, timeout: limitMs }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode === 200 ? null : 'status ' + res.statusCode));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within ' + limitMs + ' ms')));
      req.on('error', (err) => done(err.message));
    });
    (async () => {
      while (running) {
        const started = Date.now();
        await probe();
        await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
      }
      process.stdout.write(JSON.stringify({ slowestMs, failures, samples, latenciesMs }));
    })();
    process.stdin.on('end', () => (running = false));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ['-e', script, baseUrl, String(everyMs), String(limitMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out) as {
        slowestMs: number;
        failures: string[];
        samples: number;
        latenciesMs: number[];
      };
    },
  };
}

/**
 * Sends a raw HTTP request on a fresh TCP connection and resolves with what the server
 * wrote until it closed (or until `timeoutMs`, then the socket is destroyed).
 */
export function rawRequest(port: number, request: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('error', (err) => {
      clearTimeout(timer);
      if (answer) resolve(answer);
      else reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** An upgrade request for /feed with a viewer token and the given extra or replaced headers. */
export function upgradeRequest(port: number, token: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Protocol': `tradewatch.v1, tradewatch.token.${token}`,
    ...headers,
  };
  const method = all[':method'] ?? 'GET';
  delete all[':method'];
  const lines = Object.entries(all)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`);
  return `${method} /feed HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}
