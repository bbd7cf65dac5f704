/**
 * docker-compose.yml as a user meets it: every variable it reads is listed in .env.example with
 * the default it uses and documented; services start in order of health; Grafana reads the
 * history as the SELECT-only role; the feed's allowed origin follows Grafana's root URL.
 * No Docker engine runs here: the file is checked with Debian's docker-compose 1.29
 * (`config`, offline) and by reading it; whether each image's healthcheck command exists
 * in that image is not run (see docs/grafana.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { allRules } from '../../alerting/src/rules';
import { loadConfig } from '../../exporter/src/config';
import { dashboards, rel } from './grafana-files';

interface Service {
  image?: string;
  restart?: string;
  environment?: Record<string, string | null>;
  volumes?: string[];
  healthcheck?: { test?: string[] | string };
  depends_on?: string[] | Record<string, { condition?: string }>;
}
interface Compose {
  version?: string;
  services: Record<string, Service>;
}

const raw = parse(readFileSync(rel('docker-compose.yml'), 'utf8')) as Compose;

/** `docker-compose config` with exactly these variables (and an env file, to ignore a local .env). */
function config(vars: Record<string, string>, envFile?: string): Compose {
  const empty = path.join(mkdtempSync(path.join(tmpdir(), 'tw-compose-')), 'empty.env');
  writeFileSync(empty, '');
  const r = spawnSync(
    'docker-compose',
    ['--env-file', envFile ?? empty, '-f', 'docker-compose.yml', 'config'],
    {
      cwd: rel(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (r.error) throw new Error(`docker-compose could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`docker-compose config failed:\n${r.stderr}`);
  return parse(r.stdout) as Compose;
}

/** Every `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` in the file's values (`$$` is a `$`). */
function interpolations(node: unknown, out = new Map<string, Set<string | undefined>>()) {
  if (typeof node === 'string') {
    const text = node.replace(/\$\$/g, '');
    for (const m of text.matchAll(/\$\{([A-Za-z_]\w*)(?::?[-?]([^}]*))?\}|\$([A-Za-z_]\w*)/g)) {
      const name = m[1] ?? m[3];
      if (!out.has(name)) out.set(name, new Set());
      out.get(name)!.add(m[1] ? m[2] : undefined);
    }
  } else if (Array.isArray(node)) for (const x of node) interpolations(x, out);
  else if (node && typeof node === 'object') for (const v of Object.values(node)) interpolations(v, out);
  return out;
}

const envExample = new Map(
  readFileSync(rel('.env.example'), 'utf8')
    .split('\n')
    .map((l) => /^([A-Za-z_]\w*)=(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]] as const),
);
const read = interpolations(raw);

describe('.env.example', () => {
  test('lists every variable docker-compose.yml reads, with the one default the file uses, and nothing else', () => {
    expect(read.size).toBeGreaterThan(10);
    for (const [name, defaults] of read) {
      expect([name, defaults.size]).toEqual([name, 1]); // one default wherever the variable is read
      expect([name, envExample.get(name)]).toEqual([name, [...defaults][0] ?? '']);
    }
    expect([...envExample.keys()].filter((k) => !read.has(k))).toEqual([]);
  });

  test('a copy of it as .env gives the same stack as no .env at all', () => {
    expect(config({}, rel('.env.example'))).toEqual(config({}));
  });

  test('docs/grafana.md documents every variable', () => {
    const docs = readFileSync(rel('docs', 'grafana.md'), 'utf8');
    for (const name of read.keys()) expect([name, docs.includes(`\`${name}\``)]).toEqual([name, true]);
  });
});

describe('docs/grafana.md', () => {
  const docs = readFileSync(rel('docs', 'grafana.md'), 'utf8');
  test('counts the dashboards and rules there are, and has a section for each dashboard', () => {
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    const all = Object.values(dashboards());
    expect(docs).toContain(`ships Grafana as code: ${words[all.length]} dashboards`);
    expect(docs).toMatch(new RegExp(`\\b${allRules.length} alert rules`));
    for (const d of all) expect(docs).toContain(`### ${d.title} (uid \`${d.uid}\`)`);
  });
  test('names the PostgreSQL data source of the Trades dashboard', () => {
    expect(docs).toContain('`tradewatch-history`');
  });
});

describe('start order by health', () => {
  test('no obsolete `version:` key', () => {
    expect(raw.version).toBeUndefined();
  });

  const longRunning = Object.entries(raw.services).filter(([, s]) => s.restart !== undefined);
  test.each(longRunning.map(([name, s]) => [name, s] as const))('%s has a healthcheck', (_n, s) => {
    expect(s.healthcheck?.test).toBeDefined();
  });

  test('every dependency waits for health, or for a one-shot service to complete', () => {
    let edges = 0;
    for (const [name, s] of Object.entries(raw.services)) {
      expect([name, Array.isArray(s.depends_on)]).toEqual([name, false]); // the short form means "started"
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        edges++;
        const oneShot = raw.services[dep].restart === undefined;
        expect([name, dep, condition]).toEqual([
          name,
          dep,
          oneShot ? 'service_completed_successfully' : 'service_healthy',
        ]);
      }
    }
    expect(edges).toBeGreaterThanOrEqual(2);
    // Grafana's rules read Prometheus: Grafana waits for it to be ready
    expect(raw.services.grafana.depends_on).toMatchObject({ prometheus: { condition: 'service_healthy' } });
    // the monitoring plane never waits for what it watches: Prometheus runs while the exporter
    // is down (else TradewatchExporterDown could not fire), the exporter while PostgreSQL is
    expect([raw.services.prometheus.depends_on, raw.services.exporter.depends_on]).toEqual([
      undefined,
      undefined,
    ]);
  });

  test('docker-compose 1.29 accepts the file offline and keeps the conditions and healthchecks', () => {
    const { services } = config({});
    for (const [name, s] of longRunning) {
      expect([name, services[name].healthcheck?.test]).toEqual([name, s.healthcheck!.test]);
      expect([name, services[name].depends_on]).toEqual([name, s.depends_on]);
    }
  });
});

describe('Grafana reads the history as the SELECT-only role', () => {
  test('the role the init script creates is the one the data source logs in with, never the owner', () => {
    const { services } = config({
      HISTORY_DB_PASSWORD: 'chosen-owner-secret',
      HISTORY_DB_READER_PASSWORD: 'chosen-reader-secret',
    });
    const pg = services.postgres.environment!;
    const gf = services.grafana.environment!;
    expect(pg.HISTORY_DB_READER_USER).toBe(gf.HISTORY_DB_READER_USER);
    expect(pg.HISTORY_DB_READER_USER).not.toBe(pg.POSTGRES_USER);
    expect([pg.HISTORY_DB_READER_PASSWORD, gf.HISTORY_DB_READER_PASSWORD]).toEqual([
      'chosen-reader-secret',
      'chosen-reader-secret',
    ]);
    expect(pg.POSTGRES_PASSWORD).toBe('chosen-owner-secret');
    expect(JSON.stringify(gf)).not.toContain('chosen-owner-secret');
    expect(raw.services.postgres.volumes).toContain('./postgres/initdb:/docker-entrypoint-initdb.d:ro');
    // executable, so the image's entrypoint runs it in its own shell rather than sourcing it
    expect(statSync(rel('postgres/initdb/10-grafana-reader.sh')).mode & 0o111).toBe(0o111);
    const ds = parse(readFileSync(rel('provisioning/datasources/history.yaml'), 'utf8')).datasources[0];
    expect([ds.uid, ds.user, ds.secureJsonData.password]).toEqual([
      'tradewatch-history',
      '${HISTORY_DB_READER_USER}',
      '${HISTORY_DB_READER_PASSWORD}',
    ]);
  });
});

describe('the history data source is bounded', () => {
  test("maxOpenConns caps its connections below the role's connection limit", () => {
    const ds = parse(readFileSync(rel('provisioning/datasources/history.yaml'), 'utf8')).datasources[0];
    const script = readFileSync(rel('postgres/initdb/10-grafana-reader.sh'), 'utf8');
    const limit = Number(/CONNECTION LIMIT (\d+)/.exec(script)![1]);
    const { maxOpenConns, maxIdleConns, connMaxLifetime } = ds.jsonData;
    expect(Number.isInteger(maxOpenConns)).toBe(true);
    expect(maxOpenConns).toBeGreaterThan(0);
    expect(maxOpenConns).toBeLessThan(limit);
    expect(maxIdleConns).toBeLessThanOrEqual(maxOpenConns);
    expect(connMaxLifetime).toBeGreaterThan(0);
  });
});

describe("the feed's allowed origins follow GRAFANA_ROOT_URL", () => {
  test.each([
    ['unset', {}, ['http://localhost:3000']],
    [
      'a public URL with a sub path',
      { GRAFANA_ROOT_URL: 'https://grafana.example.com/trading/' },
      ['https://grafana.example.com'],
    ],
    [
      'with more origins',
      { GRAFANA_ROOT_URL: 'https://g.example.com', TRADEWATCH_ALLOWED_ORIGINS: 'https://desk.example.com' },
      ['https://g.example.com', 'https://desk.example.com'],
    ],
  ])('%s', (_name, vars: Record<string, string>, origins) => {
    const { services } = config(vars);
    const env = services.exporter.environment!;
    expect(services.grafana.environment!.GF_SERVER_ROOT_URL).toBe(
      vars.GRAFANA_ROOT_URL ?? 'http://localhost:3000',
    );
    // read by the exporter's own configuration parser, as the container reads it
    const c = loadConfig({ env: { TRADEWATCH_ALLOWED_ORIGINS: env.TRADEWATCH_ALLOWED_ORIGINS ?? '' } });
    expect(c.allowedOrigins).toEqual(origins);
  });
});
