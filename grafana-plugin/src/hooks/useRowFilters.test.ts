import { act, renderHook } from '@testing-library/react';

import { EMPTY_FILTERS } from '../constants';
import { useRowFilters } from './useRowFilters';

describe('useRowFilters', () => {
  it('sets lists and search, and clears them', () => {
    const { result } = renderHook(() => useRowFilters());
    act(() => result.current.setList('side', ['sell']));
    act(() => result.current.setSearch('xrp'));
    expect(result.current.filters).toEqual({ ...EMPTY_FILTERS, side: ['sell'], search: 'xrp' });
    act(() => result.current.clear());
    expect(result.current.filters).toEqual(EMPTY_FILTERS);
  });
});
