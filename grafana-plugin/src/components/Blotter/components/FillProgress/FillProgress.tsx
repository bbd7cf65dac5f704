import React from 'react';
import { useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../../../constants';
import { formatNumber } from '../../../../utils/format';
import { getStyles } from './FillProgress.styles';

export interface FillProgressProps {
  filled: number;
  quantity: number;
}

/** How much of an order is filled: a bar and the filled quantity with its percentage. */
export const FillProgress = ({ filled, quantity }: FillProgressProps) => {
  const styles = useStyles2(getStyles);
  const ratio = quantity > 0 ? Math.max(0, Math.min(1, filled / quantity)) : 0;
  const pct = Math.round(ratio * 100);
  return (
    <div className={styles.wrapper} data-testid={TEST_IDS.blotter.progress} data-ratio={ratio.toFixed(4)}>
      <div
        className={styles.track}
        role="progressbar"
        aria-label="Filled"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${formatNumber(filled)} of ${formatNumber(quantity)} filled (${pct}%)`}
      >
        <div className={ratio >= 1 ? styles.barDone : styles.bar} style={{ width: `${ratio * 100}%` }} />
      </div>
      <span className={styles.label}>{pct}%</span>
    </div>
  );
};
