import React, { useCallback, useId, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../../../constants';
import { useGridKeyboard } from '../../../../hooks/useGridKeyboard';
import { useNow } from '../../../../hooks/useNow';
import type { BlotterRow as Row, ColumnId, SortState } from '../../../../types';
import { COLUMNS, gridTemplate } from '../../../../utils/columns';
import { BlotterRow } from '../BlotterRow';
import { getStyles } from './BlotterGrid.styles';

export interface BlotterGridProps {
  rows: Row[];
  columns: readonly ColumnId[];
  sort: SortState;
  onSort: (column: ColumnId) => void;
  rowHeight: number;
  flash: boolean;
  /** The dashboard's time zone ('browser' outside Grafana). */
  timeZone: TimeZone;
  /** Size hint for the first render (and for jsdom, which has no layout). */
  width: number;
  height: number;
}

const HEADER_HEIGHT = 32;

/**
 * The table: sortable column headers and a virtualized body of fixed-height rows. Only the
 * rows in view (plus a few) are in the DOM. Keyboard: Tab to the grid, then arrows, Page
 * Up/Down, Home/End; Enter or Space on a column header sorts.
 */
export const BlotterGrid = ({
  rows,
  columns,
  sort,
  onSort,
  rowHeight,
  flash,
  timeZone,
  width,
  height,
}: BlotterGridProps) => {
  const styles = useStyles2(getStyles);
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(1000);
  const idPrefix = useId();
  const template = useMemo(() => gridTemplate(columns), [columns]);
  const bodyHeight = Math.max(rowHeight, height - HEADER_HEIGHT);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 6,
    initialRect: { width, height: bodyHeight },
  });

  const scrollTo = useCallback((index: number) => virtualizer.scrollToIndex(index, { align: 'auto' }), [virtualizer]);
  const pageSize = Math.max(1, Math.floor(bodyHeight / rowHeight));
  const keyboard = useGridKeyboard(rows.length, pageSize, scrollTo);
  const rowId = (key: string) => `${idPrefix}-row-${key}`;
  const activeRow = keyboard.activeIndex >= 0 ? rows[keyboard.activeIndex] : undefined;

  return (
    <div
      className={styles.grid}
      role="grid"
      aria-label="Active orders"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      aria-activedescendant={activeRow ? rowId(activeRow.key) : undefined}
      tabIndex={0}
      onKeyDown={keyboard.onKeyDown}
      data-testid={TEST_IDS.blotter.grid}
      data-row-count={rows.length}
    >
      <div role="rowgroup" className={styles.headerGroup}>
        <div
          role="row"
          aria-rowindex={1}
          className={styles.headerRow}
          style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }}
        >
          {columns.map((c) => {
            const sorted = sort.column === c;
            const def = COLUMNS[c];
            return (
              <div
                key={c}
                role="columnheader"
                aria-sort={sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                className={styles.headerCell}
                data-testid={TEST_IDS.columnHeader.root}
                data-column={c}
              >
                <button
                  type="button"
                  className={def.align === 'right' ? `${styles.sortButton} ${styles.sortRight}` : styles.sortButton}
                  onClick={() => onSort(c)}
                  data-testid={`${TEST_IDS.columnHeader.sortButton}-${c}`}
                  title={`Sort by ${def.label.toLowerCase()}`}
                >
                  <span className={styles.headerLabel}>{def.label}</span>
                  <span aria-hidden className={sorted ? styles.sortMark : `${styles.sortMark} ${styles.sortMarkIdle}`}>
                    {sorted ? (sort.direction === 'asc' ? '▲' : '▼') : '▲'}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className={styles.body}>
        <div className={styles.spacer} style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) {
              return null;
            }
            return (
              <BlotterRow
                key={row.key}
                id={rowId(row.key)}
                row={row}
                ariaRowIndex={item.index + 2}
                columns={columns}
                template={template}
                height={rowHeight}
                top={item.start}
                now={now}
                timeZone={timeZone}
                flash={flash}
                active={item.index === keyboard.activeIndex}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
};
