import React from 'react';
import { render, screen } from '@testing-library/react';

import { TEST_IDS } from '../../../../constants';
import { BlotterHeader } from './BlotterHeader';

describe('BlotterHeader', () => {
  it('shows counts, notionals and the cap', () => {
    render(
      <BlotterHeader
        summary={{ orders: 1234, buyNotional: 25000, sellNotional: 999.5 }}
        shown={1000}
        matched={1234}
        closed={2}
        state={{ status: 'live', since: Date.now() }}
        timeZone="utc"
      />
    );
    expect(screen.getByTestId(TEST_IDS.header.orders)).toHaveTextContent('1,234');
    expect(screen.getByTestId(TEST_IDS.header.buyNotional)).toHaveTextContent('25.0k');
    expect(screen.getByTestId(TEST_IDS.header.sellNotional)).toHaveTextContent('999.5');
    expect(screen.getByTestId(TEST_IDS.header.shown)).toHaveTextContent('showing 1,000 of 1,234 · 2 recently closed');
    expect(screen.getByTestId(TEST_IDS.connection.root)).toHaveAttribute('data-status', 'live');
  });
});
