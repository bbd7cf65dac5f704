import type React from 'react';
import type { TimeZone } from '@grafana/schema';

import type { CellText } from './components/GridRow/GridRow.styles';

/** What a cell's render function gets besides its row. */
export interface CellContext {
  /** The grid's clock (ms), ticking once a second: ages and relative times read it. */
  now: number;
  /** The dashboard's time zone ('browser' outside Grafana). */
  timeZone: TimeZone;
  /** Text classes shared by every mode's cells (muted, sides, statuses, PnL tones). */
  text: CellText;
}

export interface GridColumn<R> {
  label: string;
  /** Narrowest useful width in px; used to decide what fits. */
  minWidth: number;
  /** Grid track weight once every visible column has its minimum. */
  grow: number;
  /** 1 is kept longest; higher numbers are hidden first on a narrow panel. */
  priority: number;
  align: 'left' | 'right' | 'center';
  render: (row: R, ctx: CellContext) => React.ReactNode;
}

/** Test ids of one mode's grid: the browser tests select rows and cells by them. */
export interface GridTestIds {
  grid: string;
  row: string;
  cell: string;
  flash: string;
}

/** A data-* attribute of a row element, as the browser tests read it. */
export type RowDataset = Record<`data-${string}`, string>;

/**
 * One mode of the grid (orders, fills): its columns and what the grid needs to know of a
 * row. The grid itself knows nothing of orders or fills.
 */
export interface GridTable<R, C extends string> {
  /** The grid's accessible name. */
  label: string;
  columns: Record<C, GridColumn<R>>;
  testIds: GridTestIds;
  key: (row: R) => string;
  /** Wall-clock ms of the row's last live change; undefined for a row from a snapshot. */
  changedAt: (row: R) => number | undefined;
  /** A row shown faded (a closed order kept for a while). */
  faded: (row: R) => boolean;
  dataset: (row: R) => RowDataset;
}
