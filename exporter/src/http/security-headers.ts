/**
 * The headers every answer carries, whether express or the raw ingest route gives it.
 */
import type { ServerResponse } from 'node:http';

const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // The pages (/ and /blotter/) load only their own scripts, talk only to this origin, and
  // are never framed; styles may be inline (the landing page's <style>, emotion's in the blotter).
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Frame-Options', 'DENY');
}
