/** The records a batch of the state's changes leaves for the history (pure). */
import type { AlertRecord, Change, FillRecord, OrderRecord } from '../state/changes';
import type { HistoryBatch } from './store';

/** Adds the history rows of `changes` to `into`; returns how many were added. */
export function addRows(into: HistoryBatch, changes: readonly Change[]): number {
  let added = 0;
  for (const c of changes) {
    if (c.channel === 'fills' && c.row) {
      into.fills.push(c.row as FillRecord);
      added += 1;
      if (c.roundTrip) {
        into.round_trips.push(c.roundTrip);
        added += 1;
      }
    } else if (c.channel === 'orders' && c.row === null && c.final) {
      into.orders.push(c.final as OrderRecord);
      added += 1;
    } else if (c.channel === 'alerts' && c.row) {
      into.alerts.push(c.row as AlertRecord);
      added += 1;
    }
  }
  return added;
}
