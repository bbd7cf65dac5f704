import React from 'react';
import { render, screen } from '@testing-library/react';

import { FillProgress } from './FillProgress';

describe('FillProgress', () => {
  it('shows the filled share as a progress bar', () => {
    render(<FillProgress filled={2.5} quantity={10} />);
    const bar = screen.getByRole('progressbar');
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(bar).toHaveAttribute('aria-valuetext', '2.5 of 10 filled (25%)');
    expect(screen.getByText('25%')).toBeInTheDocument();
  });

  it('clamps and survives a zero quantity', () => {
    const { rerender } = render(<FillProgress filled={12} quantity={10} />);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    rerender(<FillProgress filled={0} quantity={0} />);
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '0');
  });
});
