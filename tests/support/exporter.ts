/**
 * Starts the real exporter (the built CLI, `exporter/dist/cli/main.js`) as a child process
 * on a free loopback port with its own data dir, and stops it. Tests that claim the
 * product works use this, never an in-process stand-in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
/** TRADEWATCH_TEST_CLI runs the tests against another build (e.g. an older commit's, to see a test fail). */
export const CLI = process.env.TRADEWATCH_TEST_CLI ?? path.join(REPO, 'exporter', 'dist', 'cli', 'main.js');

export interface RunningExporter {
  baseUrl: string;
  port: number;
  ingestToken: string;
  viewerToken: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the process wrote so far (stdout + stderr). */
  output(): string;
  /** SIGTERM and wait; the data dir is removed unless keepData. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL (a crash); the data dir is kept. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Extra TRADEWATCH_* variables; the demo runs unless TRADEWATCH_SOURCE says otherwise. */
  env?: Record<string, string>;
  /** Reuse a data dir (restart after a crash). */
  dataDir?: string;
  port?: number;
  timeoutMs?: number;
  /** Flags for node itself (a benchmark's `--cpu-prof`). */
  nodeArgs?: string[];
  /** Run under `ulimit -n` of this (set by bash before it execs node, so it holds from the start). */
  fdLimit?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export function randomToken(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`.padEnd(
    20,
    'x',
  );
}

export async function startExporter(options: StartOptions = {}): Promise<RunningExporter> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'tradewatch-test-'));
  const ingestToken =
    options.env?.TRADEWATCH_INGEST_TOKENS?.split(',')[0].split(':').pop() ?? randomToken('ingest');
  const viewerToken =
    options.env?.TRADEWATCH_VIEWER_TOKENS?.split(',')[0].split(':').pop() ?? randomToken('viewer');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TRADEWATCH_PORT: String(port),
    TRADEWATCH_HOST: '127.0.0.1',
    TRADEWATCH_DATA_DIR: dataDir,
    TRADEWATCH_INGEST_TOKENS: `test-ingest:${ingestToken}`,
    TRADEWATCH_VIEWER_TOKENS: `test-viewer:${viewerToken}`,
    TRADEWATCH_SOURCE: 'demo',
    TRADEWATCH_DEMO_INTERVAL_MS: '100',
    TRADEWATCH_LOG_LEVEL: 'info',
    ...options.env,
  };
  const args = [...(options.nodeArgs ?? []), CLI, 'serve'];
  const child =
    options.fdLimit === undefined
      ? spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(
          'bash',
          ['-c', `ulimit -n ${options.fdLimit} && exec "$@"`, 'bash', process.execPath, ...args],
          {
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tls = Boolean(env.TRADEWATCH_TLS_CERT);
  const baseUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  // With TLS (a self-signed test certificate) readiness is judged by the port accepting.
  const isReady = tls
    ? () =>
        new Promise<boolean>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.destroy();
            resolve(true);
          });
          socket.on('error', () => resolve(false));
        })
    : async () => (await fetch(`${baseUrl}/readyz`)).ok;

  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exporter exited with ${child.exitCode}:\n${output}`);
    try {
      if (await isReady()) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`exporter not ready within the timeout:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    baseUrl,
    port,
    ingestToken,
    viewerToken,
    dataDir,
    process: child,
    output: () => output,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(timer);
      }
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** POSTs events (an array) with a token; returns status and parsed body. */
export async function postEvents(
  exporter: { baseUrl: string; ingestToken: string },
  events: unknown[] | string,
  init: { token?: string | null; contentType?: string; query?: string } = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'Content-Type': init.contentType ?? 'application/json' };
  const token = init.token === undefined ? exporter.ingestToken : init.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${exporter.baseUrl}/api/v1/events${init.query ?? ''}`, {
    method: 'POST',
    headers,
    body: typeof events === 'string' ? events : JSON.stringify(events),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

/** GET /metrics and parse the samples into name{labels} → value. */
export async function scrape(baseUrl: string, token?: string): Promise<Map<string, number>> {
  const res = await fetch(
    `${baseUrl}/metrics`,
    token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  );
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** Sum of every sample of a metric whose labels include the given ones. */
export function sumOf(
  samples: Map<string, number>,
  name: string,
  labels: Record<string, string> = {},
): number {
  let sum = 0;
  for (const [key, value] of samples) {
    if (key !== name && !key.startsWith(name + '{')) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
