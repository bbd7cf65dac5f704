/**
 * Who may open the feed: the decision at the WebSocket upgrade (and at the HTTP auth probe
 * that lets a browser learn why an upgrade was refused). Pure over headers and counters.
 */
import { retryAfterSeconds, type TokenRegistry } from '../auth/tokens';
import { PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '@tradewatch/feed-protocol';

export interface GateRequest {
  address: string;
  /** The Origin header (absent: not a browser, judged by the token alone). */
  origin: string | undefined;
  /** The Host header: a page served by the exporter itself has this host in its origin. */
  host: string | undefined;
  /** Sec-WebSocket-Protocol, as sent (comma separated). */
  protocols: string | undefined;
  authorization: string | undefined;
}

export interface GateDeps {
  /** Judges the token; it also keeps the per-address count of wrong viewer tokens. */
  tokens: TokenRegistry;
  allowedOrigins: readonly string[];
}

export type GateDecision =
  | { ok: true; tokenName: string; via: 'subprotocol' | 'bearer' }
  | {
      ok: false;
      status: 401 | 403 | 429;
      reason: 'rate_limited' | 'origin' | 'no_token' | 'bad_token' | 'role';
      error: string;
      /** A 429's `Retry-After`, seconds: when this address is heard again. */
      retryAfter?: number;
    };

/** Offered subprotocols, the token among them, and whether tradewatch.v1 was offered. */
export function readProtocols(header: string | undefined): { offered: string[]; token: string | undefined } {
  const offered = (header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const tokenEntry = offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return { offered, token: tokenEntry?.slice(TOKEN_PROTOCOL_PREFIX.length) || undefined };
}

export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  if (host && parsed.host.toLowerCase() === host.toLowerCase()) return true; // the exporter's own pages (/blotter)
  return allowed.includes(parsed.origin);
}

/**
 * Origin first (a foreign page learns nothing about the token), then the token, judged at
 * the viewer door: a valid token is let in whatever others at this address tried before.
 */
export function decide(req: GateRequest, deps: GateDeps): GateDecision {
  if (!originAllowed(req.origin, req.host, deps.allowedOrigins)) {
    return {
      ok: false,
      status: 403,
      reason: 'origin',
      error: `the origin ${req.origin} is not allowed: add it to TRADEWATCH_ALLOWED_ORIGINS`,
    };
  }
  const fromProtocol = readProtocols(req.protocols).token;
  const bearer = req.authorization?.startsWith('Bearer ')
    ? req.authorization.slice(7).trim() || undefined
    : undefined;
  const verdict = deps.tokens.judge('viewer', fromProtocol ?? bearer, req.address);
  if (verdict.ok)
    return { ok: true, tokenName: verdict.principal.name, via: fromProtocol ? 'subprotocol' : 'bearer' };
  switch (verdict.reason) {
    case 'no_token':
      return {
        ok: false,
        status: 401,
        reason: 'no_token',
        error: `a viewer token is required: offer the subprotocols ${PROTOCOL} and ${TOKEN_PROTOCOL_PREFIX}<token>, or send Authorization: Bearer <token>`,
      };
    case 'role':
      return {
        ok: false,
        status: 403,
        reason: 'role',
        error: `this token has the ${verdict.roles.join(', ')} role; the feed needs a viewer token`,
      };
    case 'rate_limited': {
      const seconds = retryAfterSeconds(verdict.retryAfterMs);
      return {
        ok: false,
        status: 429,
        reason: 'rate_limited',
        error: `too many wrong tokens from this address; try again in ${seconds} s (a valid token is always let in)`,
        retryAfter: seconds,
      };
    }
    case 'bad_token':
      return { ok: false, status: 401, reason: 'bad_token', error: 'the token is not valid' };
  }
}
