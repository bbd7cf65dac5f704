import React from 'react';
import type { ConnectionState } from '@tradewatch/feed-client';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../constants';
import { formatTime } from '../../utils/format';
import { getStyles } from './StaleBanner.styles';

export interface StaleBannerProps {
  state: ConnectionState;
  /** What the rows below are ('orders', 'fills'), for "showing the … as of". */
  what: string;
  timeZone: TimeZone;
}

/**
 * Over rows kept from before a disconnection: why the feed is away, and how old the rows
 * are. Nothing while the feed is fine.
 */
export const StaleBanner = ({ state, what, timeZone }: StaleBannerProps) => {
  const styles = useStyles2(getStyles);
  if (state.status !== 'reconnecting' || !state.problem) {
    return null;
  }
  const { problem, staleSince } = state;
  return (
    <div className={styles.banner} role="alert" data-testid={TEST_IDS.state.banner} data-kind={problem.kind}>
      <strong>{problem.message}</strong>
      {staleSince ? ` — showing the ${what} as of ${formatTime(staleSince, { timeZone })}` : ''}
    </div>
  );
};
