import React from 'react';
import type { ConnectionState } from '@tradewatch/feed-client';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../../../constants';
import { formatNotional } from '../../../../utils/format';
import type { RowSummary } from '../../../../utils/rows';
import { FeedSummary, Stat } from '../../../FeedSummary';
import { getStyles } from './BlotterHeader.styles';

export interface BlotterHeaderProps {
  summary: RowSummary;
  /** Rows rendered (after the max-rows cap) and rows that matched the filters. */
  shown: number;
  matched: number;
  closed: number;
  state: ConnectionState;
  timeZone: TimeZone;
}

/** Counts of the active orders (as filtered), their buy and sell notional, and the connection. */
export const BlotterHeader = ({ summary, shown, matched, closed, state, timeZone }: BlotterHeaderProps) => {
  const styles = useStyles2(getStyles);
  return (
    <FeedSummary state={state} timeZone={timeZone} testId={TEST_IDS.header.root}>
      <Stat label="Orders" testId={TEST_IDS.header.orders}>
        {summary.orders.toLocaleString('en-US')}
      </Stat>
      <Stat label="Buy notional" className={styles.buy} testId={TEST_IDS.header.buyNotional}>
        {formatNotional(summary.buyNotional)}
      </Stat>
      <Stat label="Sell notional" className={styles.sell} testId={TEST_IDS.header.sellNotional}>
        {formatNotional(summary.sellNotional)}
      </Stat>
      {(shown < matched || closed > 0) && (
        <Stat label="Shown" labelHidden className={styles.muted} testId={TEST_IDS.header.shown}>
          {shown < matched ? `showing ${shown.toLocaleString('en-US')} of ${matched.toLocaleString('en-US')}` : ''}
          {shown < matched && closed > 0 ? ' · ' : ''}
          {closed > 0 ? `${closed} recently closed` : ''}
        </Stat>
      )}
    </FeedSummary>
  );
};
