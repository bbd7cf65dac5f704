import { renderHook } from '@testing-library/react';

import { DEFAULT_OPTIONS } from '../constants';
import type { ReplaceVariables } from '../utils/variables';
import { useInterpolatedOptions } from './useInterpolatedOptions';

const replacer = (values: Record<string, string>): ReplaceVariables =>
  ((v: string) => v.replace(/\$(\w+)/g, (m, k) => values[k] ?? m)) as ReplaceVariables;

describe('useInterpolatedOptions', () => {
  it('interpolates $engine, $strategy, $symbol and the URL', () => {
    const { result } = renderHook(() =>
      useInterpolatedOptions(
        { ...DEFAULT_OPTIONS, feedUrl: 'wss://$host/feed', viewerToken: ' t0k ' },
        replacer({ host: 'ex:9478', engine: 'galfriday', strategy: 'mm', symbol: 'XRP/USD' })
      )
    );
    expect(result.current).toMatchObject({
      url: 'wss://ex:9478/feed',
      token: 't0k',
      feedFilter: { engine: 'galfriday', strategy: 'mm', symbol: 'XRP/USD' },
    });
  });

  it('keeps its identity while the values stay the same, so the socket is not reopened', () => {
    let values: Record<string, string> = { engine: 'e1' };
    const { result, rerender } = renderHook(() => useInterpolatedOptions(DEFAULT_OPTIONS, replacer(values)));
    const first = result.current;
    expect(first.feedFilter).toEqual({ engine: 'e1' });
    rerender();
    expect(result.current).toBe(first);
    values = { engine: 'e2' };
    rerender();
    expect(result.current.feedFilter).toEqual({ engine: 'e2' });
  });

  it('drops unknown variables instead of filtering on "$engine"', () => {
    const { result } = renderHook(() => useInterpolatedOptions(DEFAULT_OPTIONS, replacer({})));
    expect(result.current.feedFilter).toEqual({});
  });
});
