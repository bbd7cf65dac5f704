import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedFiles } from './files';
import { readPanelIndex } from './panels';

/** Writes the generated rule files; run through `npm run generate -w alerting`. */
const root = join(__dirname, '..', '..');
for (const [path, content] of Object.entries(generatedFiles(readPanelIndex(root)))) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  console.log(`wrote ${path}`);
}
