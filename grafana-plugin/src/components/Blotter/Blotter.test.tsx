import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';

import { ALL_COLUMNS, TEST_IDS } from '../../constants';
import { useFeedOrders } from '../../hooks/useFeedOrders';
import { fakeFactory, manualFrames, order } from '../../testUtils/fakeFeedClient';
import type { ResolvedFilter } from '../../types';
import { Blotter, type BlotterDisplayOptions } from './Blotter';

const display: BlotterDisplayOptions = { columns: ALL_COLUMNS, density: 'normal', flash: true, maxRows: 1000 };
const noScope: ResolvedFilter = {};

function Harness({
  factory,
  frames,
  options = display,
  width = 1200,
  retentionMs = 5000,
  url = 'ws://x/feed',
}: {
  factory: ReturnType<typeof fakeFactory>;
  frames: ReturnType<typeof manualFrames>;
  options?: BlotterDisplayOptions;
  width?: number;
  retentionMs?: number;
  url?: string;
}) {
  const feed = useFeedOrders({ url, token: 't', filter: {}, retentionMs, createClient: factory, scheduler: frames });
  return <Blotter feed={feed} url={url} rawUrl={url} resolved={noScope} options={options} width={width} height={600} />;
}

function setup(props: Partial<React.ComponentProps<typeof Harness>> = {}) {
  const factory = fakeFactory();
  const frames = manualFrames();
  const utils = render(<Harness factory={factory} frames={frames} {...props} />);
  const client = factory.last();
  const push = (fn: () => void) => {
    act(fn);
    act(() => frames.flush());
  };
  return { ...utils, factory, frames, client, push };
}

const rowIds = () => screen.queryAllByTestId(TEST_IDS.blotter.row).map((r) => r.getAttribute('data-order-id'));
const rowOf = (id: string) =>
  screen.getAllByTestId(TEST_IDS.blotter.row).find((r) => r.getAttribute('data-order-id') === id)!;

describe('Blotter', () => {
  it('shows connecting, then the rows of the snapshot with counts', () => {
    const { client, push } = setup();
    expect(screen.getByTestId(TEST_IDS.state.empty)).toHaveAttribute('data-state', 'connecting');
    push(() => {
      client.setState({ status: 'live', since: Date.now() });
      client.snapshot([
        order({ order_id: 'a', side: 'buy', quantity: 10, limit_price: 2, created_at: '2024-01-01T10:00:00Z' }),
        order({ order_id: 'b', side: 'sell', quantity: 5, limit_price: 3, created_at: '2024-01-01T11:00:00Z' }),
      ]);
    });
    expect(rowIds()).toEqual(['b', 'a']);
    expect(screen.getByTestId(TEST_IDS.header.orders)).toHaveTextContent('2');
    expect(screen.getByTestId(TEST_IDS.header.buyNotional)).toHaveTextContent('20');
    expect(screen.getByTestId(TEST_IDS.header.sellNotional)).toHaveTextContent('15');
    expect(screen.getByTestId(TEST_IDS.connection.root)).toHaveAttribute('data-status', 'live');
    const cells = within(rowOf('a')).getAllByTestId(TEST_IDS.blotter.cell);
    expect(cells.map((c) => c.getAttribute('data-column'))).toEqual(ALL_COLUMNS);
    expect(screen.getByRole('grid')).toHaveAttribute('aria-rowcount', '3');
  });

  it('sorts by any column from its header, with aria-sort', () => {
    const { client, push } = setup();
    push(() =>
      client.snapshot([
        order({ order_id: 'a', symbol: 'XRP/USD', quantity: 1 }),
        order({ order_id: 'b', symbol: 'BTC/USD', quantity: 3 }),
        order({ order_id: 'c', symbol: 'DOGE/USD', quantity: 2 }),
      ])
    );
    fireEvent.click(screen.getByTestId(`${TEST_IDS.columnHeader.sortButton}-symbol`));
    expect(rowIds()).toEqual(['b', 'c', 'a']);
    const header = screen
      .getAllByTestId(TEST_IDS.columnHeader.root)
      .find((h) => h.getAttribute('data-column') === 'symbol')!;
    expect(header).toHaveAttribute('aria-sort', 'ascending');
    fireEvent.click(screen.getByTestId(`${TEST_IDS.columnHeader.sortButton}-symbol`));
    expect(rowIds()).toEqual(['a', 'c', 'b']);
    fireEvent.click(screen.getByTestId(`${TEST_IDS.columnHeader.sortButton}-quantity`));
    expect(rowIds()).toEqual(['b', 'c', 'a']);
  });

  it('filters with the quick search and offers to clear when nothing matches', () => {
    const { client, push } = setup();
    push(() =>
      client.snapshot([order({ order_id: 'a', symbol: 'XRP/USD' }), order({ order_id: 'b', symbol: 'DOGE/USD' })])
    );
    fireEvent.change(screen.getByTestId(TEST_IDS.toolbar.search), { target: { value: 'doge' } });
    expect(rowIds()).toEqual(['b']);
    expect(screen.getByTestId(TEST_IDS.header.orders)).toHaveTextContent('1');
    fireEvent.change(screen.getByTestId(TEST_IDS.toolbar.search), { target: { value: 'zzz' } });
    expect(screen.getByTestId(TEST_IDS.state.empty)).toHaveAttribute('data-state', 'no-match');
    fireEvent.click(screen.getByTestId(TEST_IDS.toolbar.clear));
    expect(rowIds()).toHaveLength(2);
  });

  it('flashes a changed row, and not when flash is off', () => {
    const { client, push, rerender, factory, frames } = setup();
    const a = order({ order_id: 'a' });
    push(() => client.snapshot([a, order({ order_id: 'b' })]));
    expect(screen.queryAllByTestId(TEST_IDS.blotter.flash)).toHaveLength(0);
    push(() => client.update([{ ...a, filled_quantity: 40, status: 'partially_filled' }]));
    expect(within(rowOf('a')).getByTestId(TEST_IDS.blotter.flash)).toBeInTheDocument();
    expect(within(rowOf('b')).queryByTestId(TEST_IDS.blotter.flash)).not.toBeInTheDocument();
    expect(within(rowOf('a')).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '40');
    rerender(<Harness factory={factory} frames={frames} options={{ ...display, flash: false }} />);
    expect(screen.queryAllByTestId(TEST_IDS.blotter.flash)).toHaveLength(0);
  });

  it('keeps a closed order faded with its final status, then drops it', () => {
    jest.useFakeTimers();
    try {
      const { client, push } = setup({ retentionMs: 3000 });
      const a = order({ order_id: 'a' });
      push(() => client.snapshot([a, order({ order_id: 'b' })]));
      push(() => client.update([], [{ key: 'a', finalRow: { ...a, status: 'canceled' } }]));
      expect(rowOf('a')).toHaveAttribute('data-closed', 'true');
      expect(rowOf('a')).toHaveAttribute('data-status', 'canceled');
      expect(within(rowOf('a')).getByText('Canceled')).toBeInTheDocument();
      expect(screen.getByTestId(TEST_IDS.header.orders)).toHaveTextContent('1');
      expect(screen.getByTestId(TEST_IDS.header.shown)).toHaveTextContent('1 recently closed');
      act(() => jest.advanceTimersByTime(4000));
      expect(rowIds()).toEqual(['b']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ticks the age of each order', () => {
    jest.useFakeTimers();
    try {
      jest.setSystemTime(Date.parse('2024-01-01T12:00:30Z'));
      const { client, push } = setup();
      push(() => client.snapshot([order({ order_id: 'a', created_at: '2024-01-01T12:00:00Z' })]));
      expect(within(rowOf('a')).getByTestId(TEST_IDS.blotter.age)).toHaveTextContent('30s');
      act(() => jest.advanceTimersByTime(2000));
      expect(within(rowOf('a')).getByTestId(TEST_IDS.blotter.age)).toHaveTextContent('32s');
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows the 401 message when the feed refuses the token, and a banner over stale rows', () => {
    const { client, push } = setup();
    const problem = {
      kind: 'unauthorized' as const,
      message: 'cannot reach the feed at ws://x/feed: 401, check the viewer token',
      status: 401,
    };
    push(() => client.setState({ status: 'reconnecting', attempt: 1, staleSince: null, problem }));
    expect(screen.getByTestId(TEST_IDS.state.error)).toHaveTextContent(problem.message);
    expect(screen.getByTestId(TEST_IDS.connection.root)).toHaveAttribute('data-status', 'reconnecting');

    push(() => {
      client.setState({ status: 'live', since: 1 });
      client.snapshot([order({ order_id: 'a' })]);
    });
    push(() =>
      client.setState({
        status: 'reconnecting',
        attempt: 2,
        staleSince: Date.now(),
        problem: { ...problem, kind: 'unreachable', message: 'cannot reach the feed at ws://x/feed' },
      })
    );
    expect(screen.getByTestId(TEST_IDS.state.banner)).toHaveTextContent('cannot reach the feed at ws://x/feed');
    expect(screen.getByTestId(TEST_IDS.connection.root)).toHaveTextContent(/stale since/);
    expect(rowIds()).toEqual(['a']);
  });

  it('explains an empty feed and a missing URL', () => {
    const { client, push } = setup();
    push(() => client.snapshot([]));
    expect(screen.getByTestId(TEST_IDS.state.empty)).toHaveAttribute('data-state', 'empty');
    const other = render(<Harness factory={fakeFactory()} frames={manualFrames()} url="" />);
    expect(other.getByTestId(TEST_IDS.state.unconfigured)).toBeInTheDocument();
  });

  it('hides the less important columns on a narrow panel', () => {
    const { client, push } = setup({ width: 360 });
    push(() => client.snapshot([order({ order_id: 'a' })]));
    const columns = within(rowOf('a'))
      .getAllByTestId(TEST_IDS.blotter.cell)
      .map((c) => c.getAttribute('data-column'));
    expect(columns).toEqual(expect.arrayContaining(['symbol', 'side', 'status']));
    expect(columns).not.toContain('engine');
    expect(columns).not.toContain('type');
    expect(columns.length).toBeLessThan(ALL_COLUMNS.length);
  });

  it('caps the rows at the maximum and says so', () => {
    const { client, push } = setup({ options: { ...display, maxRows: 2 } });
    push(() => client.snapshot([order(), order(), order()]));
    expect(screen.getByTestId(TEST_IDS.blotter.grid)).toHaveAttribute('data-row-count', '2');
    expect(screen.getByTestId(TEST_IDS.header.shown)).toHaveTextContent('showing 2 of 3');
  });

  it('renders only the rows in view (virtualized)', () => {
    const { client, push } = setup({ options: { ...display, maxRows: 10000 } });
    push(() => client.snapshot(Array.from({ length: 2000 }, () => order())));
    expect(screen.getByTestId(TEST_IDS.blotter.grid)).toHaveAttribute('data-row-count', '2000');
    expect(rowIds().length).toBeLessThan(60);
  });

  it('moves a keyboard cursor over the rows', () => {
    const { client, push } = setup();
    push(() =>
      client.snapshot([
        order({ order_id: 'a', created_at: '2024-01-02T00:00:00Z' }),
        order({ order_id: 'b', created_at: '2024-01-01T00:00:00Z' }),
      ])
    );
    const grid = screen.getByRole('grid');
    grid.focus();
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(grid.getAttribute('aria-activedescendant')).toBe(rowOf('b').id);
    expect(rowOf('b')).toHaveAttribute('aria-selected', 'true');
  });
});
