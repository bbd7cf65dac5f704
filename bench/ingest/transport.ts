/**
 * The HTTP transport alone, for the ingest benchmarks: servers that read a posted body,
 * JSON.parse it and answer a small JSON, and nothing else. Run in a child process (so the
 * posting client does not share their thread); `postAll` posts bodies one after the other,
 * as an engine does, and gives events/s.
 */
import { fork } from 'node:child_process';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const LIMIT = 64 * 1024 * 1024;

export interface TransportPorts {
  /** node:http: read the body, JSON.parse it, answer. */
  bare: number;
  /** express with express.text(), as the exporter read an ingest body before its raw route, then JSON.parse. */
  express: number;
}

function answer(res: ServerResponse, body: string): void {
  const events = (JSON.parse(body) as unknown[]).length;
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ accepted: events }));
}

function serve(): void {
  const bare = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(res, Buffer.concat(chunks).toString('utf8')));
  });
  const app = express();
  app.post('/api/v1/events', express.text({ type: () => true, limit: LIMIT }), (req, res) =>
    answer(res, typeof req.body === 'string' ? req.body : ''),
  );
  const viaExpress = createServer(app);
  bare.listen(0, '127.0.0.1', () =>
    viaExpress.listen(0, '127.0.0.1', () => {
      const ports: TransportPorts = {
        bare: (bare.address() as AddressInfo).port,
        express: (viaExpress.address() as AddressInfo).port,
      };
      process.send?.(ports);
    }),
  );
}

/** Starts the servers in a child process; `stop` ends it. */
export async function startTransport(): Promise<{ ports: TransportPorts; pid: number; stop: () => void }> {
  const child = fork(__filename, ['--serve'], { execArgv: process.execArgv });
  const ports = await new Promise<TransportPorts>((resolve, reject) => {
    child.once('message', (m) => resolve(m as TransportPorts));
    child.once('exit', (code) => reject(new Error(`the transport servers exited with ${code}`)));
  });
  return { ports, pid: child.pid as number, stop: () => child.kill() };
}

// A lean client, so the figures measure the server: node:http over one kept-alive socket,
// bodies encoded once. fetch (undici) cost the same bare server 30–45 % of its rate here.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** Posts one body; resolves with the answer's status and text. */
export function postBody(
  url: URL,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** GETs `url` with the same lean client; resolves once the whole body is read. */
export function getBody(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`${url} answered ${res.statusCode}`)),
      );
    })
      .on('error', reject)
      .end();
  });
}

/**
 * Events/s posting `bodies` (each `perBody` events) one after the other, as an engine does,
 * after one unmeasured post of `warmUp` (which must not repeat a measured body to a server
 * that drops duplicates).
 */
export async function postAll(
  url: URL,
  bodies: readonly Buffer[],
  perBody: number,
  { headers = {}, warmUp = bodies[0] }: { headers?: Record<string, string>; warmUp?: Buffer } = {},
): Promise<number> {
  const post = async (body: Buffer) => {
    const r = await postBody(url, body, headers);
    if (r.status !== 200) throw new Error(`${url.href} answered ${r.status}: ${r.text.slice(0, 300)}`);
  };
  await post(warmUp);
  const t = performance.now();
  for (const body of bodies) await post(body);
  return (bodies.length * perBody) / ((performance.now() - t) / 1000);
}

/** The ingest URL of a transport server on `port`. */
export const transportUrl = (port: number) => new URL(`http://127.0.0.1:${port}/api/v1/events`);

if (process.argv.includes('--serve')) serve();
