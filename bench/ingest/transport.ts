/**
 * The HTTP transport alone, for the ingest benchmarks: servers that read a posted body,
 * JSON.parse it and answer a small JSON, and nothing else. Run in a child process (so the
 * posting client does not share their thread); `postAll` posts bodies one after the other,
 * as an engine does, and gives events/s.
 */
import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const LIMIT = 64 * 1024 * 1024;

export interface TransportPorts {
  /** node:http: read the body, JSON.parse it, answer. */
  bare: number;
  /** express with express.text(), as the exporter reads an ingest body, then JSON.parse. */
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
export async function startTransport(): Promise<{ ports: TransportPorts; stop: () => void }> {
  const child = fork(__filename, ['--serve'], { execArgv: process.execArgv });
  const ports = await new Promise<TransportPorts>((resolve, reject) => {
    child.once('message', (m) => resolve(m as TransportPorts));
    child.once('exit', (code) => reject(new Error(`the transport servers exited with ${code}`)));
  });
  return { ports, stop: () => child.kill() };
}

/** Events/s posting `bodies` (each `perBody` events) one after the other, after one warm-up post. */
export async function postAll(port: number, bodies: readonly string[], perBody: number): Promise<number> {
  const url = `http://127.0.0.1:${port}/api/v1/events`;
  const post = async (body: string) => {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    if (r.status !== 200) throw new Error(`answered ${r.status}`);
    await r.text();
  };
  await post(bodies[0]);
  const t = performance.now();
  for (const body of bodies) await post(body);
  return (bodies.length * perBody) / ((performance.now() - t) / 1000);
}

if (process.argv.includes('--serve')) serve();
