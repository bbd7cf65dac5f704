import React from 'react';
import { render, screen } from '@testing-library/react';

import { TEST_IDS } from '../../constants';
import { StaleBanner } from './StaleBanner';

const problem = { kind: 'unreachable' as const, message: 'cannot reach the feed at ws://x/feed' };

describe('StaleBanner', () => {
  it('says why the feed is away and how old the rows below are', () => {
    const staleSince = Date.parse('2024-01-01T12:00:07Z');
    render(
      <StaleBanner state={{ status: 'reconnecting', attempt: 2, staleSince, problem }} what="fills" timeZone="utc" />
    );
    const banner = screen.getByRole('alert');
    expect(banner).toHaveAttribute('data-kind', 'unreachable');
    expect(banner).toHaveTextContent('cannot reach the feed at ws://x/feed — showing the fills as of');
    expect(banner).toHaveTextContent('12:00:07');
  });

  it('shows nothing while the feed is live or retrying without a problem', () => {
    const { rerender } = render(<StaleBanner state={{ status: 'live', since: 1 }} what="orders" timeZone="utc" />);
    expect(screen.queryByTestId(TEST_IDS.state.banner)).toBeNull();
    rerender(
      <StaleBanner state={{ status: 'reconnecting', attempt: 1, staleSince: null }} what="orders" timeZone="utc" />
    );
    expect(screen.queryByTestId(TEST_IDS.state.banner)).toBeNull();
  });
});
