/** What a snapshot carries of the health slice (see snapshot.ts). */
import { fieldsOf, type ClassSchema } from '../common/schema';
import type { HealthSlice } from './slice';

export const HEALTH_SCHEMAS: Readonly<Record<string, ClassSchema>> = {
  HealthSlice: {
    version: 1,
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
  },
};
