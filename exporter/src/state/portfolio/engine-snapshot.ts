/** The positions and balances of an engine `snapshot`: where given, they replace the state's. */
import type { SnapshotEvent } from '../../events/schema';
import type { Change } from '../changes';
import { replaceBalances } from './ledger';
import type { PortfolioSlice } from './slice';

export function resyncPortfolio(
  p: PortfolioSlice,
  engine: string,
  e: SnapshotEvent,
  changes: Change[],
): void {
  if (e.positions) {
    const listed = new Set(e.positions.map((x) => x.symbol));
    for (const [symbol, position] of p.positions) if (!listed.has(symbol)) position.reset(0, 0);
    for (const [i, x] of e.positions.entries()) {
      const exact = (field: string) => e.exact?.[`positions.${i}.${field}`];
      p.positionOf(x.symbol).reset(exact('quantity') ?? x.quantity, exact('avg_price') ?? x.avg_price, e.ts);
    }
    for (const symbol of p.positions.keys()) changes.push(p.positionChange(engine, symbol, e.ts));
  }
  if (e.balances) replaceBalances(p, e.balances, e.exact, e.ts);
}
