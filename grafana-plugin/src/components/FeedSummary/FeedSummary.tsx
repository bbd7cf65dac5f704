import React from 'react';
import type { ConnectionState } from '@tradewatch/feed-client';
import type { TimeZone } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

import { ConnectionIndicator } from '../ConnectionIndicator';
import { getStyles } from './FeedSummary.styles';

export interface FeedSummaryProps {
  /** The figures, as `Stat`s. */
  children: React.ReactNode;
  state: ConnectionState;
  timeZone: TimeZone;
  testId?: string;
}

/** The line above a feed's grid, in either mode: its figures on the left, the connection on the right. */
export const FeedSummary = ({ children, state, timeZone, testId }: FeedSummaryProps) => {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.header} data-testid={testId}>
      <dl className={styles.stats}>{children}</dl>
      <ConnectionIndicator state={state} timeZone={timeZone} />
    </div>
  );
};

export interface StatProps {
  label: string;
  /** The label is read by screen readers only (the value says what it is). */
  labelHidden?: boolean;
  className?: string;
  testId?: string;
  children: React.ReactNode;
}

/** One figure of a summary: a term and its value. */
export const Stat = ({ label, labelHidden = false, className, testId, children }: StatProps) => {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.stat}>
      <dt className={labelHidden ? styles.srOnly : undefined}>{label}</dt>
      <dd className={className} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
};
