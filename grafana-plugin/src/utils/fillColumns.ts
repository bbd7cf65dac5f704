import type { FillColumnId } from '../types';

export interface FillColumnDef {
  id: FillColumnId;
  label: string;
  /** Narrowest useful width in px. */
  minWidth: number;
  /** Grid track weight once every visible column has its minimum. */
  grow: number;
  /** 1 is kept longest; higher numbers are hidden first on a narrow panel. */
  priority: number;
  align: 'left' | 'right';
}

export const FILL_COLUMN_DEFS: Record<FillColumnId, FillColumnDef> = {
  time: { id: 'time', label: 'Time', minWidth: 72, grow: 1.1, priority: 2, align: 'left' },
  engine: { id: 'engine', label: 'Engine', minWidth: 64, grow: 1, priority: 6, align: 'left' },
  symbol: { id: 'symbol', label: 'Symbol', minWidth: 76, grow: 1, priority: 1, align: 'left' },
  side: { id: 'side', label: 'Side', minWidth: 44, grow: 0.6, priority: 1, align: 'left' },
  price: { id: 'price', label: 'Price', minWidth: 72, grow: 1, priority: 3, align: 'right' },
  quantity: { id: 'quantity', label: 'Quantity', minWidth: 72, grow: 1, priority: 3, align: 'right' },
  fee: { id: 'fee', label: 'Fee', minWidth: 64, grow: 0.9, priority: 5, align: 'right' },
  realizedPnl: { id: 'realizedPnl', label: 'Realized PnL', minWidth: 92, grow: 1.1, priority: 1, align: 'right' },
  strategy: { id: 'strategy', label: 'Strategy', minWidth: 72, grow: 1.1, priority: 4, align: 'left' },
};

/**
 * The fill columns that fit in `width`: in their order, dropping the least important
 * (highest priority number, then the rightmost) until their minimum widths fit. The
 * priority-1 columns (symbol, side, realized PnL) are always kept.
 */
export function fitFillColumns(chosen: readonly FillColumnId[], width: number): FillColumnId[] {
  const kept = chosen.filter((id) => FILL_COLUMN_DEFS[id] !== undefined);
  const total = () => kept.reduce((sum, id) => sum + FILL_COLUMN_DEFS[id].minWidth, 0);
  while (total() > width) {
    let drop = -1;
    for (let i = kept.length - 1; i >= 0; i--) {
      const p = FILL_COLUMN_DEFS[kept[i]].priority;
      if (p > 1 && (drop < 0 || p > FILL_COLUMN_DEFS[kept[drop]].priority)) {
        drop = i;
      }
    }
    if (drop < 0) {
      break;
    }
    kept.splice(drop, 1);
  }
  return kept;
}

/** CSS grid-template-columns for the given fill columns. */
export function fillGridTemplate(columns: readonly FillColumnId[]): string {
  return columns.map((id) => `minmax(${FILL_COLUMN_DEFS[id].minWidth}px, ${FILL_COLUMN_DEFS[id].grow}fr)`).join(' ');
}
