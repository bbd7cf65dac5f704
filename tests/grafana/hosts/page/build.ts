/**
 * Builds the host page (host.tsx) against one end's packages with esbuild and serves it, with
 * the plugin's dist/ under /plugin/, on a loopback port.
 */
import { build } from 'esbuild';
import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grafanaHost, type GrafanaEnd } from '../hosts';

const IMPORT_MAP = [
  'react',
  'react-dom',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  '@emotion/css',
  'rxjs',
];

export interface HostPage {
  origin: string;
  /** @grafana/data's version of this end. */
  version: string;
  close(): Promise<void>;
}

/** The pages: host.tsx (a panel plugin, as a dashboard shows it), dshost.tsx (the data source). */
export type HostEntry = 'host.tsx' | 'dshost.tsx';

export async function buildHostPage(
  end: GrafanaEnd,
  entry: HostEntry = 'host.tsx',
): Promise<{ dir: string; version: string }> {
  const host = grafanaHost(end);
  const dir = mkdtempSync(path.join(tmpdir(), `tradewatch-grafana-host-${end}-`));
  await build({
    entryPoints: [path.join(__dirname, entry)],
    outfile: path.join(dir, 'host.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'transform',
    nodePaths: [host.modules],
    define: {
      'process.env.NODE_ENV': process.env.TW_HOST_DEV ? '"development"' : '"production"',
      global: 'globalThis',
    },
    loader: {
      '.css': 'empty',
      '.svg': 'dataurl',
      '.png': 'dataurl',
      '.woff': 'empty',
      '.woff2': 'empty',
      '.ttf': 'empty',
    },
    logLevel: 'silent',
    plugins: [
      {
        name: 'commonjs-default-as-grafana-bundles-it',
        setup(b) {
          const cjs = [
            path.join(
              host.modules,
              '@grafana',
              'ui',
              'node_modules',
              'react-custom-scrollbars-2',
              'lib',
              'index.js',
            ),
            path.join(host.modules, 'react-custom-scrollbars-2', 'lib', 'index.js'),
          ].find((p) => existsSync(p));
          if (!cjs) return; // a release that no longer uses it
          b.onResolve({ filter: /^react-custom-scrollbars-2$/ }, () => ({
            path: path.join(__dirname, 'shims', 'react-custom-scrollbars-2.js'),
          }));
          b.onResolve({ filter: /^tw-cjs:react-custom-scrollbars-2$/ }, () => ({ path: cjs }));
        },
      },
    ],
  });
  const importMap = { imports: Object.fromEntries(IMPORT_MAP.map((n) => [n, `app:${n}`])) };
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>Grafana ${host.version} host</title>
<script type="systemjs-importmap">${JSON.stringify(importMap)}</script></head>
<body><div id="root"></div><script src="/host.js"></script></body></html>`,
  );
  return { dir, version: host.version };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export interface HostPageOptions {
  entry?: HostEntry;
  /** The data source's build, served at /datasource/. */
  datasourceDist?: string;
  /** Grafana's data proxy stand-in (data-proxy.ts), on the page's own origin as in Grafana. */
  proxy?: {
    handle(req: IncomingMessage, res: ServerResponse): boolean;
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  };
}

/** Serves the built page at /, `pluginDist` at /plugin/ (and the data source's at /datasource/). */
export async function serveHostPage(
  end: GrafanaEnd,
  pluginDist: string,
  port = 0,
  options: HostPageOptions = {},
): Promise<HostPage> {
  const page = await buildHostPage(end, options.entry);
  const server: Server = createServer((req, res) => {
    if (options.proxy?.handle(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    const file = url.pathname.startsWith('/plugin/')
      ? path.join(pluginDist, path.normalize(url.pathname.slice('/plugin/'.length)))
      : url.pathname.startsWith('/datasource/') && options.datasourceDist
        ? path.join(options.datasourceDist, path.normalize(url.pathname.slice('/datasource/'.length)))
        : path.join(page.dir, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    if (!options.proxy?.upgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${bound}`,
    version: page.version,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(page.dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
