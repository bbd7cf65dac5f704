import React from 'react';
import { cleanup, render, screen, within } from '@testing-library/react';

import { FILLS_TABLE } from '../../../../columns/fills';
import { FILL_COLUMNS, TEST_IDS } from '../../../../constants';
import { fill } from '../../../../testUtils/fakeFeedClient';
import type { TapeRow } from '../../../../types';
import { GridRow } from './GridRow';

const row = (partial: Parameters<typeof fill>[0], arrivedAt?: number): TapeRow => {
  const f = fill(partial);
  return { key: f.fill_id, fill: f, tsMs: Date.parse(f.ts), arrivedAt };
};

function renderRow(r: TapeRow, now = Date.parse('2024-01-01T12:30:00Z'), flash = true) {
  render(
    <GridRow
      table={FILLS_TABLE}
      id="r1"
      active={false}
      row={r}
      ariaRowIndex={2}
      columns={FILL_COLUMNS}
      template="none"
      height={32}
      top={0}
      now={now}
      timeZone="utc"
      flash={flash}
    />
  );
  const el = screen.getByTestId(TEST_IDS.fills.row);
  const cell = (c: string) =>
    within(el)
      .getAllByTestId(TEST_IDS.fills.cell)
      .find((x) => x.getAttribute('data-column') === c)!;
  return { el, cell };
}

describe('GridRow (fills)', () => {
  it('shows every fill column: time in the dashboard zone, side, price, quantity, fee, PnL and strategy', () => {
    const { cell } = renderRow(
      row({
        ts: '2024-01-01T12:00:07Z',
        engine: 'galfriday',
        symbol: 'BTC/USD',
        side: 'buy',
        price: 64000.5,
        quantity: 0.25,
        fee: 4.2,
        realized_pnl: -4.2,
        strategy: 'momentum',
      })
    );
    expect(cell('time')).toHaveTextContent('12:00:07');
    expect(cell('engine')).toHaveTextContent('galfriday');
    expect(cell('symbol')).toHaveTextContent('BTC/USD');
    expect(cell('side')).toHaveTextContent('Buy');
    expect(cell('price')).toHaveTextContent('64,000.5');
    expect(cell('quantity')).toHaveTextContent('0.25');
    expect(cell('fee')).toHaveTextContent('4.2 USD');
    expect(cell('realizedPnl')).toHaveTextContent('−4.20');
    expect(cell('strategy')).toHaveTextContent('momentum');
  });

  it('colors the realized PnL by its sign', () => {
    const { el, cell } = renderRow(row({ realized_pnl: 12.5 }));
    expect(el).toHaveAttribute('data-pnl', 'profit');
    expect(cell('realizedPnl')).toHaveTextContent('+12.50');
    const profitClass = cell('realizedPnl').firstElementChild!.className;
    cleanup();
    const loss = renderRow(row({ realized_pnl: -3 }));
    expect(loss.el).toHaveAttribute('data-pnl', 'loss');
    expect(loss.cell('realizedPnl').firstElementChild!.className).not.toBe(profitClass);
  });

  it('highlights a fill that just arrived, not one from the snapshot', () => {
    const now = 1_000_000;
    const { el } = renderRow(row({}, now - 100), now);
    expect(el.querySelector('[aria-hidden]')).not.toBeNull();
    cleanup();
    const old = renderRow(row({}), now);
    expect(old.el.querySelector('[aria-hidden]')).toBeNull();
  });
});
