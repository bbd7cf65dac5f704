/** Writes docs/events.schema.json from the validators. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { eventsJsonSchemaText } from '../events/json-schema';

const target = path.resolve(__dirname, '..', '..', '..', 'docs', 'events.schema.json');
writeFileSync(target, eventsJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
