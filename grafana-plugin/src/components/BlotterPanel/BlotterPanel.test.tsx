import React from 'react';
import { act, render, screen } from '@testing-library/react';
import { LoadingState, getDefaultTimeRange, type PanelProps } from '@grafana/data';

import { DEFAULT_OPTIONS, TEST_IDS } from '../../constants';
import { fakeFactory, order } from '../../testUtils/fakeFeedClient';
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
});
