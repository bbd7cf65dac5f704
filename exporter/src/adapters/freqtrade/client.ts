/**
 * A client of one freqtrade REST API (freqtrade/rpc/api_server): login with HTTP Basic for
 * a JWT pair (`POST /api/v1/token/login`), requests with the access token, a new access
 * token from the refresh token when freqtrade answers 401 (its access tokens live 15
 * minutes), a fresh login when the refresh token is refused too. Every failure becomes a
 * `FreqtradeError` whose `reason` is a bounded label (tradewatch_source_errors_total) and
 * whose message names the endpoint and never a credential. Answers are bounded in size
 * and time.
 */
import type { z } from 'zod';
import { ftTokens } from './records';

export type ErrorReason =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'rate_limited'
  | 'server_error'
  | 'client_error'
  | 'not_found'
  | 'html'
  | 'malformed_json'
  | 'too_large'
  | 'schema';

export class FreqtradeError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    /** From a 429's Retry-After, when it gives one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FreqtradeError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
  maxBodyBytes: number;
}

export class FreqtradeClient {
  private access: string | null = null;
  private renewAt = Infinity;
  private refresh: string | null = null;
  /** Requests under way, aborted by `close()` (a stopping exporter does not wait for a slow bot). */
  private readonly inflight = new Set<AbortController>();

  constructor(private readonly options: ClientOptions) {}

  /**
   * GET an endpoint under /api/v1 and parse its answer with `schema`. `again` is awaited
   * before a request is sent a second time (after a 401 and a new token), so that the
   * retry is paid from the endpoint's budget like any request.
   */
  async get<T extends z.ZodType>(
    endpoint: string,
    schema: T,
    again: () => Promise<void> = async () => undefined,
  ): Promise<z.output<T>> {
    const body = await this.authorized('GET', endpoint, again);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FreqtradeError(
        'schema',
        `${endpoint} answered a shape this release does not know: ${issue.path.join('.') || '(root)'} ${issue.message}`,
      );
    }
    return parsed.data;
  }

  private async authorized(method: string, endpoint: string, again: () => Promise<void>): Promise<unknown> {
    if (!this.access) await this.login();
    // Renewed before it expires (a 401 would cost the request twice).
    else if (Date.now() >= this.renewAt) await this.renew();
    try {
      return await this.request(method, endpoint, `Bearer ${this.access}`);
    } catch (err) {
      if (!(err instanceof FreqtradeError) || err.reason !== 'unauthorized') throw err;
    }
    // The access token expired (or the bot restarted with a new secret): refresh, else log in again.
    await this.renew();
    await again();
    return this.request(method, endpoint, `Bearer ${this.access}`);
  }

  /** Keeps the access token and when to renew it: a fifth of its life (at most a minute) before `exp`. */
  private setAccess(token: string): void {
    this.access = token;
    this.renewAt = Infinity;
    try {
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
        exp?: unknown;
        iat?: unknown;
      };
      if (typeof claims.exp === 'number') {
        const life = typeof claims.iat === 'number' ? claims.exp - claims.iat : 900;
        this.renewAt = (claims.exp - Math.min(60, Math.max(1, life / 5))) * 1000;
      }
    } catch {
      // Not a JWT we can read: renewed on a 401 only.
    }
  }

  private async renew(): Promise<void> {
    if (this.refresh) {
      try {
        const t = ftTokens.safeParse(await this.request('POST', '/token/refresh', `Bearer ${this.refresh}`));
        if (t.success) {
          this.setAccess(t.data.access_token);
          return;
        }
      } catch (err) {
        if (!(err instanceof FreqtradeError) || err.reason !== 'unauthorized') throw err;
      }
    }
    await this.login();
  }

  private async login(): Promise<void> {
    this.access = this.refresh = null;
    const basic = Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64');
    const answer = await this.request('POST', '/token/login', `Basic ${basic}`);
    const t = ftTokens.safeParse(answer);
    if (!t.success) throw new FreqtradeError('schema', '/token/login answered no access_token');
    this.setAccess(t.data.access_token);
    this.refresh = t.data.refresh_token ?? null;
  }

  /** The access token (freqtrade also takes a JWT as the message WebSocket's token). */
  async accessToken(): Promise<string> {
    if (!this.access) await this.login();
    return this.access as string;
  }

  private async request(method: string, endpoint: string, authorization: string): Promise<unknown> {
    const url = `${this.options.baseUrl}/api/v1${endpoint}`;
    const ctl = new AbortController();
    this.inflight.add(ctl);
    const timer = setTimeout(() => ctl.abort(), this.options.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { Authorization: authorization, Accept: 'application/json' },
        signal: ctl.signal,
      });
    } catch (err) {
      clearTimeout(timer);
      this.inflight.delete(ctl);
      if (ctl.signal.aborted)
        throw new FreqtradeError('timeout', `${endpoint}: no answer within ${this.options.timeoutMs} ms`);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new FreqtradeError(
        'unreachable',
        `${endpoint}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      );
    }
    try {
      const text = await this.readBounded(res, endpoint);
      if (res.status === 401 || res.status === 403)
        throw new FreqtradeError('unauthorized', `${endpoint}: ${res.status} (credentials refused)`);
      if (res.status === 429) {
        const after = Number(res.headers.get('retry-after'));
        throw new FreqtradeError(
          'rate_limited',
          `${endpoint}: 429 Too Many Requests`,
          Number.isFinite(after) && after > 0 ? Math.min(after, 3600) * 1000 : undefined,
        );
      }
      if (res.status === 404) throw new FreqtradeError('not_found', `${endpoint}: 404`);
      if (res.status >= 500) throw new FreqtradeError('server_error', `${endpoint}: ${res.status}`);
      if (res.status >= 400) throw new FreqtradeError('client_error', `${endpoint}: ${res.status}`);
      const type = res.headers.get('content-type') ?? '';
      if (type.includes('html') || /^\s*</.test(text))
        throw new FreqtradeError(
          'html',
          `${endpoint}: an HTML page instead of JSON (a proxy or login page?)`,
        );
      try {
        return JSON.parse(text);
      } catch (err) {
        throw new FreqtradeError('malformed_json', `${endpoint}: malformed JSON (${(err as Error).message})`);
      }
    } finally {
      clearTimeout(timer);
      this.inflight.delete(ctl);
    }
  }

  /** Aborts the requests under way. */
  close(): void {
    for (const ctl of this.inflight) ctl.abort();
  }

  private async readBounded(res: Response, endpoint: string): Promise<string> {
    if (!res.body) return '';
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.options.maxBodyBytes) {
          await reader.cancel();
          throw new FreqtradeError(
            'too_large',
            `${endpoint}: answer over ${this.options.maxBodyBytes} bytes`,
          );
        }
        chunks.push(value);
      }
    } catch (err) {
      if (err instanceof FreqtradeError) throw err;
      if ((err as Error).name === 'AbortError')
        throw new FreqtradeError(
          'timeout',
          `${endpoint}: the answer did not end within ${this.options.timeoutMs} ms`,
        );
      // The connection dropped mid-answer: what came is a truncated body.
      throw new FreqtradeError(
        'malformed_json',
        `${endpoint}: the answer was cut off (${(err as Error).message})`,
      );
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
