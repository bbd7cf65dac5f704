/**
 * The bearer-token check of every HTTP door (the express middleware and the raw ingest
 * route): the principal, or the refusal to send (401/403/429), counted and logged here once.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { retryAfterSeconds, type Principal, type Role, type TokenRegistry } from '../auth/tokens';
import type { Ingestor } from '../ingest/ingestor';

export interface AuthorizeDeps {
  tokens: TokenRegistry;
  ingestor: Pick<Ingestor, 'reject'>;
  log: Pick<Logger, 'warn'>;
}

export type Authorization =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 403 | 429; headers: Record<string, string>; body: { error: string } };

/**
 * Judges the request's bearer token for `role`. A valid token is judged by its token alone;
 * wrong tokens are limited per door (role) and address (TokenRegistry.judge). `path` is
 * only for the log line.
 */
export function authorize(
  deps: AuthorizeDeps,
  role: Role,
  req: IncomingMessage,
  path: string,
): Authorization {
  const address = req.socket.remoteAddress ?? 'unknown';
  const header = req.headers.authorization;
  const secret = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const verdict = deps.tokens.judge(role, secret, address);
  if (verdict.ok) return verdict;
  if (verdict.reason === 'role') {
    deps.ingestor.reject('forbidden');
    return {
      ok: false,
      status: 403,
      headers: {},
      body: { error: `this token has the ${verdict.roles.join(', ')} role; ${role} is required here` },
    };
  }
  if (verdict.reason === 'rate_limited') {
    deps.ingestor.reject('rate_limited');
    // The limiter earns one try back every few seconds: say when (whole seconds, at least 1).
    const seconds = retryAfterSeconds(verdict.retryAfterMs);
    return {
      ok: false,
      status: 429,
      headers: { 'Retry-After': String(seconds) },
      body: {
        error: `too many wrong ${role} tokens from this address; try again in ${seconds} s (a valid token is always accepted)`,
      },
    };
  }
  deps.ingestor.reject('unauthorized');
  deps.log.warn(
    { address, path },
    secret ? 'authentication failed: unknown token' : 'authentication failed: no token',
  );
  return {
    ok: false,
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer realm="tradewatch"' },
    body: {
      error: secret
        ? 'the token is not valid'
        : `an ${role} token is required: send "Authorization: Bearer <token>"`,
    },
  };
}
