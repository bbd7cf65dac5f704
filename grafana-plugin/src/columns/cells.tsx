import React from 'react';

import type { CellContext } from '../components/Grid';
import { formatNumber, formatTime } from '../utils/format';

/** Cells that orders and fills show alike, so that both modes read the same. */

type Text = CellContext['text'];

/** A time in the dashboard's zone (relative to the grid's clock when recent), muted. */
export const timeCell = (ms: number, { now, timeZone, text }: CellContext) => (
  <span className={text.muted}>{formatTime(ms, { now, timeZone })}</span>
);

export const strongCell = (value: string, text: Text) => <span className={text.strong}>{value}</span>;

export const sideCell = (side: 'buy' | 'sell', text: Text) =>
  side === 'buy' ? <span className={text.buy}>Buy</span> : <span className={text.sell}>Sell</span>;

/** A value that may be missing (a strategy), a muted dash when it is. */
export const optionalCell = (value: string | undefined, text: Text) => value ?? <span className={text.muted}>—</span>;

/** An amount with its currency, if known, muted after it (fees). */
export const amountCell = (amount: number, currency: string | undefined, text: Text) => (
  <>
    {formatNumber(amount)}
    {currency && <span className={text.muted}> {currency}</span>}
  </>
);
