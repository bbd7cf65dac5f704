import type { GridColumn } from './types';

/**
 * The columns that fit in `width`: the chosen ones, in their order, dropping the least
 * important (highest priority number, then the rightmost) until their minimum widths fit.
 * The priority-1 columns are always kept.
 */
export function fitColumns<C extends string>(
  table: Record<C, GridColumn<never>>,
  chosen: readonly C[],
  width: number
): C[] {
  const kept = chosen.filter((id) => table[id] !== undefined);
  const total = () => kept.reduce((sum, id) => sum + table[id].minWidth, 0);
  while (total() > width) {
    let drop = -1;
    for (let i = kept.length - 1; i >= 0; i--) {
      const p = table[kept[i]].priority;
      if (p > 1 && (drop < 0 || p > table[kept[drop]].priority)) {
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

/** CSS grid-template-columns for the given columns: each its minimum, then its share. */
export function gridTemplate<C extends string>(table: Record<C, GridColumn<never>>, columns: readonly C[]): string {
  return columns.map((id) => `minmax(${table[id].minWidth}px, ${table[id].grow}fr)`).join(' ');
}
