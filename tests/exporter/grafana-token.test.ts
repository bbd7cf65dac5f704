/**
 * The viewer token for Grafana's feed data source: written by the exporter at first start
 * into a file Grafana's provisioning reads ($__file{…}), kept across restarts, taken from
 * TRADEWATCH_GRAFANA_VIEWER_TOKEN when the operator sets one; it lets a Grafana proxy read
 * the feed and never appears in the exporter's output.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomToken, startExporter } from '../support/exporter';

jest.setTimeout(120_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tradewatch-grafana-token-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const streamStatus = async (baseUrl: string, token: string) => {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/feed/stream?channel=status`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  controller.abort();
  return res.status;
};

test('first start writes a viewer token for Grafana that opens the feed; a restart keeps it', async () => {
  const file = path.join(dir, 'grafana', 'viewer-token');
  const env = { TRADEWATCH_SOURCE: 'none', TRADEWATCH_GRAFANA_TOKEN_FILE: file };
  const first = await startExporter({ env });
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(await streamStatus(first.baseUrl, token)).toBe(200);
    expect(first.output()).not.toContain(token);
  } finally {
    await first.stop({ keepData: true });
  }
  const second = await startExporter({ env, dataDir: first.dataDir });
  try {
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    expect(await streamStatus(second.baseUrl, token)).toBe(200);
  } finally {
    await second.stop();
  }
});

test('TRADEWATCH_GRAFANA_VIEWER_TOKEN (e.g. from .env) is the one written and accepted', async () => {
  const file = path.join(dir, 'viewer-token');
  const chosen = randomToken('from-env');
  writeFileSync(file, randomToken('older') + '\n');
  const exporter = await startExporter({
    env: {
      TRADEWATCH_SOURCE: 'none',
      TRADEWATCH_GRAFANA_TOKEN_FILE: file,
      TRADEWATCH_GRAFANA_VIEWER_TOKEN: chosen,
    },
  });
  try {
    expect(readFileSync(file, 'utf8').trim()).toBe(chosen);
    expect(await streamStatus(exporter.baseUrl, chosen)).toBe(200);
    expect(await streamStatus(exporter.baseUrl, 'not-the-grafana-token-0000')).toBe(401);
  } finally {
    await exporter.stop();
  }
});

test('a token file that holds no token stops the start, naming the setting and the file', async () => {
  const file = path.join(dir, 'viewer-token');
  writeFileSync(file, 'short\n');
  await expect(
    startExporter({
      env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_GRAFANA_TOKEN_FILE: file },
      timeoutMs: 20_000,
    }),
  ).rejects.toThrow(/TRADEWATCH_GRAFANA_TOKEN_FILE=.*viewer-token.*does not hold a token/s);
});
