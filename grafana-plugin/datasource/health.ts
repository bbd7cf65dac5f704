/**
 * Save & test: what the exporter's feed probe (GET /api/v1/feed/auth, through Grafana's
 * proxy, the route adding the token) says, in words that name what to fix. Pure over the
 * answer, so each case is tested without a network.
 */
export type HealthVerdict =
  | { status: 'success'; message: string }
  | { status: 'error'; kind: 'unreachable' | 'bad_token' | 'not_tradewatch' | 'forbidden'; message: string };

export interface ProbeAnswer {
  /** HTTP status, or null when no answer came at all (network error). */
  status: number | null;
  body: string;
  error?: string;
}

export function judgeProbe(answer: ProbeAnswer, exporterUrl: string): HealthVerdict {
  const at = exporterUrl || '(no URL set)';
  if (answer.status === null) {
    return {
      status: 'error',
      kind: 'unreachable',
      message: `Grafana could not be asked to reach ${at}: ${answer.error ?? 'no answer'}`,
    };
  }
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(answer.body);
    body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    body = null;
  }
  const error = typeof body?.error === 'string' ? body.error : undefined;
  switch (answer.status) {
    case 200:
      if (body?.ok === true && typeof body.token === 'string') {
        return {
          status: 'success',
          message: `Connected to the tradewatch exporter at ${at} with the viewer token "${body.token}".`,
        };
      }
      return {
        status: 'error',
        kind: 'not_tradewatch',
        message: `${at} answered, but not as a tradewatch exporter (no feed probe at /api/v1/feed/auth): check the URL.`,
      };
    case 401:
      if (typeof body?.reason === 'string') {
        return {
          status: 'error',
          kind: 'bad_token',
          message:
            body.reason === 'no_token'
              ? `The exporter at ${at} wants a viewer token: set one below (TRADEWATCH_VIEWER_TOKENS, or the one the exporter wrote for Grafana).`
              : `The exporter at ${at} does not know this viewer token: ${error ?? 'the token is not valid'}.`,
        };
      }
      break;
    case 403:
      if (body?.reason === 'role') {
        return {
          status: 'error',
          kind: 'bad_token',
          message: `The token is not a viewer token: ${error ?? 'use one of TRADEWATCH_VIEWER_TOKENS'}.`,
        };
      }
      if (body?.reason === 'origin') {
        return { status: 'error', kind: 'forbidden', message: `The exporter refused the origin: ${error}.` };
      }
      return {
        status: 'error',
        kind: 'forbidden',
        message: `Grafana refused the request (403): you need the permission to query this data source.`,
      };
    case 429:
      return {
        status: 'error',
        kind: 'bad_token',
        message: `The exporter at ${at} has seen too many wrong tokens from Grafana's address; check the token and try again in a minute.`,
      };
    case 404:
      return {
        status: 'error',
        kind: 'not_tradewatch',
        message: `${at} has no /api/v1/feed/auth: it is not a tradewatch exporter (or the URL has a wrong path).`,
      };
    case 502:
    case 503:
    case 504:
      return {
        status: 'error',
        kind: 'unreachable',
        message: `Grafana cannot reach the exporter at ${at} (${answer.status}${error ? `: ${error}` : ''}): is it running, and is the URL right from Grafana's host?`,
      };
  }
  return {
    status: 'error',
    kind: 'not_tradewatch',
    message: `${at} answered ${answer.status}${error ? ` (${error})` : ''}: not what a tradewatch exporter answers; check the URL.`,
  };
}
