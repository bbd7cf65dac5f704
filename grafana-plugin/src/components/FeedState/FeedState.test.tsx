import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { TEST_IDS } from '../../constants';
import { FeedState } from './FeedState';

describe('FeedState', () => {
  it('shows the feed problem word for word, with what to do', () => {
    const message = 'cannot reach the feed at wss://x:9478/feed: 401, check the viewer token';
    const onChangeToken = jest.fn();
    render(
      <FeedState
        state={{ kind: 'error', url: 'wss://x:9478/feed', problem: { kind: 'unauthorized', message, status: 401 } }}
        onChangeToken={onChangeToken}
      />
    );
    expect(screen.getByRole('alert')).toHaveTextContent(message);
    expect(screen.getByRole('alert')).toHaveTextContent(/read-only viewer token/);
    fireEvent.click(screen.getByTestId(TEST_IDS.standalone.changeToken));
    expect(onChangeToken).toHaveBeenCalled();
  });

  it('explains an unset or bad URL', () => {
    const { rerender } = render(<FeedState state={{ kind: 'unconfigured', rawUrl: '' }} />);
    expect(screen.getByTestId(TEST_IDS.state.unconfigured)).toHaveTextContent(/Set the feed URL/);
    rerender(<FeedState state={{ kind: 'unconfigured', rawUrl: 'http://x/feed' }} />);
    expect(screen.getByTestId(TEST_IDS.state.unconfigured)).toHaveTextContent(/not a ws:\/\/ or wss:\/\/ URL/);
  });

  it('offers to clear filters when they hide everything', () => {
    const onClear = jest.fn();
    render(<FeedState state={{ kind: 'no-match', total: 12 }} onClearFilters={onClear} />);
    fireEvent.click(screen.getByText('Clear filters'));
    expect(onClear).toHaveBeenCalled();
  });
});
