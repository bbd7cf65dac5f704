import { useCallback, useState } from 'react';

import { EMPTY_FILTERS } from '../constants';
import type { RowFilters } from '../types';

export type ListFilterKey = Exclude<keyof RowFilters, 'search'>;

/** The toolbar's filters and quick search. */
export function useRowFilters(initial: RowFilters = EMPTY_FILTERS) {
  const [filters, setFilters] = useState<RowFilters>(initial);
  const setList = useCallback((key: ListFilterKey, values: string[]) => {
    setFilters((prev) => ({ ...prev, [key]: values }));
  }, []);
  const setSearch = useCallback((search: string) => {
    setFilters((prev) => ({ ...prev, search }));
  }, []);
  const clear = useCallback(() => setFilters(EMPTY_FILTERS), []);
  return { filters, setList, setSearch, clear };
}
