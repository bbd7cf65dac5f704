/**
 * The event schema as JSON Schema (draft 2020-12), generated from the zod validators so
 * engines in other languages (Gal Friday is Python) can validate before they send.
 * `npm run schema -w exporter` writes docs/events.schema.json; a test fails when it is stale.
 */
import { z } from 'zod';
import { JSON_SCHEMA_OF, tradingEvent } from './schema';

export function eventsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(tradingEvent, {
    io: 'input',
    unrepresentable: 'any',
    // Numbers and times are single-step validators; their JSON Schema is declared beside them.
    override: (ctx) => {
      const declared = JSON_SCHEMA_OF.get(ctx.zodSchema as unknown as z.ZodType);
      if (declared) {
        for (const key of Object.keys(ctx.jsonSchema))
          delete (ctx.jsonSchema as Record<string, unknown>)[key];
        Object.assign(ctx.jsonSchema, declared);
      }
    },
  }) as Record<string, unknown>;
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
