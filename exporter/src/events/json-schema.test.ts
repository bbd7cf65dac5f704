import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventsJsonSchemaText } from './json-schema';

describe('docs/events.schema.json', () => {
  it('is what the validators generate (run `npm run schema -w exporter` after changing the schema)', () => {
    const committed = readFileSync(path.resolve(__dirname, '../../../docs/events.schema.json'), 'utf8');
    expect(committed).toBe(eventsJsonSchemaText());
  });

  it('describes every event type with its required fields', () => {
    const schema = JSON.parse(eventsJsonSchemaText()) as {
      oneOf?: { properties: { type: { const: string } }; required: string[] }[];
      anyOf?: unknown[];
    };
    const variants = (schema.oneOf ?? schema.anyOf) as {
      properties: { type: { const: string } };
      required: string[];
    }[];
    const byType = Object.fromEntries(variants.map((v) => [v.properties.type.const, v.required]));
    expect(Object.keys(byType).sort()).toEqual([
      'alert',
      'balance',
      'fill',
      'health',
      'mark',
      'order',
      'risk',
      'signal',
      'snapshot',
      'strategy',
    ]);
    expect(byType.fill).toEqual(
      expect.arrayContaining(['type', 'ts', 'fill_id', 'order_id', 'symbol', 'side', 'price', 'quantity']),
    );
    expect(byType.order).not.toContain('filled_quantity');
  });
});
