/**
 * createApp(): the express routes, and nothing else (it never listens). Controllers are
 * thin: parse at the edge, call the ingestor or read the store, answer.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Ingestor } from '../ingest/ingestor';
import type { MetricsRegistry } from '../metrics/registry';
import type { Store } from '../state/store';
import type { Role, TokenRegistry } from '../auth/tokens';
import { authorize } from './authorize';
import { setSecurityHeaders } from './security-headers';
import { landingPage } from './landing';
import { feedAuthProbe, readRoutes } from './read-api';
import { historyRoutes } from './history-api';
import type { HistoryStore } from '../history/store';
import type { ReadGate } from '../history/read-gate';

export interface AppDeps {
  config: Config;
  store: Store;
  ingestor: Ingestor;
  metrics: MetricsRegistry;
  tokens: TokenRegistry;
  log: Logger;
  version: string;
  /** Directory of the standalone blotter page, served at /blotter. */
  blotterDir?: string;
  isReady: () => boolean;
  /** The trade history (GET /api/v1/fills, …); null or absent when it is off. */
  history?: HistoryStore | null;
  /** The bound on concurrent history reads, shared with the feed's `fills` snapshots. */
  historyReads?: ReadGate;
}

export function createApp(deps: AppDeps) {
  const { config, ingestor, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((_req, res, next) => {
    setSecurityHeaders(res);
    next();
  });

  /** Checks the bearer token for a role (authorize.ts); an open route (optional) is never limited. */
  const requireRole =
    (role: Role, optional = false) =>
    (req: Request, res: Response, next: NextFunction) => {
      if (optional) return next();
      const auth = authorize(deps, role, req, req.path);
      if (auth.ok) {
        res.locals.principal = auth.principal;
        return next();
      }
      res.status(auth.status).set(auth.headers).json(auth.body);
    };

  app.get('/', (_req, res) => {
    res
      .type('html')
      .send(landingPage({ version: deps.version, port: config.port, blotter: Boolean(deps.blotterDir) }));
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'starting' });
  });

  const metricsAuth = config.metricsToken ? requireRole('metrics') : requireRole('metrics', true);
  app.get('/metrics', metricsAuth, async (_req, res, next) => {
    try {
      await deps.store.settled(); // never half of a batch being applied in slices
      const body = await deps.metrics.scrape();
      res.setHeader('Content-Type', deps.metrics.contentType);
      res.send(body);
    } catch (err) {
      next(err);
    }
  });

  // POST /api/v1/events is answered before express (ingest-route.ts, server.ts).

  // Before the viewer check: the probe answers 401/403 itself, with CORS, for the feed client.
  app.use('/api/v1', feedAuthProbe({ tokens: deps.tokens, allowedOrigins: config.allowedOrigins }));
  app.use(
    '/api/v1',
    requireRole('viewer'),
    readRoutes(deps.store),
    historyRoutes(deps.history ?? null, deps.historyReads),
  );

  if (deps.blotterDir && existsSync(deps.blotterDir)) {
    app.use('/blotter', express.static(deps.blotterDir, { index: 'index.html', maxAge: 0 }));
  }

  app.use((req, res) => {
    res.status(404).json({ error: `no route ${req.method} ${req.path}` });
  });

  // Errors from handlers: a JSON answer that names the problem, never a crash.
  app.use((err: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => {
    if (err.status && err.status >= 400 && err.status < 500) {
      ingestor.reject('bad_request');
      res.status(err.status).json({ error: err.message });
      return;
    }
    log.error({ err, path: req.path }, 'request failed');
    res.status(500).json({ error: 'internal error; see the exporter log' });
  });

  return app;
}
