/**
 * A page of the history as the viewer API sends it (docs/history.md): JSON
 * (`{"<table>": [...], "next_cursor": …}`) or CSV with a header row. Encoded where the page
 * was read: on the SQLite read worker, so the exporter's event loop only passes the text on.
 */
import { encodeCursor, type Page } from './store';
import { TABLES, type HistoryTable, type TableSpec } from './tables';

/** The API's field names, in CSV column order (the stored column names, but for alerts' key). */
export function fieldsOf(spec: TableSpec): string[] {
  return spec.columns.filter((c) => !c.internal).map((c) => (c.name === 'alert_key' ? 'key' : c.name));
}

/** One CSV field (RFC 4180); text that a spreadsheet would run as a formula is prefixed with '. */
function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(fields: readonly string[], rows: readonly object[]): string {
  const lines = [fields.join(',')];
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    lines.push(fields.map((f) => csvField(r[f])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface EncodedPage {
  /** The response body. */
  body: string;
  /** The next page's cursor (the JSON body holds it too; CSV sends it as X-Next-Cursor). */
  next: string | null;
}

export function encodePage(table: HistoryTable, page: Page<object>, csv: boolean): EncodedPage {
  const next = page.next ? encodeCursor(page.next) : null;
  const body = csv
    ? toCsv(fieldsOf(TABLES[table]), page.rows)
    : JSON.stringify({ [table]: page.rows, next_cursor: next });
  return { body, next };
}
