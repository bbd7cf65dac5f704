import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { TEST_IDS } from '../../../../constants';
import { TokenForm } from './TokenForm';

describe('TokenForm', () => {
  it('submits the trimmed token without navigating', () => {
    const onSubmit = jest.fn();
    render(<TokenForm feedUrl="ws://h/feed" onSubmit={onSubmit} notice="The feed refused the token." />);
    expect(screen.getByRole('alert')).toHaveTextContent('refused');
    const input = screen.getByLabelText(/^Viewer token/);
    expect(input).toHaveAttribute('type', 'password');
    expect(screen.getByTestId(TEST_IDS.standalone.connect)).toBeDisabled();
    fireEvent.change(input, { target: { value: ' abc ' } });
    const submitted = fireEvent.submit(screen.getByTestId(TEST_IDS.standalone.form));
    expect(submitted).toBe(false); // default prevented: no GET with the token in the URL
    expect(onSubmit).toHaveBeenCalledWith('abc');
  });
});
