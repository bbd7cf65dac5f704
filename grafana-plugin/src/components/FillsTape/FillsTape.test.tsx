import React from 'react';
import { render, screen, within } from '@testing-library/react';
import type { ConnectionState } from '@tradewatch/feed-client';

import { TEST_IDS } from '../../constants';
import type { FeedFills } from '../../hooks/useFeedFills';
import { fill } from '../../testUtils/fakeFeedClient';
import type { TapeRow } from '../../types';
import { FillsTape, type FillsTapeProps } from './FillsTape';

const tape = (...partials: Array<Parameters<typeof fill>[0]>): TapeRow[] =>
  partials.map((p) => {
    const f = fill(p);
    return { key: `${f.engine}/${f.fill_id}`, fill: f, tsMs: Date.parse(f.ts) };
  });

const LIVE: ConnectionState = { status: 'live', since: 1 };

function renderTape(feed: Partial<FeedFills>, props: Partial<FillsTapeProps> = {}) {
  const full: FeedFills = { rows: [], version: 1, state: LIVE, loaded: true, ...feed };
  return render(
    <FillsTape
      feed={full}
      url="ws://x/feed"
      rawUrl="ws://x/feed"
      scoped={false}
      density="normal"
      flash
      width={1000}
      height={400}
      timeZone="utc"
      {...props}
    />
  );
}

describe('FillsTape', () => {
  it('lists the fills in the order given (newest first) with the total realized PnL, colored by sign', () => {
    renderTape({
      rows: tape(
        { fill_id: 'new', realized_pnl: 5 },
        { fill_id: 'mid', realized_pnl: -2.5 },
        { fill_id: 'old', realized_pnl: 0 }
      ),
    });
    const rows = screen.getAllByTestId(TEST_IDS.fills.row);
    expect(rows.map((r) => r.getAttribute('data-fill-id'))).toEqual(['new', 'mid', 'old']);
    expect(rows.map((r) => r.getAttribute('data-pnl'))).toEqual(['profit', 'loss', 'flat']);
    expect(screen.getByTestId(TEST_IDS.fills.count)).toHaveTextContent('3');
    expect(screen.getByTestId(TEST_IDS.fills.pnlTotal)).toHaveTextContent('+2.50');
    const headers = within(screen.getByTestId(TEST_IDS.fills.grid)).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual([
      'Time',
      'Engine',
      'Symbol',
      'Side',
      'Price',
      'Quantity',
      'Fee',
      'Realized PnL',
      'Strategy',
    ]);
  });

  it('a narrow panel keeps symbol, side and the realized PnL', () => {
    renderTape({ rows: tape({}) }, { width: 250 });
    const headers = within(screen.getByTestId(TEST_IDS.fills.grid)).getAllByRole('columnheader');
    expect(headers.map((h) => h.getAttribute('data-column'))).toEqual(['symbol', 'side', 'realizedPnl']);
  });

  it('says there are no fills yet, or why it cannot connect, instead of an empty grid', () => {
    const { unmount } = renderTape({ rows: [] }, { scoped: true });
    expect(screen.getByTestId(TEST_IDS.state.empty)).toHaveTextContent('No fills yet');
    expect(screen.getByTestId(TEST_IDS.state.empty)).toHaveTextContent('filter');
    unmount();
    renderTape({
      rows: [],
      loaded: false,
      state: {
        status: 'reconnecting',
        attempt: 2,
        staleSince: null,
        problem: {
          kind: 'unauthorized',
          message: 'cannot reach the feed at ws://x/feed: 401, check the viewer token',
          status: 401,
        },
      },
    });
    expect(screen.getByTestId(TEST_IDS.state.error)).toHaveTextContent('401, check the viewer token');
  });

  it('without a usable URL it asks for one', () => {
    renderTape({}, { url: '', rawUrl: 'http://nope' });
    expect(screen.getByTestId(TEST_IDS.state.unconfigured)).toHaveTextContent(
      '“http://nope” is not a ws:// or wss:// URL'
    );
  });
});
