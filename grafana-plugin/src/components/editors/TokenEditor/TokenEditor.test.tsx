import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { StandardEditorsRegistryItem } from '@grafana/data';

import { TokenEditor } from './TokenEditor';

const item = {} as StandardEditorsRegistryItem<string>;

describe('TokenEditor', () => {
  it('masks the token, warns who can see it, and trims what is typed', () => {
    const onChange = jest.fn();
    render(<TokenEditor value="secret" onChange={onChange} item={item} context={{ data: [] }} />);
    const input = screen.getByLabelText('Viewer token');
    expect(input).toHaveAttribute('type', 'password');
    expect(screen.getByText(/everyone who can edit this dashboard/)).toHaveTextContent(/read-only viewer token/);
    fireEvent.click(screen.getByText('Show'));
    expect(input).toHaveAttribute('type', 'text');
    fireEvent.change(input, { target: { value: ' abc ' } });
    expect(onChange).toHaveBeenCalledWith('abc');
  });
});
