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
import { retryAfterSeconds, type Principal, type Role, type TokenRegistry } from '../auth/tokens';
import { TokenBuckets } from '../limits/token-bucket';
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

const EVENT_CONTENT_TYPES = [
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
];

const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function createApp(deps: AppDeps) {
  const { config, ingestor, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Events per second per ingest token; a quiet token may send two seconds' worth at once.
  const ingestRate = new TokenBuckets({
    perSecond: config.ingestRateLimit,
    burst: config.ingestRateLimit * 2,
  });

  app.use((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // The pages (/ and /blotter/) load only their own scripts, talk only to this origin, and
    // are never framed; styles may be inline (the landing page's <style>, emotion's in the blotter).
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });

  /**
   * Checks the bearer token for a role; answers 401/403/429 itself when it fails. An open
   * route (optional) is never limited; a valid token is judged by its token alone; wrong
   * tokens are limited per door (role) and address (TokenRegistry.judge).
   */
  const requireRole =
    (role: Role, optional = false) =>
    (req: Request, res: Response, next: NextFunction) => {
      if (optional) return next();
      const address = req.socket.remoteAddress ?? 'unknown';
      const header = req.headers.authorization;
      const secret = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
      const verdict = deps.tokens.judge(role, secret, address);
      if (verdict.ok) {
        res.locals.principal = verdict.principal;
        return next();
      }
      if (verdict.reason === 'role') {
        ingestor.reject('forbidden');
        res.status(403).json({
          error: `this token has the ${verdict.roles.join(', ')} role; ${role} is required here`,
        });
        return;
      }
      if (verdict.reason === 'rate_limited') {
        ingestor.reject('rate_limited');
        // The limiter earns one try back every few seconds: say when (whole seconds, at least 1).
        const seconds = retryAfterSeconds(verdict.retryAfterMs);
        res.setHeader('Retry-After', String(seconds));
        res.status(429).json({
          error: `too many wrong ${role} tokens from this address; try again in ${seconds} s (a valid token is always accepted)`,
        });
        return;
      }
      ingestor.reject('unauthorized');
      log.warn(
        { address, path: req.path },
        secret ? 'authentication failed: unknown token' : 'authentication failed: no token',
      );
      res
        .status(401)
        .setHeader('WWW-Authenticate', 'Bearer realm="tradewatch"')
        .json({
          error: secret
            ? 'the token is not valid'
            : `an ${role} token is required: send "Authorization: Bearer <token>"`,
        });
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

  const ingestAuth = config.allowAnonymousIngest ? requireRole('ingest', true) : requireRole('ingest');
  app.post(
    '/api/v1/events',
    ingestAuth,
    (req, res, next) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!EVENT_CONTENT_TYPES.includes(type)) {
        ingestor.reject('unsupported_media_type');
        res.status(415).json({
          error: `unsupported content type ${JSON.stringify(type || '(none)')}: send application/json (an array or one object) or application/x-ndjson (one object a line)`,
        });
        return;
      }
      next();
    },
    express.text({ type: () => true, limit: config.maxBodyBytes }),
    async (req, res, next) => {
      try {
        const principal = res.locals.principal as Principal | undefined;
        const tokenName = principal?.name ?? 'anonymous';
        // The cheap check before any work: a token already over its rate waits. What a batch
        // costs is charged once it is applied, so a refused batch never costs its sender.
        if (ingestRate.balance(tokenName) <= 0) {
          ingestor.reject('rate_limited');
          res.setHeader('Retry-After', '1');
          res.status(429).json({
            error: `token "${tokenName}" is over its ingest rate of ${config.ingestRateLimit} events/s (TRADEWATCH_INGEST_RATE_LIMIT); retry later`,
          });
          return;
        }
        const text = typeof req.body === 'string' ? req.body : '';
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        const format = typeof req.query.format === 'string' ? req.query.format : undefined;
        const result = await ingestor.ingest({ text, ndjson: type !== 'application/json' }, 'http', {
          format,
          charge: (applied) => ingestRate.charge(tokenName, applied),
        });
        if (!result.ok) {
          res.status(result.status).json({ error: result.error, problems: result.problems });
          return;
        }
        // The audit trail: which named token ingested, from where (never the secret).
        log.info(
          { token_name: tokenName, address: req.socket.remoteAddress, events: result.accepted },
          'ingested',
        );
        res.status(200).json({
          accepted: result.accepted,
          applied: result.applied,
          duplicates: result.duplicates,
          // Values an adapter left out alone (e.g. an unusable Gal Friday report), named by index.
          ...(result.refused ? { refused: result.refused } : {}),
        });
      } catch (err) {
        next(err);
      }
    },
  );

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

  // Errors from body parsing and handlers: a JSON answer that names the problem, never a crash.
  app.use(
    (
      err: Error & { type?: string; status?: number; limit?: number },
      req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      if (err.type === 'entity.too.large') {
        ingestor.reject('too_large');
        res.status(413).json({
          error: `the body is larger than the limit of ${config.maxBodyBytes} bytes (TRADEWATCH_MAX_BODY_BYTES); send smaller batches`,
        });
        return;
      }
      if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
        ingestor.reject('unsupported_media_type');
        res.status(415).json({ error: err.message });
        return;
      }
      if (err.status && err.status >= 400 && err.status < 500) {
        ingestor.reject('bad_request');
        res.status(err.status).json({ error: err.message });
        return;
      }
      log.error({ err, path: req.path }, 'request failed');
      res.status(500).json({ error: 'internal error; see the exporter log' });
    },
  );

  return app;
}
