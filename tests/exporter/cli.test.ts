/** The `tradewatch serve` process as an operator meets it: config errors, first run, shutdown. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, freePort, postEvents, startExporter, waitFor } from '../support/exporter';

describe('tradewatch serve', () => {
  it('refuses a bad setting before it starts, naming the setting, the value and what is accepted', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve'], {
      env: { PATH: process.env.PATH, TRADEWATCH_PORT: 'abc' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'configuration error: TRADEWATCH_PORT = "abc" is not valid: expected an integer port from 0 to 65535',
    );
  });

  it('a first run without tokens generates them, prints them on the console, keeps them across restarts, and never shows them on a page', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tw-first-run-'));
    const port = await freePort();
    const env = { TRADEWATCH_SOURCE: 'none', TRADEWATCH_INGEST_TOKENS: '', TRADEWATCH_VIEWER_TOKENS: '' };
    try {
      const first = await startExporter({ env, dataDir, port });
      await waitFor('the token banner', async () => first.output().includes('viewer token: '));
      const saved = JSON.parse(readFileSync(path.join(dataDir, 'tokens.json'), 'utf8')) as {
        ingest: string;
        viewer: string;
      };
      expect(first.output()).toContain(`ingest token: ${saved.ingest}`);
      expect(first.output()).toContain(`viewer token: ${saved.viewer}`);
      const landing = await (await fetch(`${first.baseUrl}/`)).text();
      expect(landing).toContain('/api/v1/events');
      expect(landing).not.toContain(saved.ingest);
      expect(landing).not.toContain(saved.viewer);
      // The generated ingest token works; the log never holds it except in the console banner.
      const ok = await postEvents({ baseUrl: first.baseUrl, ingestToken: saved.ingest }, [
        { type: 'mark', ts: '2026-03-02T10:00:00Z', symbol: 'BTC/USD', price: 1 },
      ]);
      expect(ok.status).toBe(200);
      await first.stop();

      const second = await startExporter({ env, dataDir, port });
      await waitFor('the token banner', async () => second.output().includes('viewer token: '));
      expect(second.output()).toContain(`ingest token: ${saved.ingest}`);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const ex = await startExporter({ env: { TRADEWATCH_SOURCE: 'demo' } });
    const exit = new Promise<number | null>((resolve) => ex.process.once('exit', (code) => resolve(code)));
    ex.process.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(ex.output()).toContain('tradewatch exporter stopped');
    await ex.stop();
  });
});

describe('TLS and the audit trail', () => {
  it('serves HTTPS directly with TRADEWATCH_TLS_CERT and _KEY, and logs which named token ingested from where', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tw-tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { encoding: 'utf8' },
    );
    expect(made.status).toBe(0);
    const ex = await startExporter({
      env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_TLS_CERT: cert, TRADEWATCH_TLS_KEY: key },
    });
    try {
      const https = await import('node:https');
      const get = (
        p: string,
        init: { method?: string; headers?: Record<string, string>; body?: string } = {},
      ) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = https.request(
            {
              host: '127.0.0.1',
              port: ex.port,
              path: p,
              method: init.method ?? 'GET',
              headers: init.headers,
              ca: readFileSync(cert),
              servername: 'localhost',
            },
            (res) => {
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            },
          );
          req.on('error', reject);
          req.end(init.body);
        });
      expect((await get('/healthz')).status).toBe(200);
      const posted = await get('/api/v1/events', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ex.ingestToken}` },
        body: JSON.stringify([{ type: 'mark', ts: '2026-03-02T10:00:00Z', symbol: 'BTC/USD', price: 1 }]),
      });
      expect(posted.status).toBe(200);
      const audit = await waitFor('the audit line', async () =>
        ex
          .output()
          .split('\n')
          .find((l) => l.includes('"msg":"ingested"')),
      );
      expect(audit).toBeDefined();
      expect(JSON.parse(audit as string)).toMatchObject({
        token_name: 'test-ingest',
        address: '127.0.0.1',
        events: 1,
      });
      expect(ex.output()).not.toContain(ex.ingestToken);
    } finally {
      await ex.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
