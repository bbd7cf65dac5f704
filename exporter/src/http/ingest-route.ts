/**
 * POST /api/v1/events, answered on the node:http listener before express (issue 23): a
 * one-event request is the hot path, and express's router and res.json were a third of its
 * cost. Every contract of the express route it replaced is kept: the security headers, the
 * ingest token (authorize.ts, shared with express), 415 for a content type, charset or
 * encoding it cannot read, 413 over TRADEWATCH_MAX_BODY_BYTES, the per-token ingest rate,
 * `?format=`, the audit log line, and every refusal counted by the ingestor.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { parse as parseContentType } from 'content-type';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Ingestor } from '../ingest/ingestor';
import type { TokenRegistry } from '../auth/tokens';
import { TokenBuckets } from '../limits/token-bucket';
import { authorize } from './authorize';
import { closeIfUnread, sendJson } from './json-answer';
import { readBodyText } from './read-body';
import { setSecurityHeaders } from './security-headers';

export const INGEST_PATH = '/api/v1/events';

const EVENT_CONTENT_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
]);

export interface IngestRouteDeps {
  config: Pick<Config, 'allowAnonymousIngest' | 'ingestRateLimit' | 'maxBodyBytes'>;
  ingestor: Pick<Ingestor, 'ingest' | 'reject'>;
  tokens: TokenRegistry;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** The route's handler: (req, res) for a POST whose path is INGEST_PATH. */
export function createIngestRoute(
  deps: IngestRouteDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, ingestor, log } = deps;
  // Events per second per ingest token; a quiet token may send two seconds' worth at once.
  const ingestRate = new TokenBuckets({
    perSecond: config.ingestRateLimit,
    burst: config.ingestRateLimit * 2,
  });

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, error: string, headers = {}) => {
    closeIfUnread(req, res);
    sendJson(res, status, { error }, headers);
  };

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: string,
  ): Promise<void> {
    let tokenName = 'anonymous';
    if (!config.allowAnonymousIngest) {
      const auth = authorize(deps, 'ingest', req, path);
      if (!auth.ok) return refuse(req, res, auth.status, auth.body.error, auth.headers);
      tokenName = auth.principal.name;
    }
    const contentType = parseContentType(req.headers['content-type'] ?? '');
    const type = contentType.type.toLowerCase();
    if (!EVENT_CONTENT_TYPES.has(type)) {
      ingestor.reject('unsupported_media_type');
      return refuse(
        req,
        res,
        415,
        `unsupported content type ${JSON.stringify(type || '(none)')}: send application/json (an array or one object) or application/x-ndjson (one object a line)`,
      );
    }
    const body = await readBodyText(
      req,
      contentType.parameters.charset?.toLowerCase() ?? 'utf-8',
      config.maxBodyBytes,
    );
    if (!body.ok) {
      ingestor.reject(body.reason);
      return refuse(
        req,
        res,
        body.status,
        body.status === 413
          ? `the body is larger than the limit of ${config.maxBodyBytes} bytes (TRADEWATCH_MAX_BODY_BYTES); send smaller batches`
          : body.error,
      );
    }
    // The cheap check before any work: a token already over its rate waits. What a batch
    // costs is charged once it is applied, so a refused batch never costs its sender.
    if (ingestRate.balance(tokenName) <= 0) {
      ingestor.reject('rate_limited');
      return refuse(
        req,
        res,
        429,
        `token "${tokenName}" is over its ingest rate of ${config.ingestRateLimit} events/s (TRADEWATCH_INGEST_RATE_LIMIT); retry later`,
        { 'Retry-After': '1' },
      );
    }
    const format = query ? parseQuery(query).format : undefined;
    const result = await ingestor.ingest({ text: body.text, ndjson: type !== 'application/json' }, 'http', {
      format: typeof format === 'string' ? format : undefined,
      charge: (applied) => ingestRate.charge(tokenName, applied),
    });
    if (!result.ok) {
      sendJson(res, result.status, { error: result.error, problems: result.problems });
      return;
    }
    // The audit trail: which named token ingested, from where (never the secret).
    log.info(
      { token_name: tokenName, address: req.socket.remoteAddress, events: result.accepted },
      'ingested',
    );
    sendJson(res, 200, {
      accepted: result.accepted,
      applied: result.applied,
      duplicates: result.duplicates,
      // Values an adapter left out alone (e.g. an unusable Gal Friday report), named by index.
      ...(result.refused ? { refused: result.refused } : {}),
    });
  }

  return (req, res) => {
    setSecurityHeaders(res);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    answer(req, res, path, q < 0 ? '' : url.slice(q + 1)).catch((err: unknown) => {
      log.error({ err, path }, 'request failed');
      if (res.headersSent) res.destroy();
      else refuse(req, res, 500, 'internal error; see the exporter log');
    });
  };
}
