import React, { useMemo } from 'react';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { FILLS_TABLE } from '../../columns/fills';
import { FILL_COLUMNS, ROW_HEIGHTS, TEST_IDS } from '../../constants';
import type { FeedFills } from '../../hooks/useFeedFills';
import type { Density } from '../../types';
import { formatPnl, pnlTone } from '../../utils/fillTape';
import { FeedState, feedPlaceholder } from '../FeedState';
import { FeedSummary, Stat } from '../FeedSummary';
import { fitColumns, Grid } from '../Grid';
import { StaleBanner } from '../StaleBanner';
import { getStyles } from './FillsTape.styles';

export interface FillsTapeProps {
  feed: FeedFills;
  /** The interpolated feed URL ('' when unusable) and what the user typed. */
  url: string;
  rawUrl: string;
  /** True when the subscription is narrowed to an engine, strategy or symbol. */
  scoped: boolean;
  density: Density;
  flash: boolean;
  width: number;
  height: number;
  timeZone?: TimeZone;
  onChangeToken?: () => void;
  unconfiguredHint?: string;
}

const HEADER_HEIGHT = 28;
/** The summary line above the grid, for the first layout estimate. */
const CHROME_HEIGHT = 40;

/**
 * The fills tape: every fill as it happens, newest on top, with the PnL it realized (green
 * when it made money, red when it lost), from the feed's `fills` channel. Virtualized rows.
 */
export const FillsTape = ({
  feed,
  url,
  rawUrl,
  scoped,
  density,
  flash,
  width,
  height,
  timeZone = 'browser',
  onChangeToken,
  unconfiguredHint,
}: FillsTapeProps) => {
  const styles = useStyles2(getStyles);
  const rows = feed.rows;
  const columns = useMemo(() => fitColumns(FILLS_TABLE.columns, FILL_COLUMNS, width - 16), [width]);
  const rowHeight = ROW_HEIGHTS[density] ?? ROW_HEIGHTS.normal;
  // the sum is over the fills on the tape, recomputed when they change
  const pnl = useMemo(
    () => rows.reduce((sum, r) => sum + (Number.isFinite(r.fill.realized_pnl) ? r.fill.realized_pnl : 0), 0),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [feed.version]
  );
  const { state } = feed;
  const placeholder = feedPlaceholder({
    url,
    rawUrl,
    unconfiguredHint,
    state,
    loaded: feed.loaded,
    total: rows.length,
    scoped,
    what: 'fills',
  });

  return (
    <div
      className={styles.root}
      style={{ width, height }}
      data-testid={TEST_IDS.fills.root}
      data-connection={state.status}
    >
      <FeedSummary state={state} timeZone={timeZone}>
        <Stat label="Fills" testId={TEST_IDS.fills.count}>
          {rows.length.toLocaleString('en-US')}
        </Stat>
        <Stat label="Realized PnL" className={styles[pnlTone(pnl)]} testId={TEST_IDS.fills.pnlTotal}>
          {formatPnl(pnl)}
        </Stat>
      </FeedSummary>
      {!placeholder && <StaleBanner state={state} what="fills" timeZone={timeZone} />}
      {placeholder ? (
        <FeedState state={placeholder} onChangeToken={onChangeToken} />
      ) : (
        <Grid
          table={FILLS_TABLE}
          rows={rows}
          columns={columns}
          keyboard={false}
          rowHeight={rowHeight}
          headerHeight={HEADER_HEIGHT}
          flash={flash}
          timeZone={timeZone}
          width={width}
          height={Math.max(rowHeight * 3, height - CHROME_HEIGHT)}
        />
      )}
    </div>
  );
};
