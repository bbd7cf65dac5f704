import { renderHook } from '@testing-library/react';

import { EMPTY_FILTERS } from '../constants';
import { order } from '../testUtils/fakeFeedClient';
import type { BlotterRow } from '../types';
import { useBlotterRows, type BlotterRowsParams } from './useBlotterRows';

const rows: BlotterRow[] = [
  { key: 'a', order: order({ order_id: 'a', engine: 'e1', side: 'buy', quantity: 10, limit_price: 1 }) },
  { key: 'b', order: order({ order_id: 'b', engine: 'e2', side: 'sell', quantity: 30, limit_price: 1 }) },
  { key: 'c', order: order({ order_id: 'c', engine: 'e3', side: 'buy', quantity: 20, limit_price: 1 }) },
];

const bySizeDesc = { column: 'quantity', direction: 'desc' } as const;

const params = (p: Partial<BlotterRowsParams> = {}): BlotterRowsParams => ({
  rows,
  version: 1,
  filters: EMPTY_FILTERS,
  sort: bySizeDesc,
  resolved: {},
  maxRows: 100,
  ...p,
});

describe('useBlotterRows', () => {
  it('sorts, caps and summarizes', () => {
    const { result } = renderHook(() => useBlotterRows(params({ maxRows: 2 })));
    expect(result.current.visible.map((r) => r.key)).toEqual(['b', 'c']);
    expect(result.current.matched).toBe(3);
    expect(result.current.summary).toEqual({ orders: 3, buyNotional: 30, sellNotional: 30 });
  });

  it('applies the toolbar filters and multi-value variables', () => {
    const { result } = renderHook(() =>
      useBlotterRows(params({ resolved: { engine: ['e1', 'e2'] }, filters: { ...EMPTY_FILTERS, side: ['buy'] } }))
    );
    expect(result.current.total).toBe(2);
    expect(result.current.visible.map((r) => r.key)).toEqual(['a']);
    expect(result.current.getDistinct().engine).toEqual(['e1', 'e2']);
  });

  it('recomputes only when the version or settings change', () => {
    const resolved = {};
    const { result, rerender } = renderHook((p: BlotterRowsParams) => useBlotterRows(p), {
      initialProps: params({ resolved }),
    });
    const first = result.current;
    rerender(params({ resolved }));
    expect(result.current).toBe(first);
    rerender(params({ resolved, version: 2 }));
    expect(result.current).not.toBe(first);
  });
});
