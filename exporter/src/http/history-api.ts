/**
 * The trade history for viewers (docs/history.md): fills, closed orders, round
 * trips and engine alerts by time range, JSON or CSV, a page at a time.
 *
 *   GET /api/v1/fills | /orders/history | /round-trips | /alerts/history
 *       ?engine=&strategy=&symbol=&from=&to=&limit=&cursor=&order=asc|desc&format=json|csv
 *
 * `from` and `to` are RFC 3339 or epoch milliseconds, both inclusive. A page holds at most
 * `limit` rows (default 1,000, at most 10,000); `next_cursor` (JSON) or the
 * `X-Next-Cursor` header (CSV) continues it. A bad parameter is a 400 naming it.
 */
import { Router, type Request, type Response } from 'express';
import { decodeCursor, type HistoryQuery, type HistoryStore } from '../history/store';
import { TABLES, type HistoryTable } from '../history/tables';
import { encodePage, type EncodedPage } from '../history/encode';

import { isStorableText } from '../events/storable-text';
import { parseRfc3339 } from '../events/rfc3339';
import type { Principal } from '../auth/tokens';
import { ReadGate } from '../history/read-gate';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;

const ROUTES: { path: string; table: HistoryTable; key: string }[] = [
  { path: '/fills', table: 'fills', key: 'fills' },
  { path: '/orders/history', table: 'orders', key: 'orders' },
  { path: '/round-trips', table: 'round_trips', key: 'round_trips' },
  { path: '/alerts/history', table: 'alerts', key: 'alerts' },
];

export class ParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** The latest time a JavaScript Date (and so either store's driver) can hold: 275760-09-13. */
export const MAX_TIME_MS = 8.64e15;

function parseTime(name: string, value: string): number {
  if (/^-?\d+$/.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n) && n >= 0 && n <= MAX_TIME_MS) return n;
  } else {
    const n = parseRfc3339(value);
    if (n !== undefined && n >= 0) return n;
  }
  throw new ParameterError(
    name,
    `${name} must be an RFC 3339 time (2026-01-05T00:00:00Z) or epoch milliseconds up to ${MAX_TIME_MS}; got ${JSON.stringify(value)}`,
  );
}

/** The query a request asks for, or a ParameterError naming what is wrong. */
export function parseHistoryQuery(
  table: HistoryTable,
  query: Request['query'],
  accept: string | undefined,
): { query: HistoryQuery; csv: boolean } {
  const spec = TABLES[table];
  const known = ['engine', ...spec.filters, 'from', 'to', 'limit', 'cursor', 'order', 'format'];
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!known.includes(name))
      throw new ParameterError(
        name,
        `unknown query parameter ${JSON.stringify(name)}; ${table} takes ${known.join(', ')}`,
      );
    if (typeof value !== 'string')
      throw new ParameterError(name, `${name} must be given once, as a plain value`);
    values[name] = value;
  }
  const q: HistoryQuery = { limit: DEFAULT_LIMIT };
  for (const name of ['engine', 'strategy', 'symbol'] as const) {
    const v = values[name];
    if (v === undefined) continue;
    if (v === '' || v.length > 128) throw new ParameterError(name, `${name} must be 1 to 128 characters`);
    // Text no event can hold (docs/events.md, "Text"): PostgreSQL would refuse the query (a 503).
    if (!isStorableText(v))
      throw new ParameterError(name, `${name} must not hold a NUL character or an unpaired surrogate`);
    q[name] = v;
  }
  if (values.from !== undefined) q.from = parseTime('from', values.from);
  if (values.to !== undefined) q.to = parseTime('to', values.to);
  if (q.from !== undefined && q.to !== undefined && q.from > q.to)
    throw new ParameterError('from', 'from must not be after to');
  if (values.limit !== undefined) {
    const n = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || n < 1 || n > MAX_LIMIT)
      throw new ParameterError('limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
    q.limit = n;
  }
  if (values.order !== undefined) {
    if (values.order !== 'asc' && values.order !== 'desc')
      throw new ParameterError('order', 'order must be asc (oldest first) or desc (newest first)');
    q.order = values.order;
  }
  if (values.cursor !== undefined) {
    const c = decodeCursor(values.cursor);
    if (!c || c.ts < 0 || c.ts > MAX_TIME_MS || !isStorableText(c.engine) || !isStorableText(c.id))
      throw new ParameterError('cursor', 'cursor is not one this API gave (use next_cursor as it is)');
    q.after = c;
  }
  let csv = false;
  if (values.format !== undefined) {
    if (values.format !== 'csv' && values.format !== 'json')
      throw new ParameterError('format', 'format must be json or csv');
    csv = values.format === 'csv';
  } else if (accept && /\btext\/csv\b/i.test(accept)) {
    csv = true;
  }
  return { query: q, csv };
}

export function historyRoutes(history: HistoryStore | null, gate = new ReadGate()): Router {
  const router = Router();
  for (const route of ROUTES) {
    router.get(route.path, async (req: Request, res: Response) => {
      if (!history) {
        res.status(404).json({ error: 'the trade history is off (TRADEWATCH_HISTORY=false)' });
        return;
      }
      let parsed: ReturnType<typeof parseHistoryQuery>;
      try {
        parsed = parseHistoryQuery(route.table, req.query, req.headers.accept);
      } catch (err) {
        if (!(err instanceof ParameterError)) throw err;
        res.status(400).json({ error: err.message, parameter: err.parameter });
        return;
      }
      // A bounded number of reads at once, per token and in all: beyond, 429 (nothing queued).
      const client = (res.locals.principal as Principal | undefined)?.name ?? 'anonymous';
      const release = gate.tryAcquire(`token:${client}`);
      if (!release) {
        res.setHeader('Retry-After', '1');
        res.status(429).json({
          error: `too many history reads at once (at most ${gate.maxPerClient} per token, ${gate.maxTotal} in all); retry shortly`,
        });
        return;
      }
      let page: EncodedPage;
      try {
        page = history.readEncoded
          ? await history.readEncoded(route.table, parsed.query, parsed.csv)
          : encodePage(route.table, await history.read(route.table, parsed.query), parsed.csv);
      } catch (err) {
        res.status(503).json({ error: `the history store cannot be read now: ${(err as Error).message}` });
        return;
      } finally {
        release();
      }
      if (parsed.csv) {
        if (page.next) res.setHeader('X-Next-Cursor', page.next);
        res.type('text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="${route.key}.csv"`);
      } else res.type('application/json; charset=utf-8');
      // Written as it is: res.send would hash the whole page for an ETag on the event loop (megabytes).
      res.end(page.body);
    });
  }
  return router;
}
