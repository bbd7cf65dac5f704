import { act, renderHook } from '@testing-library/react';

import { useWindowSize } from './useWindowSize';

describe('useWindowSize', () => {
  it('follows the viewport', () => {
    const { result } = renderHook(() => useWindowSize());
    expect(result.current).toEqual({ width: window.innerWidth, height: window.innerHeight });
    act(() => {
      Object.assign(window, { innerWidth: 375, innerHeight: 700 });
      window.dispatchEvent(new Event('resize'));
    });
    expect(result.current).toEqual({ width: 375, height: 700 });
  });
});
