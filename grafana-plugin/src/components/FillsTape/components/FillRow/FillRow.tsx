import React, { memo } from 'react';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { FLASH_MS, TEST_IDS } from '../../../../constants';
import type { FillColumnId, TapeRow } from '../../../../types';
import { FILL_COLUMN_DEFS } from '../../../../utils/fillColumns';
import { formatPnl, pnlTone } from '../../../../utils/fillTape';
import { formatNumber, formatTime } from '../../../../utils/format';
import { getStyles } from './FillRow.styles';

export interface FillRowProps {
  row: TapeRow;
  /** 1-based row index for aria-rowindex (the header is row 1). */
  ariaRowIndex: number;
  columns: readonly FillColumnId[];
  template: string;
  height: number;
  top: number;
  now: number;
  timeZone: TimeZone;
  flash: boolean;
}

/** One fill of the tape: absolutely placed in the virtualized body, its PnL colored by sign. */
export const FillRow = memo(function FillRow({
  row,
  ariaRowIndex,
  columns,
  template,
  height,
  top,
  now,
  timeZone,
  flash,
}: FillRowProps) {
  const styles = useStyles2(getStyles);
  const { fill, arrivedAt } = row;
  const flashing = flash && arrivedAt !== undefined && now - arrivedAt < FLASH_MS;
  return (
    <div
      role="row"
      aria-rowindex={ariaRowIndex}
      className={styles.row}
      style={{ height, transform: `translateY(${top}px)`, gridTemplateColumns: template }}
      data-testid={TEST_IDS.fills.row}
      data-engine={fill.engine}
      data-fill-id={fill.fill_id}
      data-pnl={pnlTone(fill.realized_pnl)}
    >
      {flashing && <div key={arrivedAt} className={styles.flash} aria-hidden />}
      {columns.map((c) => (
        <div
          key={c}
          role="gridcell"
          className={styles.cells[FILL_COLUMN_DEFS[c].align]}
          data-testid={TEST_IDS.fills.cell}
          data-column={c}
        >
          {renderCell(c, row, now, timeZone, styles)}
        </div>
      ))}
    </div>
  );
});

function renderCell(
  column: FillColumnId,
  row: TapeRow,
  now: number,
  timeZone: TimeZone,
  styles: ReturnType<typeof getStyles>
): React.ReactNode {
  const { fill } = row;
  switch (column) {
    case 'time':
      return <span className={styles.muted}>{formatTime(row.tsMs, { now, timeZone })}</span>;
    case 'engine':
      return fill.engine;
    case 'symbol':
      return <span className={styles.symbol}>{fill.symbol}</span>;
    case 'side':
      return (
        <span className={fill.side === 'buy' ? styles.buy : styles.sell}>{fill.side === 'buy' ? 'Buy' : 'Sell'}</span>
      );
    case 'price':
      return formatNumber(fill.price);
    case 'quantity':
      return formatNumber(fill.quantity);
    case 'fee':
      return (
        <>
          {formatNumber(fill.fee)}
          {fill.fee_currency && <span className={styles.muted}> {fill.fee_currency}</span>}
        </>
      );
    case 'realizedPnl':
      return <span className={styles.pnl[pnlTone(fill.realized_pnl)]}>{formatPnl(fill.realized_pnl)}</span>;
    case 'strategy':
      return fill.strategy ?? <span className={styles.muted}>—</span>;
    default:
      return null;
  }
}
