import { act, renderHook } from '@testing-library/react';

import { DEFAULT_SORT, useSort } from './useSort';

describe('useSort', () => {
  it('starts newest first, flips on the same column and starts fresh on another', () => {
    const { result } = renderHook(() => useSort());
    expect(result.current.sort).toEqual(DEFAULT_SORT);
    act(() => result.current.toggle('created'));
    expect(result.current.sort).toEqual({ column: 'created', direction: 'asc' });
    act(() => result.current.toggle('symbol'));
    expect(result.current.sort).toEqual({ column: 'symbol', direction: 'asc' });
    act(() => result.current.toggle('symbol'));
    expect(result.current.sort).toEqual({ column: 'symbol', direction: 'desc' });
    act(() => result.current.toggle('quantity'));
    expect(result.current.sort).toEqual({ column: 'quantity', direction: 'desc' });
  });
});
