/** Structured logs (pino, JSON lines on stdout). Secrets never go in; token names do. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'tradewatch-exporter' },
    // Token names are logged as token_name (the audit trail); a field called token or secret never is.
    redact: {
      paths: ['req.headers.authorization', 'secret', '*.secret', 'token', '*.token'],
      censor: '[redacted]',
    },
  });
}
