import React from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { LoadingState, getDefaultTimeRange, type DataFrame, type PanelData, type PanelProps } from '@grafana/data';

import { rowsToFrame } from '../../../datasource/frames';
import { DEFAULT_OPTIONS, TEST_IDS } from '../../constants';
import { migrateOptions } from '../../module';
import { fill, order } from '../../testUtils/fakeFeedClient';
import type { BlotterOptions } from '../../types';
import { BlotterPanel } from './BlotterPanel';

// Frames exactly as the tradewatch feed data source builds them (datasource/frames.ts).
const ordersFrame = (rows: unknown[], closed: unknown[] = [], seq = 1): DataFrame =>
  rowsToFrame('A', rows, { channel: 'orders', transport: 'websocket', seq, closed });
const fillsFrame = (rows: unknown[], seq = 1): DataFrame =>
  rowsToFrame('A', rows, { channel: 'fills', transport: 'websocket', seq });

function data(series: DataFrame[], state = LoadingState.Streaming, extra: Partial<PanelData> = {}): PanelData {
  return { series, state, timeRange: getDefaultTimeRange(), ...extra };
}

function props(
  panelData: PanelData,
  options: Record<string, unknown> = {},
  timeZone = 'utc'
): PanelProps<BlotterOptions> {
  return {
    id: 1,
    data: panelData,
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
    replaceVariables: (v: string) => v,
  } as PanelProps<BlotterOptions>;
}

const rowIds = () => screen.getAllByTestId(TEST_IDS.blotter.row).map((r) => r.getAttribute('data-order-id'));

describe('BlotterPanel fed by the data source (data.series)', () => {
  it('shows the orders of the frame, and follows the next frames: changes, new rows, closed rows with their final state', async () => {
    const a = order({ order_id: 'a1', filled_quantity: 0 });
    const b = order({ order_id: 'b1' });
    const { rerender } = render(<BlotterPanel {...props(data([ordersFrame([a, b])]))} />);
    await waitFor(() => expect(rowIds().sort()).toEqual(['a1', 'b1']));
    expect(screen.getByTestId(TEST_IDS.connection.root)).toHaveAttribute('data-status', 'live');

    const c = order({ order_id: 'c1' });
    const bFilled = { ...b, status: 'filled', filled_quantity: b.quantity };
    rerender(
      <BlotterPanel
        {...props(data([ordersFrame([{ ...a, filled_quantity: 40, status: 'partially_filled' }, c], [bFilled], 2)]))}
      />
    );
    await waitFor(() => expect(rowIds().sort()).toEqual(['a1', 'b1', 'c1']));
    const closed = screen.getAllByTestId(TEST_IDS.blotter.row).find((r) => r.getAttribute('data-order-id') === 'b1')!;
    // the closed order stays, faded, with the final state the frame carried
    expect(closed).toHaveAttribute('data-closed', 'true');
    expect(closed).toHaveTextContent(/filled/i);
  });

  it.each([
    ['utc', '2024-06-01 09:05:07'],
    ['Asia/Tokyo', '2024-06-01 18:05:07'],
  ])("shows the frame's time fields in the dashboard's time zone (%s)", async (timeZone, shown) => {
    const frame = ordersFrame([order({ order_id: 'tz1', created_at: '2024-06-01T09:05:07Z' })]);
    render(<BlotterPanel {...props(data([frame]), { columns: ['created', 'symbol'] }, timeZone)} />);
    await screen.findByTestId(TEST_IDS.blotter.row);
    const cell = document.querySelector(`[data-testid="${TEST_IDS.blotter.cell}"][data-column="created"]`);
    expect(cell).toHaveTextContent(shown);
  });

  it('a frame of the fills channel shows the tape, newest first, with the realized PnL', async () => {
    const old = fill({ fill_id: 'old', realized_pnl: -0.5, ts: '2024-06-01T09:00:00Z' });
    const { rerender } = render(<BlotterPanel {...props(data([fillsFrame([old])]))} />);
    await screen.findByTestId(TEST_IDS.fills.row);
    const fresh = fill({ fill_id: 'new', realized_pnl: 7.25, ts: '2024-06-01T09:01:00Z' });
    rerender(<BlotterPanel {...props(data([fillsFrame([old, fresh], 2)]))} />);
    await waitFor(() => expect(screen.getAllByTestId(TEST_IDS.fills.row)).toHaveLength(2));
    const rows = screen.getAllByTestId(TEST_IDS.fills.row);
    expect(rows.map((r) => r.getAttribute('data-fill-id'))).toEqual(['new', 'old']);
    expect(rows[0]).toHaveTextContent('+7.25');
    expect(screen.getByTestId(TEST_IDS.fills.pnlTotal)).toHaveTextContent('+6.75');
  });

  it('with no query on the data source it says what to add', () => {
    render(<BlotterPanel {...props(data([], LoadingState.Done))} />);
    expect(screen.getByTestId(TEST_IDS.state.unconfigured)).toHaveTextContent('tradewatch feed');
  });

  it("shows the data source's error (the proxy refused, the exporter is down)", async () => {
    const panelData = data([], LoadingState.Streaming, {
      errors: [{ message: 'tradewatch feed: cannot reach the feed at ws://grafana/…: 401, check the viewer token' }],
    });
    render(<BlotterPanel {...props(panelData)} />);
    expect(await screen.findByTestId(TEST_IDS.state.error)).toHaveTextContent('check the viewer token');
  });

  it('a dashboard saved with the old token option still renders; the token is never shown, and the migration drops it', async () => {
    const legacy = {
      feedUrl: 'ws://exporter:9478/feed',
      viewerToken: 'legacy-secret-token-0001',
      channel: 'orders',
      engineFilter: '$engine',
      density: 'compact',
    };
    const { container } = render(<BlotterPanel {...props(data([ordersFrame([order({ order_id: 'l1' })])]), legacy)} />);
    await screen.findByTestId(TEST_IDS.blotter.row);
    expect(container.innerHTML).not.toContain('legacy-secret-token-0001');
    const migrated = migrateOptions({ id: 1, options: legacy, fieldConfig: { defaults: {}, overrides: [] } } as never);
    expect(migrated).toEqual({ density: 'compact' });
    expect(JSON.stringify(migrated)).not.toContain('legacy-secret');
  });

  it('a frame skipped on the way costs nothing: the next whole frame is compared with the last one seen', async () => {
    const a = order({ order_id: 'sa' });
    const b = order({ order_id: 'sb' });
    const { rerender } = render(<BlotterPanel {...props(data([ordersFrame([a, b], [], 1)]))} />);
    await waitFor(() => expect(rowIds().sort()).toEqual(['sa', 'sb']));
    // frames 2 and 3 never reach the panel; frame 4 has sa changed, sb gone (filled), sc new
    const f4 = ordersFrame(
      [{ ...a, filled_quantity: 10, status: 'partially_filled' }, order({ order_id: 'sc' })],
      [],
      4
    );
    rerender(<BlotterPanel {...props(data([f4]))} />);
    await waitFor(() => expect(rowIds().sort()).toEqual(['sa', 'sb', 'sc']));
    const row = (id: string) =>
      screen.getAllByTestId(TEST_IDS.blotter.row).find((r) => r.getAttribute('data-order-id') === id)!;
    expect(row('sb')).toHaveAttribute('data-closed', 'true');
    expect(row('sa')).toHaveTextContent(/partial/i);
  });

  it('applies a burst of frames without losing the last one', async () => {
    const { rerender } = render(<BlotterPanel {...props(data([ordersFrame([order({ order_id: 'x0' })])]))} />);
    for (let i = 1; i <= 20; i++) {
      act(() => {
        rerender(<BlotterPanel {...props(data([ordersFrame([order({ order_id: `x${i}` })], [], i + 1)]))} />);
      });
    }
    await waitFor(() => expect(rowIds()).toContain('x20'));
  });
});
