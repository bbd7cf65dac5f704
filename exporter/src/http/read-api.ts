/** Read API for viewers: the same state the feed serves, as JSON. */
import { Router, type Request, type Response } from 'express';
import type { Store } from '../state/store';
import { decide, type GateDeps } from '../feed/gate';

export function readRoutes(store: Store): Router {
  const router = Router();
  const filterOf = (q: Record<string, unknown>) => ({
    engine: typeof q.engine === 'string' ? q.engine : undefined,
    strategy: typeof q.strategy === 'string' ? q.strategy : undefined,
    symbol: typeof q.symbol === 'string' ? q.symbol.toUpperCase() : undefined,
  });

  router.get('/orders', (req, res) => {
    const f = filterOf(req.query);
    const rows = [];
    for (const [engine, s] of store.engines) {
      if (f.engine && f.engine !== engine) continue;
      for (const o of s.orders.active.values()) {
        if (f.strategy && o.strategy !== f.strategy) continue;
        if (f.symbol && o.symbol !== f.symbol) continue;
        rows.push(o);
      }
    }
    res.json({ orders: rows });
  });

  router.get('/positions', (req, res) => {
    const f = filterOf(req.query);
    const rows = [];
    for (const [engine, s] of store.engines) {
      if (f.engine && f.engine !== engine) continue;
      for (const [symbol, p] of s.positions) {
        if (p.isFlat || (f.symbol && symbol !== f.symbol)) continue;
        rows.push(s.positionRow(symbol, s.lastEventTs ?? 0));
      }
    }
    res.json({ positions: rows });
  });

  router.get('/state', (_req, res) => {
    const engines = [];
    for (const s of store.engines.values()) {
      engines.push({
        ...s.statusRow(),
        equity: s.equity.current,
        daily_pnl: s.equity.dailyPnl(),
        drawdown_ratio: s.equity.drawdown(),
        cash: Object.fromEntries([...s.cash].map(([c, v]) => [c, v.toNumber()])),
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
