/**
 * exporter/Dockerfile against the workspace it builds: every workspace the exporter loads at
 * run time (its package.json `dependencies`, followed through the workspaces) must be copied,
 * built and shipped in the runtime image, or the image starts and dies on a missing module.
 * No Docker engine runs here: the file is read, not built (docs/feed-protocol.md says what
 * stays unverified).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

interface PackageJson {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
}
const pkg = (dir: string): PackageJson => JSON.parse(read(path.join(dir, 'package.json'))) as PackageJson;

/** Workspace folders by package name. */
const workspaces = new Map((pkg('.').workspaces ?? []).map((dir) => [pkg(dir).name, dir]));

/** The workspace folders `dir` needs at run time, itself first, then what they need in turn. */
function runtimeWorkspaces(dir: string): string[] {
  const out = [dir];
  for (let i = 0; i < out.length; i++)
    for (const name of Object.keys(pkg(out[i]).dependencies ?? {})) {
      const dep = workspaces.get(name);
      if (dep !== undefined && !out.includes(dep)) out.push(dep);
    }
  return out;
}

interface Stage {
  name: string;
  /** Instructions in order, continuation lines joined, comments dropped. */
  lines: string[];
}

function stagesOf(dockerfile: string): Stage[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    if (/^FROM /i.test(line)) stages.push({ name: /\bAS (\S+)$/i.exec(line)?.[1] ?? '', lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** Index of the first instruction matching `re`, or -1. */
const at = (stage: Stage, re: RegExp): number => stage.lines.findIndex((l) => re.test(l));
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** What is wrong with the Dockerfile for these runtime workspaces, in words (empty when nothing). */
function problems(dockerfile: string, needed: string[], all: string[]): string[] {
  const stages = stagesOf(dockerfile);
  const build = stages.find((s) => s.name === 'build');
  const runtime = stages.at(-1);
  if (!build || !runtime || runtime === build)
    return ['expected a `build` stage and a runtime stage after it'];
  const out: string[] = [];
  for (const [stage, label] of [
    [build, 'build'],
    [runtime, 'runtime'],
  ] as const) {
    const ci = at(stage, /^RUN npm ci\b/);
    if (ci < 0) out.push(`${label} stage: no npm ci`);
    // npm ci refuses a lockfile whose workspaces are not all there.
    for (const dir of all) {
      const copied = at(stage, new RegExp(`^COPY ${esc(dir)}/package\\.json ${esc(dir)}/?$`));
      if (copied < 0 || copied > ci)
        out.push(`${label} stage: ${dir}/package.json is not copied before npm ci`);
    }
  }
  const exporterBuild = at(build, /^RUN npm run build (-w|--workspace) exporter$/);
  for (const dir of needed) {
    const sources = at(build, new RegExp(`^COPY ${esc(dir)}/(src/)? ${esc(dir)}/(src/)?$`));
    const built = at(build, new RegExp(`^RUN npm run build (-w|--workspace) ${esc(dir)}$`));
    if (sources < 0) out.push(`build stage: the sources of ${dir} are not copied`);
    if (built < 0) out.push(`build stage: ${dir} is not built`);
    else if (built < sources) out.push(`build stage: ${dir} is built before its sources are copied`);
    else if (dir !== 'exporter' && built > exporterBuild)
      out.push(`build stage: ${dir} is built after the exporter, which compiles against it`);
    if (at(runtime, new RegExp(`^COPY --from=build /app/${esc(dir)}/dist ${esc(dir)}/dist/?$`)) < 0)
      out.push(`runtime stage: ${dir}/dist is not shipped`);
  }
  return out;
}

const dockerfile = read('exporter/Dockerfile');
const needed = runtimeWorkspaces('exporter');

test('the exporter needs the feed protocol at run time, and not the feed client', () => {
  expect(needed).toEqual(['exporter', 'feed-protocol']);
});

test('every workspace the exporter loads at run time is copied, built and shipped by its Dockerfile', () => {
  expect(problems(dockerfile, needed, [...workspaces.values()])).toEqual([]);
});

test('a Dockerfile that forgets to build or ship a runtime workspace is named for it', () => {
  const withoutShip = dockerfile.replace(/^COPY --from=build \/app\/feed-protocol\/dist.*$/m, '');
  expect(problems(withoutShip, needed, [...workspaces.values()])).toEqual([
    'runtime stage: feed-protocol/dist is not shipped',
  ]);
  const builtLate = dockerfile
    .replace(/^RUN npm run build -w feed-protocol\n/m, '')
    .replace(/^(RUN npm run build -w exporter)$/m, '$1\nRUN npm run build -w feed-protocol');
  expect(problems(builtLate, needed, [...workspaces.values()])).toEqual([
    'build stage: feed-protocol is built after the exporter, which compiles against it',
  ]);
});
