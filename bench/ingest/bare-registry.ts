/**
 * The /metrics baseline for bench/ingest: the exporter's trading_* series in a bare
 * prom-client registry (one Gauge per family, set through its public API), served over
 * loopback HTTP from a child process, as the exporter serves them from its own: so the
 * bench's client shares its thread with neither.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { parseMetrics } from '../../tests/support/exporter';

/** A registry holding the trading_* samples of a scrape's `text`. */
function registryOf(text: string): Registry {
  const bare = new Registry();
  const gauges = new Map<string, Gauge>();
  for (const [key, value] of parseMetrics(text)) {
    if (!key.startsWith('trading_')) continue;
    const brace = key.indexOf('{');
    const name = brace < 0 ? key : key.slice(0, brace);
    const labels: Record<string, string> = {};
    if (brace >= 0)
      for (const m of key.slice(brace + 1, -1).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
    let g = gauges.get(name);
    if (!g) {
      g = new Gauge({ name, help: 'bench', labelNames: Object.keys(labels), registers: [bare] });
      gauges.set(name, g);
    }
    g.set(labels, value);
  }
  return bare;
}

function serve(): void {
  process.once('message', (text: string) => {
    const bare = registryOf(text);
    const server = createServer((_req, res) => {
      void bare.metrics().then((body) => res.writeHead(200, { 'Content-Type': bare.contentType }).end(body));
    });
    server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
  });
}

/** Serves the trading_* series of `text` from a child process; `stop` ends it. */
export async function startBareRegistry(text: string): Promise<{ url: string; stop: () => void }> {
  const child = fork(__filename, ['--serve'], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(m as number));
    child.once('exit', (code) => reject(new Error(`the bare registry exited with ${code}`)));
    child.send(text);
  });
  return { url: `http://127.0.0.1:${port}/metrics`, stop: () => child.kill() };
}

if (process.argv.includes('--serve')) serve();
