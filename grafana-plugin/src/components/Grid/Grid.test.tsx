import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { FILLS_TABLE } from '../../columns/fills';
import { ORDERS_TABLE } from '../../columns/orders';
import { TEST_IDS } from '../../constants';
import { fill, order } from '../../testUtils/fakeFeedClient';
import type { BlotterRow, TapeRow } from '../../types';
import { Grid } from './Grid';

const rows: BlotterRow[] = Array.from({ length: 500 }, (_, i) => {
  const o = order({ order_id: `g${i}` });
  return { key: o.order_id, order: o };
});

describe('Grid (orders)', () => {
  it('has a header per column whose buttons sort, reachable by keyboard', () => {
    const onSort = jest.fn();
    render(
      <Grid
        table={ORDERS_TABLE}
        timeZone="utc"
        rows={rows}
        columns={['symbol', 'quantity']}
        sort={{ state: { column: 'quantity', direction: 'desc' }, onSort }}
        keyboard
        rowHeight={24}
        headerHeight={32}
        flash
        width={800}
        height={400}
      />
    );
    const headers = screen.getAllByRole('columnheader');
    expect(headers.map((h) => h.getAttribute('aria-sort'))).toEqual(['none', 'descending']);
    const button = screen.getByTestId(`${TEST_IDS.columnHeader.sortButton}-symbol`);
    expect(button.tagName).toBe('BUTTON');
    fireEvent.click(button);
    expect(onSort).toHaveBeenCalledWith('symbol');
  });

  it('keeps the DOM small and scrolls the cursor into view', () => {
    render(
      <Grid
        table={ORDERS_TABLE}
        timeZone="utc"
        rows={rows}
        columns={['symbol']}
        sort={{ state: { column: 'created', direction: 'desc' }, onSort: jest.fn() }}
        keyboard
        rowHeight={24}
        headerHeight={32}
        flash
        width={800}
        height={400}
      />
    );
    expect(screen.getAllByTestId(TEST_IDS.blotter.row).length).toBeLessThan(60);
    const grid = screen.getByRole('grid');
    fireEvent.keyDown(grid, { key: 'End' });
    const activeId = grid.getAttribute('aria-activedescendant')!;
    expect(activeId).toMatch(/g499$/);
    // jsdom does not scroll: do what the browser does after scrollToIndex
    const body = screen.getAllByRole('rowgroup')[1];
    body.scrollTop = 500 * 24 - 400;
    fireEvent.scroll(body);
    expect(document.getElementById(activeId)).toHaveAttribute('aria-selected', 'true');
  });
});

describe('Grid (fills)', () => {
  const tape: TapeRow[] = ['f2', 'f1'].map((id) => {
    const f = fill({ fill_id: id });
    return { key: id, fill: f, tsMs: Date.parse(f.ts) };
  });

  it('without sort or keyboard: plain header labels, rows in the order given, the grid not in the tab order', () => {
    render(
      <Grid
        table={FILLS_TABLE}
        timeZone="utc"
        rows={tape}
        columns={['symbol', 'realizedPnl']}
        keyboard={false}
        rowHeight={24}
        headerHeight={28}
        flash
        width={800}
        height={400}
      />
    );
    const grid = screen.getByRole('grid', { name: 'Fills, newest first' });
    expect(grid).toHaveAttribute('data-testid', TEST_IDS.fills.grid);
    expect(grid).not.toHaveAttribute('tabindex');
    const headers = screen.getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual(['Symbol', 'Realized PnL']);
    expect(headers.some((h) => h.hasAttribute('aria-sort'))).toBe(false);
    expect(screen.queryByRole('button')).toBeNull();
    fireEvent.keyDown(grid, { key: 'End' });
    expect(grid).not.toHaveAttribute('aria-activedescendant');
    const ids = screen.getAllByTestId(TEST_IDS.fills.row).map((r) => r.getAttribute('data-fill-id'));
    expect(ids).toEqual(['f2', 'f1']);
  });
});
