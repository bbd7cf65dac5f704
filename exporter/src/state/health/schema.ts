/** What a snapshot carries of the health slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import { recordsOfArray } from '../common/snapshot-times';
import type { HealthSlice } from './slice';

export const HEALTH_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  HealthSlice: {
    // Version 1 kept the recent alerts as wire rows (RFC 3339 ts); version 2 as records (epoch ms).
    version: 2,
    fields: fieldsOf<HealthSlice>()([
      'components',
      'venueLatency',
      'venueErrors',
      'engineAlerts',
      'recentAlerts',
      'eventsByType',
      'lastEventTs',
      'labelValues',
    ]),
    migrations: {
      1: (f, _target, resolve) => ({
        ...f,
        recentAlerts: recordsOfArray(f.recentAlerts, { ts: 'tsMs' }, resolve),
      }),
    },
  },
};
