import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { TEST_IDS } from '../../../../constants';
import { order } from '../../../../testUtils/fakeFeedClient';
import type { BlotterRow } from '../../../../types';
import { BlotterGrid } from './BlotterGrid';

const rows: BlotterRow[] = Array.from({ length: 500 }, (_, i) => {
  const o = order({ order_id: `g${i}` });
  return { key: o.order_id, order: o };
});

describe('BlotterGrid', () => {
  it('has a header per column whose buttons sort, reachable by keyboard', () => {
    const onSort = jest.fn();
    render(
      <BlotterGrid
        timeZone="utc"
        rows={rows}
        columns={['symbol', 'quantity']}
        sort={{ column: 'quantity', direction: 'desc' }}
        onSort={onSort}
        rowHeight={24}
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
      <BlotterGrid
        timeZone="utc"
        rows={rows}
        columns={['symbol']}
        sort={{ column: 'created', direction: 'desc' }}
        onSort={jest.fn()}
        rowHeight={24}
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
