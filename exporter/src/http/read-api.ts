/** Read API for viewers: the same state the feed serves, as JSON. */
import { Router } from 'express';
import type { Store } from '../state/store';

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
