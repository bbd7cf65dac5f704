/** Read API for viewers: the same state the feed serves, as JSON. */
import { Router, type Request, type Response } from 'express';
import type { Store } from '../state/store';
import { statusRow } from '../state/wire-rows';
import type { FeedFilter } from '@tradewatch/feed-protocol';
import { decide, type GateDeps } from '../feed/gate';
import { normalizeFilter } from '../feed/protocol';
import { snapshotRows } from '../feed/subscriptions';

export function readRoutes(store: Store): Router {
  const router = Router();
  // Never half of a batch being applied in slices (state/store.ts): wait for its end.
  router.use((_req, _res, next) => {
    if (!store.isHeld) return next();
    store.settled().then(() => next(), next);
  });

  /** The same rows the feed's snapshot holds (one service for both), filtered by the query. */
  const listing = (channel: 'orders' | 'positions', key: string) => (req: Request, res: Response) => {
    const known = channel === 'orders' ? ['engine', 'strategy', 'symbol'] : ['engine', 'symbol'];
    const filter: FeedFilter = {};
    for (const [name, value] of Object.entries(req.query)) {
      if (!known.includes(name)) {
        res.status(400).json({
          error: `unknown query parameter ${JSON.stringify(name)}; ${channel} can be filtered by ${known.join(', ')}`,
        });
        return;
      }
      if (typeof value !== 'string') {
        res.status(400).json({ error: `query parameter ${name} must be given once, as a plain value` });
        return;
      }
      filter[name as keyof FeedFilter] = value;
    }
    res.json({ [key]: snapshotRows(store, channel, normalizeFilter(filter)) });
  };

  router.get('/orders', listing('orders', 'orders'));
  router.get('/positions', listing('positions', 'positions'));

  router.get('/state', (_req, res) => {
    const engines = [];
    for (const s of store.engines.values()) {
      engines.push({
        ...statusRow(s.statusRecord()),
        equity: s.portfolio.equity.current,
        daily_pnl: s.portfolio.equity.dailyPnl(),
        drawdown_ratio: s.portfolio.equity.drawdown(),
        cash: Object.fromEntries([...s.portfolio.cash].map(([c, v]) => [c, v.toNumber()])),
      });
    }
    res.json({ engines });
  });

  return router;
}

/**
 * GET /api/v1/feed/auth: what a feed upgrade with this token from this origin would get
 * (200, 401, 403, 429), so a browser, which cannot read a refused upgrade's status, can
 * tell the user why. CORS is open to any origin on purpose: a page from an origin that is
 * not allowed must be able to read its 403 (it learns nothing about the token: the token is
 * not even checked for a refused origin), and failed tokens count toward the same limit.
 */
export function feedAuthProbe(deps: GateDeps): Router {
  const router = Router();
  const cors = (req: Request, res: Response) => {
    const origin = req.headers.origin;
    if (typeof origin === 'string') {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
  };
  router.options('/feed/auth', (req, res) => {
    cors(req, res);
    res.setHeader('Access-Control-Allow-Methods', 'GET');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });
  router.get('/feed/auth', (req, res) => {
    cors(req, res);
    const decision = decide(
      {
        address: req.socket.remoteAddress ?? 'unknown',
        origin: typeof req.headers.origin === 'string' ? req.headers.origin : undefined,
        host: req.headers.host,
        protocols: undefined,
        authorization: req.headers.authorization,
      },
      deps,
    );
    if (decision.ok) res.json({ ok: true, token: decision.tokenName });
    else res.status(decision.status).json({ error: decision.error, reason: decision.reason });
  });
  return router;
}
