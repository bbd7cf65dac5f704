import { act, renderHook } from '@testing-library/react';

import { TOKEN_STORAGE_KEY, useStoredToken } from './useStoredToken';

describe('useStoredToken', () => {
  beforeEach(() => sessionStorage.clear());

  it('keeps the token in sessionStorage and forgets it', () => {
    const { result } = renderHook(() => useStoredToken());
    expect(result.current.token).toBe('');
    act(() => result.current.save('  v13w3r '));
    expect(result.current.token).toBe('v13w3r');
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('v13w3r');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(window.location.href).not.toContain('v13w3r');
    act(() => result.current.forget());
    expect(result.current.token).toBe('');
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('reads a token saved earlier in this tab, and survives a storage that throws', () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'earlier');
    expect(renderHook(() => useStoredToken()).result.current.token).toBe('earlier');
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    } as unknown as Storage;
    const { result } = renderHook(() => useStoredToken(broken));
    act(() => result.current.save('mem'));
    expect(result.current.token).toBe('mem');
  });
});
