import { TokenRegistry } from './tokens';

function registry(): TokenRegistry {
  const tokens = new TokenRegistry({ maxFailures: 3, windowMs: 60_000 });
  tokens.add('ingest', [{ name: 'bot', secret: 'ingest-secret-0123456789' }]);
  tokens.add('viewer', [{ name: 'grafana', secret: 'viewer-secret-0123456789' }]);
  tokens.add('metrics', [{ name: 'prom', secret: 'metrics-secret-0123456789' }]);
  return tokens;
}

test('a valid token is judged by its roles alone, however many wrong ones came from its address', () => {
  const tokens = registry();
  for (let i = 0; i < 10; i++) tokens.judge('ingest', `wrong-${i}-aaaaaaaaaaaa`, '10.0.0.1', 1000);
  // 3 a minute: the next try is 20 s away (what the 429's Retry-After says).
  expect(tokens.judge('ingest', 'wrong-x-aaaaaaaaaaaa', '10.0.0.1', 1000)).toEqual({
    ok: false,
    status: 429,
    reason: 'rate_limited',
    retryAfterMs: 20_000,
  });
  expect(tokens.judge('ingest', 'ingest-secret-0123456789', '10.0.0.1', 1000)).toEqual({
    ok: true,
    principal: { role: 'ingest', name: 'bot' },
  });
  expect(tokens.judge('viewer', 'ingest-secret-0123456789', '10.0.0.1', 1000)).toEqual({
    ok: false,
    status: 403,
    reason: 'role',
    roles: ['ingest'],
  });
});

test('wrong tokens count per door and per address; no token is not counted', () => {
  const tokens = registry();
  for (let i = 0; i < 3; i++)
    expect(tokens.judge('ingest', `wrong-${i}-aaaaaaaaaaaa`, '10.0.0.1', 1000)).toMatchObject({
      status: 401,
      reason: 'bad_token',
    });
  expect(tokens.judge('ingest', 'wrong-aaaaaaaaaaaa', '10.0.0.1', 1000)).toMatchObject({ status: 429 });
  // Another door, another address: untouched.
  expect(tokens.judge('viewer', 'wrong-aaaaaaaaaaaa', '10.0.0.1', 1000)).toMatchObject({ status: 401 });
  expect(tokens.judge('metrics', 'wrong-aaaaaaaaaaaa', '10.0.0.1', 1000)).toMatchObject({ status: 401 });
  expect(tokens.judge('ingest', 'wrong-aaaaaaaaaaaa', '10.0.0.2', 1000)).toMatchObject({ status: 401 });
  // No token guesses nothing: always a plain 401, never counted.
  const fresh = registry();
  for (let i = 0; i < 10; i++)
    expect(fresh.judge('viewer', undefined, '10.0.0.3', 1000)).toMatchObject({
      status: 401,
      reason: 'no_token',
    });
  expect(fresh.judge('viewer', 'wrong-aaaaaaaaaaaa', '10.0.0.3', 1000)).toMatchObject({ status: 401 });
  // After the window the address may try again.
  expect(tokens.judge('ingest', 'wrong-aaaaaaaaaaaa', '10.0.0.1', 62_000)).toMatchObject({ status: 401 });
});

test('an address past its limit earns its tries back over the window, one by one', () => {
  const tokens = registry(); // 3 wrong secrets, earned back at 3 a minute
  for (let i = 0; i < 3; i++) tokens.judge('ingest', `wrong-${i}-aaaaaaaaaaaa`, '10.0.0.1', 0);
  expect(tokens.judge('ingest', 'wrong-aaaaaaaaaaaa', '10.0.0.1', 19_000)).toMatchObject({
    status: 429,
    retryAfterMs: 1000,
  });
  // One try back after a third of the window, and only one.
  expect(tokens.judge('ingest', 'wrong-aaaaaaaaaaaa', '10.0.0.1', 20_000)).toMatchObject({ status: 401 });
  expect(tokens.judge('ingest', 'wrong-aaaaaaaaaaaa', '10.0.0.1', 20_000)).toMatchObject({ status: 429 });
});
