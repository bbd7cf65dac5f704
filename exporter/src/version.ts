import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The exporter package's version (read once at start). */
export const VERSION: string = (() => {
  try {
    return (
      JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return '0.0.0';
  }
})();
