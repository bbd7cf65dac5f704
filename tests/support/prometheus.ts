/**
 * Starts a real Prometheus (the Debian package's `prometheus` binary) on a free loopback port
 * with a temp TSDB and a generated config, so tests can scrape the real exporter and run
 * dashboard and alert queries against it. Bounded waits; stop() kills it and removes the dir.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort, waitFor } from './exporter';

export interface ScrapeTarget {
  job: string;
  /** host:port */
  target: string;
  bearerToken?: string;
}

export interface PrometheusOptions {
  targets: ScrapeTarget[];
  /** Prometheus rule files to load; copied with their group interval set to `evaluationInterval`. */
  ruleFiles?: string[];
  scrapeInterval?: string;
  evaluationInterval?: string;
  timeoutMs?: number;
  binary?: string;
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RunningPrometheus {
  baseUrl: string;
  port: number;
  dir: string;
  output(): string;
  /** Instant query; throws on a Prometheus error (bad PromQL, execution error). */
  query(expr: string): Promise<Sample[]>;
  /** Active alerts (pending and firing) of the loaded rules. */
  alerts(): Promise<Array<{ labels: Record<string, string>; state: string; value: string }>>;
  /** Waits until an instant query returns at least one series. */
  waitForData(expr: string, timeoutMs?: number): Promise<Sample[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'tradewatch-prometheus-'));
  const evaluationInterval = options.evaluationInterval ?? '1s';

  const ruleFiles = (options.ruleFiles ?? []).map((file, i) => {
    const doc = parse(readFileSync(file, 'utf8')) as { groups: Array<{ interval?: string }> };
    for (const g of doc.groups) g.interval = evaluationInterval;
    const copy = path.join(dir, `rules-${i}-${path.basename(file)}`);
    writeFileSync(copy, stringify(doc));
    return copy;
  });
  const config = {
    global: { scrape_interval: options.scrapeInterval ?? '1s', evaluation_interval: evaluationInterval },
    rule_files: ruleFiles,
    scrape_configs: options.targets.map((t) => ({
      job_name: t.job,
      static_configs: [{ targets: [t.target] }],
      ...(t.bearerToken ? { authorization: { type: 'Bearer', credentials: t.bearerToken } } : {}),
    })),
  };
  const configFile = path.join(dir, 'prometheus.yml');
  writeFileSync(configFile, stringify(config));

  const child = spawn(
    options.binary ?? 'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (err) => (output += `spawn error: ${err.message}\n`));
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      'prometheus ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
        const res = await fetch(`${baseUrl}/-/ready`);
        return res.ok;
      },
      options.timeoutMs ?? 20_000,
      200,
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err });
  }

  async function query(expr: string): Promise<Sample[]> {
    const res = await fetch(`${baseUrl}/api/v1/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expr }).toString(),
    });
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: unknown };
    };
    if (body.status !== 'success') throw new Error(`query failed (${body.error}): ${expr}`);
    const { resultType, result } = body.data!;
    if (resultType === 'scalar') return [{ metric: {}, value: result as [number, string] }];
    if (resultType !== 'vector') throw new Error(`unexpected result type ${resultType}: ${expr}`);
    return result as Sample[];
  }

  return {
    baseUrl,
    port,
    dir,
    output: () => output,
    query,
    async alerts() {
      const res = await fetch(`${baseUrl}/api/v1/alerts`);
      const body = (await res.json()) as {
        data: { alerts: Array<{ labels: Record<string, string>; state: string; value: string }> };
      };
      return body.data.alerts;
    },
    async waitForData(expr: string, timeoutMs = 30_000) {
      return waitFor(
        `data for ${expr}`,
        async () => {
          const r = await query(expr);
          return r.length > 0 ? r : undefined;
        },
        timeoutMs,
        500,
      );
    },
    stop,
  };
}
