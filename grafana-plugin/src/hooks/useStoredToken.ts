import { useCallback, useState } from 'react';

export const TOKEN_STORAGE_KEY = 'tradewatch.viewerToken';

/** Storage that may be missing or refuse (private mode, sandboxed frames). */
function read(storage: Storage | undefined): string {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * The viewer token of the standalone page, kept in sessionStorage (this tab only, gone when
 * it closes) and never in the URL.
 */
export function useStoredToken(storage: Storage | undefined = globalThis.sessionStorage) {
  const [token, setToken] = useState(() => read(storage));
  const save = useCallback(
    (value: string) => {
      const t = value.trim();
      try {
        storage?.setItem(TOKEN_STORAGE_KEY, t);
      } catch {
        // kept in memory only
      }
      setToken(t);
    },
    [storage]
  );
  const forget = useCallback(() => {
    try {
      storage?.removeItem(TOKEN_STORAGE_KEY);
    } catch {
      // nothing stored
    }
    setToken('');
  }, [storage]);
  return { token, save, forget };
}
