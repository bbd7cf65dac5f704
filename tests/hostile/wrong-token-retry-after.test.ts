/**
 * Past the limit of wrong tokens, the 429 says when the next try is earned back: the limiter
 * is a token bucket (20 wrong tokens, one earned back every 3 s by default), so Retry-After
 * gives that wait in whole seconds, not a flat minute; a client that waits what it says is
 * heard again (with the real exporter, over HTTP).
 */
import { startExporter, type RunningExporter } from '../support/exporter';

jest.setTimeout(60_000);

let exporter: RunningExporter;
beforeAll(async () => {
  exporter = await startExporter({ env: { TRADEWATCH_SOURCE: 'none' } });
});
afterAll(async () => {
  await exporter?.stop();
});

const wrong = (i: number) => `wrong-token-${i}-aaaaaaaaaaaaaaaa`;
const ingest = (token: string) =>
  fetch(`${exporter.baseUrl}/api/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '[]',
  });
const viewerGet = (token: string) =>
  fetch(`${exporter.baseUrl}/api/v1/orders`, { headers: { Authorization: `Bearer ${token}` } });

test("the 429 for too many wrong tokens gives the limiter's actual wait, and waiting it is enough", async () => {
  for (let i = 0; i < 20; i++) expect((await ingest(wrong(i))).status).toBe(401);
  const refused = await ingest(wrong(20));
  expect(refused.status).toBe(429);
  const after = Number(refused.headers.get('retry-after'));
  // One try comes back every 3 s: at most 3 s to wait, at least 1 (whole seconds).
  expect(after).toBeGreaterThanOrEqual(1);
  expect(after).toBeLessThanOrEqual(3);
  expect(await refused.text()).toContain(`try again in ${after} s`);

  // The viewer door has its own count and says the same.
  for (let i = 0; i < 20; i++) expect((await viewerGet(wrong(100 + i))).status).toBe(401);
  const viewer = await viewerGet(wrong(120));
  expect(viewer.status).toBe(429);
  const viewerAfter = Number(viewer.headers.get('retry-after'));
  expect(viewerAfter).toBeGreaterThanOrEqual(1);
  expect(viewerAfter).toBeLessThanOrEqual(3);

  // Waiting what the ingest 429 said earns one try back: the next wrong token is heard (401).
  await new Promise((resolve) => setTimeout(resolve, after * 1000));
  expect((await ingest(wrong(21))).status).toBe(401);
  expect((await ingest(wrong(22))).status).toBe(429);
});
