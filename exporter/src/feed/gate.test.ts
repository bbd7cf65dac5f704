import { TokenRegistry } from '../auth/tokens';
import { decide, originAllowed, type GateRequest } from './gate';

function registry(): TokenRegistry {
  const tokens = new TokenRegistry({ maxFailures: 3, windowMs: 60_000 });
  tokens.add('viewer', [{ name: 'grafana', secret: 'viewer-secret-0123456789' }]);
  tokens.add('ingest', [{ name: 'bot', secret: 'ingest-secret-0123456789' }]);
  return tokens;
}
const base: GateRequest = {
  address: '10.0.0.1',
  origin: undefined,
  host: 'exporter:9478',
  protocols: undefined,
  authorization: undefined,
};
const deps = () => ({ tokens: registry(), allowedOrigins: ['https://grafana.example.com'] });

test('the viewer token is taken from the subprotocol or a bearer header', () => {
  expect(
    decide({ ...base, protocols: 'tradewatch.v1, tradewatch.token.viewer-secret-0123456789' }, deps()),
  ).toEqual({ ok: true, tokenName: 'grafana', via: 'subprotocol' });
  expect(decide({ ...base, authorization: 'Bearer viewer-secret-0123456789' }, deps())).toEqual({
    ok: true,
    tokenName: 'grafana',
    via: 'bearer',
  });
});

test('401 without or with a bad token, 403 for an ingest token or a foreign origin', () => {
  expect(decide(base, deps())).toMatchObject({ ok: false, status: 401, reason: 'no_token' });
  expect(
    decide({ ...base, protocols: 'tradewatch.v1, tradewatch.token.wrong-secret-000000' }, deps()),
  ).toMatchObject({ ok: false, status: 401, reason: 'bad_token' });
  expect(decide({ ...base, authorization: 'Bearer ingest-secret-0123456789' }, deps())).toMatchObject({
    ok: false,
    status: 403,
    reason: 'role',
    error: expect.stringContaining('ingest'),
  });
  const foreign = decide(
    { ...base, origin: 'https://evil.example', authorization: 'Bearer viewer-secret-0123456789' },
    deps(),
  );
  expect(foreign).toMatchObject({
    ok: false,
    status: 403,
    reason: 'origin',
    error: expect.stringContaining('TRADEWATCH_ALLOWED_ORIGINS'),
  });
});

test('allowed origins: the configured ones, the exporter itself, and no Origin at all', () => {
  const allowed = ['https://grafana.example.com'];
  expect(originAllowed('https://grafana.example.com', 'exporter:9478', allowed)).toBe(true);
  expect(originAllowed('http://exporter:9478', 'exporter:9478', allowed)).toBe(true);
  expect(originAllowed(undefined, 'exporter:9478', allowed)).toBe(true);
  expect(originAllowed('https://grafana.example.com:8443', 'exporter:9478', allowed)).toBe(false);
  expect(originAllowed('null', 'exporter:9478', allowed)).toBe(false);
});

test('wrong tokens are limited per address (429) for further wrong tokens only; a valid token always gets in', () => {
  const d = deps();
  for (let i = 0; i < 3; i++)
    expect(decide({ ...base, authorization: `Bearer nope-nope-nope-nope-${i}` }, d)).toMatchObject({
      status: 401,
      reason: 'bad_token',
    });
  expect(decide({ ...base, authorization: 'Bearer nope-nope-nope-nope' }, d)).toMatchObject({
    ok: false,
    status: 429,
    reason: 'rate_limited',
  });
  expect(decide({ ...base, authorization: 'Bearer viewer-secret-0123456789' }, d)).toMatchObject({
    ok: true,
  });
  expect(decide({ ...base, authorization: 'Bearer ingest-secret-0123456789' }, d)).toMatchObject({
    status: 403,
  });
  expect(decide(base, d)).toMatchObject({ status: 401, reason: 'no_token' });
  expect(
    decide({ ...base, address: '10.0.0.2', authorization: 'Bearer nope-nope-nope-nope' }, d),
  ).toMatchObject({ status: 401 });
});
