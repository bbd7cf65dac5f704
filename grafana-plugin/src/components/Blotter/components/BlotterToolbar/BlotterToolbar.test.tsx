import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { EMPTY_FILTERS, TEST_IDS } from '../../../../constants';
import { BlotterToolbar } from './BlotterToolbar';

const distinct = { engine: ['e1', 'e2'], strategy: ['mm'], symbol: ['XRP/USD'] };

describe('BlotterToolbar', () => {
  it('sends the quick search', () => {
    const onSearchChange = jest.fn();
    render(
      <BlotterToolbar
        filters={EMPTY_FILTERS}
        getDistinct={() => distinct}
        onListChange={jest.fn()}
        onSearchChange={onSearchChange}
        onClear={jest.fn()}
        compact={false}
      />
    );
    fireEvent.change(screen.getByTestId(TEST_IDS.toolbar.search), { target: { value: 'xrp' } });
    expect(onSearchChange).toHaveBeenCalledWith('xrp');
    expect(screen.queryByTestId(TEST_IDS.toolbar.clear)).not.toBeInTheDocument();
    for (const key of ['engine', 'strategy', 'symbol', 'side', 'status']) {
      expect(screen.getByTestId(`${TEST_IDS.toolbar.filter}-${key}`)).toBeInTheDocument();
    }
  });

  it('offers to clear active filters and keeps fewer filters when compact', () => {
    const onClear = jest.fn();
    render(
      <BlotterToolbar
        filters={{ ...EMPTY_FILTERS, engine: ['e1'] }}
        getDistinct={() => distinct}
        onListChange={jest.fn()}
        onSearchChange={jest.fn()}
        onClear={onClear}
        compact
      />
    );
    fireEvent.click(screen.getByTestId(TEST_IDS.toolbar.clear));
    expect(onClear).toHaveBeenCalled();
    // engine stays because it is in use; strategy and status are hidden on a narrow panel
    expect(screen.getByTestId(`${TEST_IDS.toolbar.filter}-engine`)).toBeInTheDocument();
    expect(screen.queryByTestId(`${TEST_IDS.toolbar.filter}-strategy`)).not.toBeInTheDocument();
    expect(screen.queryByTestId(`${TEST_IDS.toolbar.filter}-status`)).not.toBeInTheDocument();
  });

  it('lists the engines present when the menu opens', () => {
    const getDistinct = jest.fn(() => distinct);
    render(
      <BlotterToolbar
        filters={EMPTY_FILTERS}
        getDistinct={getDistinct}
        onListChange={jest.fn()}
        onSearchChange={jest.fn()}
        onClear={jest.fn()}
        compact={false}
      />
    );
    expect(getDistinct).not.toHaveBeenCalled();
    fireEvent.keyDown(screen.getByLabelText('Filter by engine'), { key: 'ArrowDown' });
    expect(getDistinct).toHaveBeenCalled();
    expect(screen.getByText('e2')).toBeInTheDocument();
  });
});
