/** What a snapshot carries of the portfolio slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import type { EquityTracker } from './analytics';
import type { Position } from './positions';
import type { PortfolioSlice } from './slice';

export const PORTFOLIO_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  PortfolioSlice: {
    version: 1,
    fields: fieldsOf<PortfolioSlice>()([
      'positions',
      'cash',
      'cashGap',
      'cashInPositions',
      'lastBalanceTs',
      'trips',
      'roundTripOutcomes',
      'unvalued',
      'valuationGaps',
      'noticesGiven',
      'equity',
    ]),
  },
  Position: {
    version: 1,
    fields: fieldsOf<Position>()([
      'quantity',
      'avgPrice',
      'realized',
      'realizedValue',
      'fees',
      'tripPnl',
      'tripValue',
      'tripValueIncomplete',
      'tripOpenedAt',
      'tripEntryQty',
      'tripEntryNotional',
      'tripExitQty',
      'tripExitNotional',
      'tripFees',
      'tripFeesValue',
      'symbol',
    ]),
  },
  EquityTracker: {
    version: 1,
    fields: fieldsOf<EquityTracker>()(
      [
        'current',
        'peak',
        'maxDrawdownAll',
        'lastTs',
        'dayStartEquity',
        'samples',
        'lastSample',
        'allReturns',
      ],
      ['dayIndex'],
    ),
  },
};
