import React, { memo } from 'react';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { FLASH_MS, TEST_IDS } from '../../../../constants';
import type { BlotterRow as Row, ColumnId } from '../../../../types';
import { COLUMNS, rowCreatedMs } from '../../../../utils/columns';
import { STATUS_LABELS, TYPE_LABELS, formatAge, formatNumber, formatTime } from '../../../../utils/format';
import { FillProgress } from '../FillProgress';
import { getStyles } from './BlotterRow.styles';

export interface BlotterRowProps {
  row: Row;
  /** 1-based row index for aria-rowindex (the header is row 1). */
  ariaRowIndex: number;
  columns: readonly ColumnId[];
  template: string;
  height: number;
  top: number;
  now: number;
  /** The dashboard's time zone for the created time. */
  timeZone: TimeZone;
  flash: boolean;
  active: boolean;
  id: string;
}

/** One order: absolutely placed in the virtualized body, faded when closed, flashing on change. */
export const BlotterRow = memo(function BlotterRow({
  row,
  ariaRowIndex,
  columns,
  template,
  height,
  top,
  now,
  timeZone,
  flash,
  active,
  id,
}: BlotterRowProps) {
  const styles = useStyles2(getStyles);
  const { order, changedAt, closedAt } = row;
  const closed = closedAt !== undefined;
  const flashing = flash && changedAt !== undefined && now - changedAt < FLASH_MS;
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={ariaRowIndex}
      aria-selected={active || undefined}
      // plain class lists: emotion's cx would serialize a merged class on every render
      className={closed ? (active ? styles.rowClosedActive : styles.rowClosed) : active ? styles.rowActive : styles.row}
      style={{ height, transform: `translateY(${top}px)`, gridTemplateColumns: template }}
      data-testid={TEST_IDS.blotter.row}
      data-order-id={order.order_id}
      data-status={order.status}
      data-closed={closed ? 'true' : 'false'}
    >
      {flashing && <div key={changedAt} className={styles.flash} data-testid={TEST_IDS.blotter.flash} aria-hidden />}
      {columns.map((c) => (
        <div
          key={c}
          role="gridcell"
          className={styles.cells[COLUMNS[c].align]}
          data-testid={TEST_IDS.blotter.cell}
          data-column={c}
        >
          {renderCell(c, row, now, timeZone, styles)}
        </div>
      ))}
    </div>
  );
});

function renderCell(
  column: ColumnId,
  row: Row,
  now: number,
  timeZone: TimeZone,
  styles: ReturnType<typeof getStyles>
): React.ReactNode {
  const { order } = row;
  switch (column) {
    case 'created':
      return <span className={styles.muted}>{formatTime(rowCreatedMs(row), { now, timeZone })}</span>;
    case 'engine':
      return order.engine;
    case 'strategy':
      return order.strategy ?? <span className={styles.muted}>—</span>;
    case 'symbol':
      return <span className={styles.symbol}>{order.symbol}</span>;
    case 'side':
      return (
        <span className={order.side === 'buy' ? styles.buy : styles.sell}>{order.side === 'buy' ? 'Buy' : 'Sell'}</span>
      );
    case 'type':
      return TYPE_LABELS[order.order_type] ?? order.order_type;
    case 'quantity':
      return formatNumber(order.quantity);
    case 'filled':
      return <FillProgress filled={order.filled_quantity} quantity={order.quantity} />;
    case 'limitPrice':
      return formatNumber(order.limit_price);
    case 'avgFillPrice':
      return formatNumber(order.avg_fill_price);
    case 'status':
      return (
        <span className={styles.statuses[order.status] ?? styles.statuses.new}>
          {STATUS_LABELS[order.status] ?? order.status}
        </span>
      );
    case 'age': {
      const end = row.closedAt ?? now;
      return <span data-testid={TEST_IDS.blotter.age}>{formatAge(end - rowCreatedMs(row))}</span>;
    }
    case 'fees':
      return (
        <>
          {formatNumber(order.fees)}
          {order.fee_currency && <span className={styles.muted}> {order.fee_currency}</span>}
        </>
      );
    default:
      return null;
  }
}
