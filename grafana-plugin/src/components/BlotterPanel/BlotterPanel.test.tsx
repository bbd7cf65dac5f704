import React from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { LoadingState, getDefaultTimeRange, type PanelProps } from '@grafana/data';

import { DEFAULT_OPTIONS, TEST_IDS } from '../../constants';
import { fakeFactory, fill, order } from '../../testUtils/fakeFeedClient';
import type { BlotterOptions } from '../../types';
import type { ReplaceVariables } from '../../utils/variables';
import { BlotterPanel } from './BlotterPanel';

const mockFactory = fakeFactory();
jest.mock('../../feed', () => ({
  createFeedClient: (options: never) => mockFactory(options),
}));

const replacer = (values: Record<string, string>): ReplaceVariables =>
  ((v: string) => v.replace(/\$(\w+)/g, (m, k) => values[k] ?? m)) as ReplaceVariables;

function props(
  options: Partial<BlotterOptions>,
  replaceVariables: ReplaceVariables,
  timeZone = 'utc'
): PanelProps<BlotterOptions> {
  return {
    id: 1,
    data: { series: [], state: LoadingState.Done, timeRange: getDefaultTimeRange() },
    timeRange: getDefaultTimeRange(),
    timeZone,
    options: { ...DEFAULT_OPTIONS, ...options },
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 1000,
    height: 500,
    renderCounter: 0,
    title: 'Blotter',
    eventBus: { publish: jest.fn() } as never,
    replaceVariables,
  } as PanelProps<BlotterOptions>;
}

describe('BlotterPanel', () => {
  beforeEach(() => mockFactory.clients.splice(0));

  it('subscribes with dashboard variables interpolated in the URL and the filters', () => {
    const vars = replacer({ host: 'ex:9478', engine: 'galfriday', symbol: 'XRP/USD' });
    render(<BlotterPanel {...props({ feedUrl: 'ws://$host/feed', viewerToken: 'v1' }, vars)} />);
    const client = mockFactory.last();
    expect(client.options).toEqual({ url: 'ws://ex:9478/feed', token: 'v1' });
    // $strategy is not a variable on this dashboard: no strategy filter
    expect(client.subscriptions[0].filter).toEqual({ engine: 'galfriday', symbol: 'XRP/USD' });
  });

  it('renders the feed rows once per animation frame', async () => {
    render(<BlotterPanel {...props({}, replacer({}))} />);
    const client = mockFactory.last();
    act(() => client.snapshot([order({ order_id: 'p1' })]));
    expect(await screen.findByTestId(TEST_IDS.blotter.row)).toHaveAttribute('data-order-id', 'p1');
  });

  it('reopens the socket when a variable changes and closes it on unmount', () => {
    const { rerender, unmount } = render(<BlotterPanel {...props({}, replacer({ engine: 'e1' }))} />);
    expect(mockFactory.clients).toHaveLength(1);
    rerender(<BlotterPanel {...props({}, replacer({ engine: 'e1' }))} />);
    expect(mockFactory.clients).toHaveLength(1);
    rerender(<BlotterPanel {...props({}, replacer({ engine: 'e2' }))} />);
    expect(mockFactory.clients).toHaveLength(2);
    expect(mockFactory.clients[0].closed).toBe(true);
    expect(mockFactory.last().subscriptions[0].filter).toEqual({ engine: 'e2' });
    unmount();
    expect(mockFactory.last().closed).toBe(true);
  });

  it.each([
    ['utc', '2024-06-01 09:05:07'],
    ['Asia/Tokyo', '2024-06-01 18:05:07'],
    ['America/New_York', '2024-06-01 05:05:07'],
  ])("shows times in the dashboard's time zone (%s)", async (timeZone, shown) => {
    render(<BlotterPanel {...props({ columns: ['created', 'symbol'] }, replacer({}), timeZone)} />);
    act(() => mockFactory.last().snapshot([order({ order_id: 'tz1', created_at: '2024-06-01T09:05:07Z' })]));
    await screen.findByTestId(TEST_IDS.blotter.row);
    const cell = document.querySelector(`[data-testid="${TEST_IDS.blotter.cell}"][data-column="created"]`);
    expect(cell).toHaveTextContent(shown);
  });

  it('asks for a feed URL when there is none', () => {
    render(<BlotterPanel {...props({ feedUrl: '' }, replacer({}))} />);
    expect(screen.getByTestId(TEST_IDS.state.unconfigured)).toBeInTheDocument();
    expect(mockFactory.clients).toHaveLength(0);
  });

  it('in fills mode shows the tape of fills, newest first, with their realized PnL, live', async () => {
    render(<BlotterPanel {...props({ channel: 'fills' }, replacer({ engine: 'e1' }))} />);
    const client = mockFactory.last();
    expect(client.subscriptions).toEqual([expect.objectContaining({ channel: 'fills', filter: { engine: 'e1' } })]);
    act(() => client.snapshotFills([fill({ fill_id: 'old', realized_pnl: -0.5 })]));
    await screen.findByTestId(TEST_IDS.fills.row);
    act(() => client.updateFills([fill({ fill_id: 'new', realized_pnl: 7.25 })]));
    await waitFor(() => expect(screen.getAllByTestId(TEST_IDS.fills.row)).toHaveLength(2));
    const rows = screen.getAllByTestId(TEST_IDS.fills.row);
    expect(rows.map((r) => r.getAttribute('data-fill-id'))).toEqual(['new', 'old']);
    expect(rows[0]).toHaveTextContent('+7.25');
    expect(rows[1]).toHaveTextContent('−0.50');
    expect(screen.getByTestId(TEST_IDS.fills.pnlTotal)).toHaveTextContent('+6.75');
  });

  it('switching the mode closes the orders socket and opens one on fills', () => {
    const { rerender } = render(<BlotterPanel {...props({}, replacer({}))} />);
    const orders = mockFactory.last();
    expect(orders.subscriptions[0].channel).toBe('orders');
    rerender(<BlotterPanel {...props({ channel: 'fills' }, replacer({}))} />);
    expect(orders.closed).toBe(true);
    expect(mockFactory.last().subscriptions[0].channel).toBe('fills');
  });

  it('fills mode applies a multi-value variable on the client', async () => {
    render(<BlotterPanel {...props({ channel: 'fills' }, replacer({ symbol: 'XRP/USD,ETH/USD' }))} />);
    expect(mockFactory.last().subscriptions[0].filter).toEqual({}); // a list is not a server filter
    act(() =>
      mockFactory
        .last()
        .snapshotFills([
          fill({ fill_id: 'x', symbol: 'XRP/USD' }),
          fill({ fill_id: 'b', symbol: 'BTC/USD' }),
          fill({ fill_id: 'e', symbol: 'ETH/USD' }),
        ])
    );
    await screen.findAllByTestId(TEST_IDS.fills.row);
    expect(screen.getAllByTestId(TEST_IDS.fills.row).map((r) => r.getAttribute('data-fill-id'))).toEqual(['e', 'x']);
  });
});
