import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { StandardEditorsRegistryItem } from '@grafana/data';

import { ALL_COLUMNS } from '../../../constants';
import type { ColumnId } from '../../../types';
import { ColumnsEditor } from './ColumnsEditor';

const item = {} as StandardEditorsRegistryItem<ColumnId[]>;

describe('ColumnsEditor', () => {
  it('toggles columns and keeps the canonical order', () => {
    const onChange = jest.fn();
    const { rerender } = render(
      <ColumnsEditor value={['symbol', 'side']} onChange={onChange} item={item} context={{ data: [] }} />
    );
    fireEvent.click(screen.getByLabelText('Created'));
    expect(onChange).toHaveBeenLastCalledWith(['created', 'symbol', 'side']);
    fireEvent.click(screen.getByLabelText('Side'));
    expect(onChange).toHaveBeenLastCalledWith(['symbol']);
    fireEvent.click(screen.getByText('Show all'));
    expect(onChange).toHaveBeenLastCalledWith(ALL_COLUMNS);
    rerender(<ColumnsEditor value={ALL_COLUMNS} onChange={onChange} item={item} context={{ data: [] }} />);
    expect(screen.queryByText('Show all')).not.toBeInTheDocument();
  });
});
