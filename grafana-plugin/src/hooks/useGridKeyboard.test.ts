import type { KeyboardEvent } from 'react';
import { act, renderHook } from '@testing-library/react';

import { useGridKeyboard } from './useGridKeyboard';

const key = (k: string) => ({ key: k, preventDefault: jest.fn() }) as unknown as KeyboardEvent<HTMLElement>;

describe('useGridKeyboard', () => {
  it('moves the cursor with arrows, pages, Home and End, and scrolls to it', () => {
    const scrollTo = jest.fn();
    const { result } = renderHook(() => useGridKeyboard(50, 10, scrollTo));
    expect(result.current.activeIndex).toBe(-1);
    act(() => result.current.onKeyDown(key('ArrowDown')));
    expect(result.current.activeIndex).toBe(0);
    act(() => result.current.onKeyDown(key('PageDown')));
    expect(result.current.activeIndex).toBe(9);
    act(() => result.current.onKeyDown(key('End')));
    expect(result.current.activeIndex).toBe(49);
    act(() => result.current.onKeyDown(key('ArrowDown')));
    expect(result.current.activeIndex).toBe(49);
    act(() => result.current.onKeyDown(key('Home')));
    expect(result.current.activeIndex).toBe(0);
    act(() => result.current.onKeyDown(key('ArrowUp')));
    expect(result.current.activeIndex).toBe(0);
    expect(scrollTo).toHaveBeenLastCalledWith(0);
    act(() => result.current.onKeyDown(key('Escape')));
    expect(result.current.activeIndex).toBe(-1);
  });

  it('ignores keys on an empty grid', () => {
    const scrollTo = jest.fn();
    const { result } = renderHook(() => useGridKeyboard(0, 10, scrollTo));
    act(() => result.current.onKeyDown(key('ArrowDown')));
    expect(scrollTo).not.toHaveBeenCalled();
  });
});
