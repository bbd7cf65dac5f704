import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { TEST_IDS } from '../../constants';
import { FeedSummary, Stat } from './FeedSummary';

describe('FeedSummary', () => {
  it('pairs each figure with its term, a hidden term included, beside the connection', () => {
    render(
      <FeedSummary state={{ status: 'live', since: Date.now() }} timeZone="utc" testId="summary">
        <Stat label="Fills" testId="count">
          12
        </Stat>
        <Stat label="Shown" labelHidden testId="shown">
          showing 5 of 12
        </Stat>
      </FeedSummary>
    );
    const summary = screen.getByTestId('summary');
    const terms = within(summary).getAllByRole('term');
    const values = within(summary).getAllByRole('definition');
    expect(terms.map((t) => t.textContent)).toEqual(['Fills', 'Shown']);
    expect(values.map((v) => v.textContent)).toEqual(['12', 'showing 5 of 12']);
    // the hidden term stays in the accessibility tree (a screen reader says what the value is)
    expect(terms[1]).not.toHaveStyle({ display: 'none' });
    expect(within(summary).getByTestId(TEST_IDS.connection.root)).toHaveAttribute('data-status', 'live');
  });
});
