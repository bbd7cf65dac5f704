import React, { memo } from 'react';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { FLASH_MS } from '../../../../constants';
import type { GridTable } from '../../types';
import { getStyles } from './GridRow.styles';

export interface GridRowProps<R, C extends string> {
  table: GridTable<R, C>;
  row: R;
  /** 1-based row index for aria-rowindex (the header is row 1). */
  ariaRowIndex: number;
  columns: readonly C[];
  template: string;
  height: number;
  top: number;
  now: number;
  /** The dashboard's time zone for times in cells. */
  timeZone: TimeZone;
  flash: boolean;
  /** The row has the keyboard cursor. */
  active: boolean;
  id: string;
}

/** One row: absolutely placed in the virtualized body, faded if its table says so, flashing on change. */
function GridRowOf<R, C extends string>({
  table,
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
}: GridRowProps<R, C>) {
  const styles = useStyles2(getStyles);
  const changedAt = table.changedAt(row);
  const faded = table.faded(row);
  const flashing = flash && changedAt !== undefined && now - changedAt < FLASH_MS;
  const ctx = { now, timeZone, text: styles.text };
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={ariaRowIndex}
      aria-selected={active || undefined}
      // plain class lists: emotion's cx would serialize a merged class on every render
      className={faded ? (active ? styles.rowFadedActive : styles.rowFaded) : active ? styles.rowActive : styles.row}
      style={{ height, transform: `translateY(${top}px)`, gridTemplateColumns: template }}
      data-testid={table.testIds.row}
      {...table.dataset(row)}
    >
      {flashing && <div key={changedAt} className={styles.flash} data-testid={table.testIds.flash} aria-hidden />}
      {columns.map((c) => (
        <div
          key={c}
          role="gridcell"
          className={styles.cells[table.columns[c].align]}
          data-testid={table.testIds.cell}
          data-column={c}
        >
          {table.columns[c].render(row, ctx)}
        </div>
      ))}
    </div>
  );
}

/** memo() forgets the row and column type parameters; this is the same component, typed as written. */
export const GridRow: typeof GridRowOf = memo(GridRowOf) as typeof GridRowOf;
