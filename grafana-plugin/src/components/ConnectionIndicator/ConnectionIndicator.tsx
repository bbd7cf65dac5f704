import React from 'react';
import type { ConnectionState } from '@tradewatch/feed-client';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../constants';
import { formatTime } from '../../utils/format';
import { getStyles } from './ConnectionIndicator.styles';

export interface ConnectionIndicatorProps {
  state: ConnectionState;
  /** The dashboard's time zone ('browser' by default). */
  timeZone?: TimeZone;
}

type Tone = 'live' | 'pending' | 'stale' | 'off';

export function describeConnection(
  state: ConnectionState,
  timeZone: TimeZone = 'browser'
): { tone: Tone; label: string; detail: string } {
  switch (state.status) {
    case 'live':
      return { tone: 'live', label: 'Live', detail: `live since ${formatTime(state.since, { timeZone })}` };
    case 'connecting':
      return {
        tone: 'pending',
        label: 'Connecting',
        detail: state.attempt > 0 ? `connecting, attempt ${state.attempt + 1}` : 'connecting to the feed',
      };
    case 'reconnecting': {
      const stale = state.staleSince ? `stale since ${formatTime(state.staleSince, { timeZone })}` : '';
      return {
        tone: state.staleSince ? 'stale' : 'pending',
        label: 'Reconnecting',
        detail: [stale, `attempt ${state.attempt}`].filter(Boolean).join(', '),
      };
    }
    default:
      return { tone: 'off', label: 'Disconnected', detail: 'not connected' };
  }
}

/** Live, connecting, reconnecting (stale since a time) or disconnected. */
export const ConnectionIndicator = ({ state, timeZone = 'browser' }: ConnectionIndicatorProps) => {
  const styles = useStyles2(getStyles);
  const { tone, label, detail } = describeConnection(state, timeZone);
  const staleSince =
    state.status === 'reconnecting' && state.staleSince ? formatTime(state.staleSince, { timeZone }) : null;
  return (
    <div
      className={styles.wrapper}
      role="status"
      aria-live="polite"
      title={detail}
      data-testid={TEST_IDS.connection.root}
      data-status={state.status}
    >
      <span className={`${styles.dot} ${styles[tone]}`} aria-hidden />
      <span className={styles.label}>{label}</span>
      {staleSince && <span className={styles.detail}>stale since {staleSince}</span>}
    </div>
  );
};
