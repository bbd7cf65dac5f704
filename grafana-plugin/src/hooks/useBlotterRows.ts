import { useMemo, useState } from 'react';

import type { BlotterRow, ResolvedFilter, RowFilters, SortState } from '../types';
import {
  distinctValues,
  filterRows,
  matchesResolved,
  IncrementalSorter,
  summarize,
  type DistinctValues,
  type RowSummary,
} from '../utils/rows';

export interface BlotterRowsParams {
  rows: BlotterRow[];
  version: number;
  filters: RowFilters;
  sort: SortState;
  /** Multi-value subscription filters the server could not apply. */
  resolved: ResolvedFilter;
  maxRows: number;
}

export interface BlotterRowsResult {
  /** Sorted, filtered, capped at maxRows. */
  visible: BlotterRow[];
  /** Rows that pass the filters (before the cap). */
  matched: number;
  /** Rows before the toolbar filters. */
  total: number;
  summary: RowSummary;
  /** Engines, strategies and symbols present, for the filter menus. */
  getDistinct: () => DistinctValues;
}

/** What the grid shows: filter, sort and cap, recomputed only when rows or settings change. */
export function useBlotterRows({
  rows,
  version,
  filters,
  sort,
  resolved,
  maxRows,
}: BlotterRowsParams): BlotterRowsResult {
  const [sorter] = useState(() => new IncrementalSorter());
  return useMemo(() => {
    const needsScope = Boolean(resolved.engine || resolved.strategy || resolved.symbol);
    const scoped = needsScope ? rows.filter((r) => matchesResolved(r.order, resolved)) : rows;
    const filtered = filterRows(scoped, filters);
    const sorted = sorter.sort(filtered, sort);
    let distinct: DistinctValues | null = null;
    return {
      visible: sorted.length > maxRows ? sorted.slice(0, Math.max(0, maxRows)) : sorted,
      matched: sorted.length,
      total: scoped.length,
      summary: summarize(filtered),
      // computed when asked (a filter menu opens), not on every frame
      getDistinct: () => (distinct ??= distinctValues(scoped)),
    };
    // version stands for the contents of `rows`
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, version, filters, sort, resolved, maxRows]);
}
