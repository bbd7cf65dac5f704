import React from 'react';
import type { ConnectionState } from '@tradewatch/feed-client';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../../../constants';
import { formatNotional } from '../../../../utils/format';
import type { RowSummary } from '../../../../utils/rows';
import { ConnectionIndicator } from '../ConnectionIndicator';
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
    <div className={styles.header} data-testid={TEST_IDS.header.root}>
      <dl className={styles.stats}>
        <div className={styles.stat}>
          <dt>Orders</dt>
          <dd data-testid={TEST_IDS.header.orders}>{summary.orders.toLocaleString('en-US')}</dd>
        </div>
        <div className={styles.stat}>
          <dt>Buy notional</dt>
          <dd className={styles.buy} data-testid={TEST_IDS.header.buyNotional}>
            {formatNotional(summary.buyNotional)}
          </dd>
        </div>
        <div className={styles.stat}>
          <dt>Sell notional</dt>
          <dd className={styles.sell} data-testid={TEST_IDS.header.sellNotional}>
            {formatNotional(summary.sellNotional)}
          </dd>
        </div>
        {(shown < matched || closed > 0) && (
          <div className={styles.stat}>
            <dt className={styles.srOnly}>Shown</dt>
            <dd className={styles.muted} data-testid={TEST_IDS.header.shown}>
              {shown < matched ? `showing ${shown.toLocaleString('en-US')} of ${matched.toLocaleString('en-US')}` : ''}
              {shown < matched && closed > 0 ? ' · ' : ''}
              {closed > 0 ? `${closed} recently closed` : ''}
            </dd>
          </div>
        )}
      </dl>
      <ConnectionIndicator state={state} timeZone={timeZone} />
    </div>
  );
};
