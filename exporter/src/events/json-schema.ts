/**
 * The event schema as JSON Schema (draft 2020-12), generated from the zod validators so
 * engines in other languages (Gal Friday is Python) can validate before they send.
 * `npm run schema -w exporter` writes docs/events.schema.json; a test fails when it is stale.
 */
import { z } from 'zod';
import { tradingEvent } from './schema';

export function eventsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(tradingEvent, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'tradewatch event (schema v1)',
    description:
      'One event sent to POST /api/v1/events (a JSON array of these, or NDJSON). Generated from exporter/src/events/schema.ts; do not edit.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export function eventsJsonSchemaText(): string {
  return JSON.stringify(eventsJsonSchema(), null, 2) + '\n';
}
