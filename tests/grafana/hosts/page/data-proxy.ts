/**
 * A stand-in for Grafana's data source proxy (/api/datasources/proxy/uid/<uid>/…), doing what
 * Grafana's source (pkg/api/pluginproxy/ds_proxy.go, ds_auth_provider.go, pkg/util/proxyutil)
 * does, written here from reading it (no code taken):
 *  - the signed-in user needs `datasources:query` on the data source, else 403;
 *  - the first plugin route (plugin.json `routes`) whose path is a prefix of the proxied
 *    path adds its headers, `{{ .SecureJsonData.x }}` filled from the data source's
 *    secureJsonData; a path no route matches goes to the data source's URL without them;
 *  - `Origin`, the browser's cookies and its Authorization are not passed on;
 *  - a WebSocket upgrade is passed through (Go's ReverseProxy; 101 left alone since PR #41364);
 *  - a response is flushed every 200 ms (the ReverseProxy's FlushInterval), not as it comes.
 * `refuseUpgrades` plays a proxy in front of Grafana that does not pass upgrades.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

export interface PluginRoute {
  path: string;
  url?: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface ProxiedDataSource {
  uid: string;
  /** The data source's URL (the exporter's), e.g. http://127.0.0.1:9478 */
  url: string;
  routes: PluginRoute[];
  secureJsonData: Record<string, string>;
}

export interface DataProxyOptions {
  datasource: ProxiedDataSource;
  /** Session cookie value → may this user query the data source. */
  users: Record<string, { canQuery: boolean }>;
  refuseUpgrades?: boolean;
  flushIntervalMs?: number;
}

/** What went through, as the exporter side saw it (for the test to assert on). */
export interface ProxyRecord {
  path: string;
  upgrade: boolean;
  status: number;
  forwardedHeaders: Record<string, string | string[] | undefined>;
}

export const SESSION_COOKIE = 'grafana_session';

export class DataProxy {
  readonly records: ProxyRecord[] = [];
  private readonly prefix: string;

  constructor(readonly options: DataProxyOptions) {
    this.prefix = `/api/datasources/proxy/uid/${options.datasource.uid}/`;
  }

  owns(url: string | undefined): boolean {
    return (url ?? '').startsWith(this.prefix);
  }

  /** Handles a request; false when it is not the proxy's. */
  handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!this.owns(req.url)) {
      return false;
    }
    const target = this.prepare(req);
    if ('denied' in target) {
      this.records.push({ path: req.url ?? '', upgrade: false, status: 403, forwardedHeaders: {} });
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: target.denied }));
      return true;
    }
    const upstream = http.request(
      target.url,
      { method: req.method, headers: target.headers, agent: false },
      (answer) => {
        this.records.push({
          path: target.url.pathname + target.url.search,
          upgrade: false,
          status: answer.statusCode ?? 0,
          forwardedHeaders: target.headers,
        });
        const headers = { ...answer.headers };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        res.writeHead(answer.statusCode ?? 502, headers);
        // Go's ReverseProxy with FlushInterval 200 ms: what arrived is written out every 200 ms.
        let pending: Buffer[] = [];
        const flush = () => {
          if (pending.length > 0) {
            res.write(Buffer.concat(pending));
            pending = [];
          }
        };
        const timer = setInterval(flush, this.options.flushIntervalMs ?? 200);
        answer.on('data', (chunk: Buffer) => pending.push(chunk));
        answer.on('end', () => {
          clearInterval(timer);
          flush();
          res.end();
        });
        answer.on('error', () => {
          clearInterval(timer);
          res.destroy();
        });
        res.on('close', () => {
          clearInterval(timer);
          answer.destroy();
        });
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) {
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: err.message }));
      } else {
        res.destroy();
      }
    });
    req.pipe(upstream);
    return true;
  };

  /** Handles an upgrade; false when it is not the proxy's. */
  upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    if (!this.owns(req.url)) {
      return false;
    }
    const refuse = (status: number, text: string) => {
      this.records.push({ path: req.url ?? '', upgrade: true, status, forwardedHeaders: {} });
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (this.options.refuseUpgrades) {
      refuse(502, 'Bad Gateway');
      return true;
    }
    const target = this.prepare(req);
    if ('denied' in target) {
      refuse(403, 'Forbidden');
      return true;
    }
    this.records.push({
      path: target.url.pathname + target.url.search,
      upgrade: true,
      status: 101,
      forwardedHeaders: target.headers,
    });
    const upstream = connect(Number(target.url.port), target.url.hostname, () => {
      const lines = [`${req.method} ${target.url.pathname}${target.url.search} HTTP/1.1`];
      for (const [name, value] of Object.entries(target.headers)) {
        for (const v of Array.isArray(value) ? value : [value])
          if (v !== undefined) lines.push(`${name}: ${v}`);
      }
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
    return true;
  };

  private prepare(
    req: IncomingMessage,
  ): { url: URL; headers: Record<string, string | string[] | undefined> } | { denied: string } {
    const user = cookie(req.headers.cookie, SESSION_COOKIE);
    if (!user || !this.options.users[user]?.canQuery) {
      return { denied: 'Access denied to data source' };
    }
    const ds = this.options.datasource;
    const requested = new URL(req.url ?? '/', 'http://grafana.invalid');
    const proxyPath = requested.pathname.slice(this.prefix.length);
    const url = new URL(ds.url);
    url.pathname = joinPath(url.pathname, proxyPath);
    url.search = requested.search;
    const headers: Record<string, string | string[] | undefined> = { ...req.headers };
    // what Grafana does not pass on: the browser's origin, its session and its credentials
    delete headers.origin;
    delete headers.cookie;
    delete headers.authorization;
    delete headers.referer;
    headers.host = url.host;
    const route = ds.routes.find((r) => clean(proxyPath).startsWith(clean(r.path)));
    if (route) {
      if (route.url) {
        const routeUrl = new URL(fill(route.url, ds.secureJsonData));
        url.protocol = routeUrl.protocol;
        url.host = routeUrl.host;
        url.pathname = joinPath(routeUrl.pathname, proxyPath.slice(route.path.length));
      }
      for (const h of route.headers ?? []) headers[h.name.toLowerCase()] = fill(h.content, ds.secureJsonData);
    }
    return { url, headers };
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function clean(p: string): string {
  return p.replace(/^\/+/, '');
}

function joinPath(a: string, b: string): string {
  return `${a.replace(/\/+$/, '')}/${clean(b)}`;
}

/** `{{ .SecureJsonData.name }}` (the only template our plugin.json uses). */
function fill(template: string, secure: Record<string, string>): string {
  return template.replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_m, name: string) => secure[name] ?? '');
}
