import { act, renderHook } from '@testing-library/react';

import { useNow } from './useNow';

describe('useNow', () => {
  it('ticks every interval and stops on unmount', () => {
    jest.useFakeTimers();
    try {
      jest.setSystemTime(1_000_000);
      const { result, unmount } = renderHook(() => useNow(1000));
      expect(result.current).toBe(1_000_000);
      act(() => jest.advanceTimersByTime(1000));
      expect(result.current).toBe(1_001_000);
      unmount();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
