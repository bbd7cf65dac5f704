import { judgeProbe } from './health';

const at = 'the exporter of data source "tradewatch feed"';

test.each([
  [200, '{"ok":true,"token":"grafana"}', 'success', undefined, /Connected .* "grafana"/],
  [200, '<html>Grafana</html>', 'error', 'not_tradewatch', /not as a tradewatch exporter/],
  [
    401,
    '{"error":"the token is not valid","reason":"bad_token"}',
    'error',
    'bad_token',
    /does not know this viewer token/,
  ],
  [401, '{"error":"a viewer token is required","reason":"no_token"}', 'error', 'bad_token', /wants a viewer token/],
  [403, '{"error":"this token has the ingest role","reason":"role"}', 'error', 'bad_token', /not a viewer token/],
  [403, '{"message":"Access denied to data source"}', 'error', 'forbidden', /permission to query/],
  [429, '{"reason":"rate_limited"}', 'error', 'bad_token', /too many wrong tokens/],
  [404, '{"error":"no route GET /x"}', 'error', 'not_tradewatch', /not a tradewatch exporter/],
  [502, '{"message":"dial tcp: connection refused"}', 'error', 'unreachable', /cannot reach the exporter/],
  [401, 'Unauthorized', 'error', 'not_tradewatch', /not what a tradewatch exporter answers/],
])('%s %s → %s %s', (status, body, verdict, kind, message) => {
  const r = judgeProbe({ status, body }, at);
  expect(r.status).toBe(verdict);
  expect('kind' in r ? r.kind : undefined).toBe(kind);
  expect(r.message).toMatch(message);
});

test('no answer at all: unreachable', () => {
  expect(judgeProbe({ status: null, body: '', error: 'Failed to fetch' }, at)).toMatchObject({
    status: 'error',
    kind: 'unreachable',
  });
});
