import React, { useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { ORDERS_TABLE } from '../../columns/orders';
import { ROW_HEIGHTS, TEST_IDS } from '../../constants';
import { useBlotterRows } from '../../hooks/useBlotterRows';
import type { FeedOrders } from '../../hooks/useFeedOrders';
import { useRowFilters } from '../../hooks/useRowFilters';
import { useSort } from '../../hooks/useSort';
import type { BlotterOptions, ResolvedFilter } from '../../types';
import { hasActiveFilters } from '../../utils/rows';
import { FeedState, feedPlaceholder, type FeedStateKind } from '../FeedState';
import { fitColumns, Grid } from '../Grid';
import { StaleBanner } from '../StaleBanner';
import { BlotterHeader } from './components/BlotterHeader';
import { BlotterToolbar } from './components/BlotterToolbar';
import { getStyles } from './Blotter.styles';

export type BlotterDisplayOptions = Pick<BlotterOptions, 'columns' | 'density' | 'flash' | 'maxRows'>;

export interface BlotterProps {
  feed: FeedOrders;
  /** The interpolated feed URL ('' when unusable) and what the user typed. */
  url: string;
  rawUrl: string;
  /** Subscription filters with lists the server could not apply. */
  resolved: ResolvedFilter;
  options: BlotterDisplayOptions;
  width: number;
  height: number;
  /** The dashboard's time zone (PanelProps.timeZone); 'browser' on the standalone page. */
  timeZone?: TimeZone;
  /** Standalone page: lets the user enter another token after a 401. */
  onChangeToken?: () => void;
  unconfiguredHint?: string;
}

/** Below this width the toolbar keeps only search, symbol and side. */
const COMPACT_WIDTH = 640;
/** Header and toolbar, for the first layout estimate of the grid. */
const CHROME_HEIGHT = 84;
const GRID_HEADER_HEIGHT = 32;

/** The live order blotter: header, filters and the virtualized grid, or a state to act on. */
export const Blotter = ({
  feed,
  url,
  rawUrl,
  resolved,
  options,
  width,
  height,
  timeZone = 'browser',
  onChangeToken,
  unconfiguredHint,
}: BlotterProps) => {
  const styles = useStyles2(getStyles);
  const { sort, toggle } = useSort();
  const { filters, setList, setSearch, clear } = useRowFilters();
  const maxRows = options.maxRows > 0 ? options.maxRows : Infinity;
  const view = useBlotterRows({ rows: feed.rows, version: feed.version, filters, sort, resolved, maxRows });
  const distinctOf = useRef(view.getDistinct);
  useLayoutEffect(() => {
    distinctOf.current = view.getDistinct;
  });
  const getDistinct = useCallback(() => distinctOf.current(), []);
  const columns = useMemo(
    () => fitColumns(ORDERS_TABLE.columns, options.columns, width - 16),
    [options.columns, width]
  );
  const sorting = useMemo(() => ({ state: sort, onSort: toggle }), [sort, toggle]);
  const rowHeight = ROW_HEIGHTS[options.density] ?? ROW_HEIGHTS.normal;
  const { state } = feed;
  const closed = view.visible.reduce((n, r) => (r.closedAt !== undefined ? n + 1 : n), 0);

  const scoped = Boolean(resolved.engine || resolved.strategy || resolved.symbol);
  const placeholder: FeedStateKind | null =
    feedPlaceholder({
      url,
      rawUrl,
      unconfiguredHint,
      state,
      loaded: feed.loaded,
      total: view.total,
      scoped,
      what: 'orders',
    }) ?? (view.matched === 0 && hasActiveFilters(filters) ? { kind: 'no-match', total: view.total } : null);

  return (
    <div
      className={styles.root}
      style={{ width, height }}
      data-testid={TEST_IDS.blotter.root}
      data-connection={state.status}
    >
      <BlotterHeader
        summary={view.summary}
        shown={view.visible.length}
        matched={view.matched}
        closed={closed}
        state={state}
        timeZone={timeZone}
      />
      {url && (
        <BlotterToolbar
          filters={filters}
          getDistinct={getDistinct}
          onListChange={setList}
          onSearchChange={setSearch}
          onClear={clear}
          compact={width < COMPACT_WIDTH}
        />
      )}
      {!placeholder && <StaleBanner state={state} what="orders" timeZone={timeZone} />}
      {placeholder ? (
        <FeedState state={placeholder} onClearFilters={clear} onChangeToken={onChangeToken} />
      ) : (
        <Grid
          table={ORDERS_TABLE}
          rows={view.visible}
          columns={columns}
          sort={sorting}
          keyboard
          rowHeight={rowHeight}
          headerHeight={GRID_HEADER_HEIGHT}
          flash={options.flash}
          timeZone={timeZone}
          width={width}
          height={Math.max(rowHeight * 3, height - CHROME_HEIGHT)}
        />
      )}
    </div>
  );
};
