import React, { useCallback, useId, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../constants';
import { useGridKeyboard } from '../../hooks/useGridKeyboard';
import { useNow } from '../../hooks/useNow';
import type { SortDirection } from '../../types';
import { GridRow } from './components/GridRow';
import { getStyles } from './Grid.styles';
import { gridTemplate } from './layout';
import type { GridTable } from './types';

/** Sortable headers: the sorted column and what a click on a header does. */
export interface GridSort<C extends string> {
  state: { column: C; direction: SortDirection };
  onSort: (column: C) => void;
}

export interface GridProps<R, C extends string> {
  table: GridTable<R, C>;
  rows: readonly R[];
  /** The columns shown, in order (see fitColumns). */
  columns: readonly C[];
  /** Without it the headers are plain labels. */
  sort?: GridSort<C>;
  /** Rows get a keyboard cursor (the grid takes the focus). */
  keyboard: boolean;
  rowHeight: number;
  headerHeight: number;
  flash: boolean;
  /** The dashboard's time zone ('browser' outside Grafana). */
  timeZone: TimeZone;
  /** Size hint for the first render (and for jsdom, which has no layout). */
  width: number;
  height: number;
}

/**
 * The table of every mode: column headers and a virtualized body of fixed-height rows. Only
 * the rows in view (plus a few) are in the DOM. With `keyboard`: Tab to the grid, then
 * arrows, Page Up/Down, Home/End; with `sort`, Enter or Space on a column header sorts.
 */
export function Grid<R, C extends string>({
  table,
  rows,
  columns,
  sort,
  keyboard,
  rowHeight,
  headerHeight,
  flash,
  timeZone,
  width,
  height,
}: GridProps<R, C>) {
  const styles = useStyles2(getStyles);
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow(1000);
  const idPrefix = useId();
  const template = useMemo(() => gridTemplate(table.columns, columns), [table, columns]);
  const bodyHeight = Math.max(rowHeight, height - headerHeight);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => {
      const row = rows[index];
      return row === undefined ? index : table.key(row);
    },
    overscan: 6,
    initialRect: { width, height: bodyHeight },
  });

  const scrollTo = useCallback((index: number) => virtualizer.scrollToIndex(index, { align: 'auto' }), [virtualizer]);
  const pageSize = Math.max(1, Math.floor(bodyHeight / rowHeight));
  const cursor = useGridKeyboard(rows.length, pageSize, scrollTo);
  const activeIndex = keyboard ? cursor.activeIndex : -1;
  const rowId = (key: string) => `${idPrefix}-row-${key}`;
  const activeRow = activeIndex >= 0 ? rows[activeIndex] : undefined;

  return (
    <div
      className={styles.grid}
      role="grid"
      aria-label={table.label}
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      aria-activedescendant={activeRow === undefined ? undefined : rowId(table.key(activeRow))}
      tabIndex={keyboard ? 0 : undefined}
      onKeyDown={keyboard ? cursor.onKeyDown : undefined}
      data-testid={table.testIds.grid}
      data-row-count={rows.length}
    >
      <div role="rowgroup" className={styles.headerGroup}>
        <div
          role="row"
          aria-rowindex={1}
          className={styles.headerRow}
          style={{ gridTemplateColumns: template, height: headerHeight }}
        >
          {columns.map((c) => {
            const def = table.columns[c];
            const right = def.align === 'right';
            if (!sort) {
              return (
                <div key={c} role="columnheader" className={styles.headerCell} data-column={c}>
                  <span className={right ? `${styles.headerLabelOnly} ${styles.right}` : styles.headerLabelOnly}>
                    <span className={styles.headerLabel}>{def.label}</span>
                  </span>
                </div>
              );
            }
            const sorted = sort.state.column === c;
            const ascending = sort.state.direction === 'asc';
            return (
              <div
                key={c}
                role="columnheader"
                aria-sort={sorted ? (ascending ? 'ascending' : 'descending') : 'none'}
                className={styles.headerCell}
                data-testid={TEST_IDS.columnHeader.root}
                data-column={c}
              >
                <button
                  type="button"
                  className={right ? `${styles.sortButton} ${styles.right}` : styles.sortButton}
                  onClick={() => sort.onSort(c)}
                  data-testid={`${TEST_IDS.columnHeader.sortButton}-${c}`}
                  title={`Sort by ${def.label.toLowerCase()}`}
                >
                  <span className={styles.headerLabel}>{def.label}</span>
                  <span aria-hidden className={sorted ? styles.sortMark : `${styles.sortMark} ${styles.sortMarkIdle}`}>
                    {sorted && !ascending ? '▼' : '▲'}
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
            if (row === undefined) {
              return null;
            }
            const key = table.key(row);
            return (
              <GridRow
                key={key}
                id={rowId(key)}
                table={table}
                row={row}
                ariaRowIndex={item.index + 2}
                columns={columns}
                template={template}
                height={rowHeight}
                top={item.start}
                now={now}
                timeZone={timeZone}
                flash={flash}
                active={item.index === activeIndex}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
