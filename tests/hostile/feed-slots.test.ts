/**
 * Hostile input, feed slots (issue 10, item 4): an upgrade that passes the token check but
 * that the WebSocket layer refuses (bad key, version, method, subprotocol header) must give
 * its slot back. Before the fix each one leaked a slot for good, and after
 * TRADEWATCH_FEED_MAX_CLIENTS of them every viewer got 503.
 */
import { scrape, startExporter, sumOf, type RunningExporter } from '../support/exporter';
import { openFeed, rawRequest, refusedStatus, upgradeRequest, watchHealth } from '../feed/support';

jest.setTimeout(60_000);

const MAX_CLIENTS = 2;
let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({
    env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_FEED_MAX_CLIENTS: String(MAX_CLIENTS) },
  });
});
afterAll(async () => {
  await exporter?.stop();
});

test('upgrades refused by the WebSocket layer give their slot back', async () => {
  const health = watchHealth(exporter.baseUrl);
  try {
    await attack();
  } finally {
    const { slowestMs, failures } = await health.stop();
    expect(failures).toEqual([]);
    expect(slowestMs).toBeLessThan(1000);
  }
  expect(exporter.process.exitCode).toBeNull();
});

async function attack(): Promise<void> {
  const token = exporter.viewerToken;
  const port = exporter.port;
  const variants: [string, Record<string, string>, RegExp][] = [
    ['an invalid Sec-WebSocket-Key', { 'Sec-WebSocket-Key': 'not-a-key' }, /^HTTP\/1\.1 400 /],
    ['no Sec-WebSocket-Key', { 'Sec-WebSocket-Key': '' }, /^HTTP\/1\.1 400 /],
    ['an unsupported version', { 'Sec-WebSocket-Version': '7' }, /^HTTP\/1\.1 400 /],
    ['a POST upgrade', { ':method': 'POST' }, /^HTTP\/1\.1 405 /],
    ['Upgrade: h2c', { Upgrade: 'h2c' }, /^HTTP\/1\.1 400 /],
    [
      'a malformed subprotocol list',
      { 'Sec-WebSocket-Protocol': `tradewatch.v1, tradewatch.token.${token}, tradewatch.v1` },
      /^HTTP\/1\.1 400 /,
    ],
  ];
  for (const [name, headers, expected] of variants) {
    for (let i = 0; i < MAX_CLIENTS + 1; i++) {
      const answer = await rawRequest(port, upgradeRequest(port, token, headers));
      expect([name, answer.split('\r\n')[0]]).toEqual([name, expect.stringMatching(expected)]);
    }
  }
  // Clients that vanish right after sending their upgrade.
  await Promise.all(
    Array.from({ length: MAX_CLIENTS * 3 }, () => rawRequest(port, upgradeRequest(port, token), 1)),
  );

  // Every slot is still free: MAX_CLIENTS viewers get in, the next one gets 503.
  const feeds = [];
  for (let i = 0; i < MAX_CLIENTS; i++) feeds.push(await openFeed(exporter.baseUrl, { token }));
  expect(await refusedStatus(exporter.baseUrl, { token })).toBe(503);
  expect(sumOf(await scrape(exporter.baseUrl), 'tradewatch_feed_clients')).toBe(MAX_CLIENTS);
  for (const f of feeds) f.close();
  await Promise.all(feeds.map((f) => f.closed));
}
