import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { ORDERS_TABLE } from '../../../../columns/orders';
import { TEST_IDS } from '../../../../constants';
import { order } from '../../../../testUtils/fakeFeedClient';
import { GridRow } from './GridRow';

const base = {
  table: ORDERS_TABLE,
  ariaRowIndex: 2,
  columns: ['symbol', 'side', 'status', 'filled', 'fees', 'age'] as const,
  template: '1fr 1fr 1fr 1fr 1fr 1fr',
  height: 32,
  top: 64,
  flash: true,
  active: false,
  id: 'r1',
  timeZone: 'utc',
};

describe('GridRow (orders)', () => {
  it('renders the cells of an order', () => {
    const now = Date.parse('2024-01-01T12:01:00Z');
    const o = order({
      side: 'sell',
      status: 'partially_filled',
      quantity: 10,
      filled_quantity: 5,
      fees: 0.25,
      fee_currency: 'USD',
      created_at: '2024-01-01T12:00:00Z',
    });
    render(<GridRow {...base} columns={[...base.columns]} row={{ key: o.order_id, order: o }} now={now} />);
    const row = screen.getByTestId(TEST_IDS.blotter.row);
    expect(row).toHaveAttribute('data-closed', 'false');
    expect(row).toHaveStyle({ transform: 'translateY(64px)', height: '32px' });
    expect(within(row).getByText('Sell')).toBeInTheDocument();
    expect(within(row).getByText('Partially filled')).toBeInTheDocument();
    expect(within(row).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50');
    expect(within(row).getByTestId(TEST_IDS.blotter.age)).toHaveTextContent('1m 00s');
    expect(row).toHaveTextContent('0.25 USD');
  });

  it('flashes only within the flash time, and freezes the age of a closed order', () => {
    const o = order({ created_at: '2024-01-01T12:00:00Z' });
    const t = Date.parse('2024-01-01T12:00:10Z');
    const { rerender } = render(
      <GridRow
        {...base}
        columns={[...base.columns]}
        row={{ key: 'k', order: o, changedAt: t, closedAt: t }}
        now={t + 100}
      />
    );
    expect(screen.getByTestId(TEST_IDS.blotter.flash)).toBeInTheDocument();
    expect(screen.getByTestId(TEST_IDS.blotter.row)).toHaveAttribute('data-closed', 'true');
    rerender(
      <GridRow
        {...base}
        columns={[...base.columns]}
        row={{ key: 'k', order: o, changedAt: t, closedAt: t }}
        now={t + 60_000}
      />
    );
    expect(screen.queryByTestId(TEST_IDS.blotter.flash)).not.toBeInTheDocument();
    expect(screen.getByTestId(TEST_IDS.blotter.age)).toHaveTextContent('10s');
  });
});
