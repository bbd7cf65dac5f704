import { useCallback, useState } from 'react';

import type { ColumnId, SortState } from '../types';

/** Columns whose natural first click is "largest/newest first". */
const DESC_FIRST: ReadonlySet<ColumnId> = new Set(['created', 'quantity', 'filled', 'fees', 'age']);

export const DEFAULT_SORT: SortState = { column: 'created', direction: 'desc' };

/** Sort state of the grid: a click on the sorted column flips it, another column starts fresh. */
export function useSort(initial: SortState = DEFAULT_SORT) {
  const [sort, setSort] = useState<SortState>(initial);
  const toggle = useCallback((column: ColumnId) => {
    setSort((prev) =>
      prev.column === column
        ? { column, direction: prev.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: DESC_FIRST.has(column) ? 'desc' : 'asc' }
    );
  }, []);
  return { sort, toggle, setSort };
}
