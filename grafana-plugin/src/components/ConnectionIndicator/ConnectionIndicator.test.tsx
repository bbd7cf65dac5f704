import React from 'react';
import { render, screen } from '@testing-library/react';

import { TEST_IDS } from '../../constants';
import { ConnectionIndicator } from './ConnectionIndicator';

describe('ConnectionIndicator', () => {
  it('says live', () => {
    render(<ConnectionIndicator state={{ status: 'live', since: Date.UTC(2024, 0, 1, 12, 0, 0) }} />);
    expect(screen.getByTestId(TEST_IDS.connection.root)).toHaveAttribute('data-status', 'live');
    expect(screen.getByText('Live')).toBeInTheDocument();
  });

  it('says reconnecting and stale since when the data is old', () => {
    const staleSince = new Date(2024, 0, 1, 9, 5, 7).getTime();
    render(<ConnectionIndicator state={{ status: 'reconnecting', attempt: 3, staleSince }} />);
    expect(screen.getByText('Reconnecting')).toBeInTheDocument();
    expect(screen.getByText(/stale since .*09:05:07/)).toBeInTheDocument();
  });

  it('says connecting and disconnected', () => {
    const { rerender } = render(<ConnectionIndicator state={{ status: 'connecting', attempt: 0 }} />);
    expect(screen.getByText('Connecting')).toBeInTheDocument();
    rerender(<ConnectionIndicator state={{ status: 'closed' }} />);
    expect(screen.getByText('Disconnected')).toBeInTheDocument();
  });
});
