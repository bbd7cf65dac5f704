/**
 * The exporter's import graph against docs/architecture.md ("Layers, and who may import
 * whom"): no import cycle, and each file imports only what its layer may. The graph is read
 * with the TypeScript compiler's parser (already a dependency; it sees `import type`, which
 * the rules count too, and needs no resolution of packages we do not follow). Test files
 * are left out: nothing imports them, and they may reach into any layer to set one up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = __dirname;

interface Import {
  /** A file of ours relative to exporter/src (`state/store.ts`), or a package (`node:fs`). */
  to: string;
  ours: boolean;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module a file names: import and export declarations, `import()` calls and `import('…')` types. */
function importsOf(file: string, known: ReadonlySet<string>): Import[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith('.')) {
      out.push({ to: specifier, ours: false, typeOnly });
      return;
    }
    const base = path.relative(SRC, path.resolve(path.dirname(file), specifier));
    const to = [`${base}.ts`, `${base}/index.ts`, base].find((f) => known.has(f));
    // An import the walk cannot place would leave an edge out: say so rather than pass.
    if (!to) throw new Error(`${path.relative(SRC, file)}: cannot resolve ${specifier}`);
    out.push({ to, ours: true, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!named &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function importGraph(): Map<string, Import[]> {
  const files = sourceFiles(SRC);
  const known = new Set(files.map((f) => path.relative(SRC, f)));
  return new Map(files.map((f) => [path.relative(SRC, f), importsOf(f, known)]));
}

/** The strongly connected parts of the graph of our files (Tarjan): each with more than one file, or a file importing itself, is a cycle. */
function cycles(graph: ReadonlyMap<string, Import[]>): string[][] {
  const next = (f: string) => [...new Set((graph.get(f) ?? []).filter((i) => i.ours).map((i) => i.to))];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strongConnect = (f: string) => {
    index.set(f, index.size);
    low.set(f, index.get(f)!);
    stack.push(f);
    onStack.add(f);
    for (const g of next(f)) {
      if (!index.has(g)) {
        strongConnect(g);
        low.set(f, Math.min(low.get(f)!, low.get(g)!));
      } else if (onStack.has(g)) low.set(f, Math.min(low.get(f)!, index.get(g)!));
    }
    if (low.get(f) !== index.get(f)) return;
    const part: string[] = [];
    let g: string;
    do {
      g = stack.pop()!;
      onStack.delete(g);
      part.push(g);
    } while (g !== f);
    if (part.length > 1 || next(f).includes(f)) found.push(part.sort());
  };
  for (const f of [...graph.keys()].sort()) if (!index.has(f)) strongConnect(f);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest way from `start` back to it inside one cycle's files: `[a, b, a]`. */
function loopThrough(
  start: string,
  part: ReadonlySet<string>,
  graph: ReadonlyMap<string, Import[]>,
): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const f = queue.shift()!;
    for (const i of graph.get(f) ?? []) {
      if (!i.ours || !part.has(i.to)) continue;
      if (i.to === start) {
        const way = [f];
        while (way[0] !== start) way.unshift(cameFrom.get(way[0])!);
        return [...way, start];
      }
      if (!cameFrom.has(i.to)) {
        cameFrom.set(i.to, f);
        queue.push(i.to);
      }
    }
  }
  return [];
}

/** A cycle's files and the shortest loop through each of them (each loop once), for the message. */
function describeCycle(files: readonly string[], graph: ReadonlyMap<string, Import[]>): string {
  const part = new Set(files);
  const loops = new Set<string>();
  for (const f of files) {
    const loop = loopThrough(f, part, graph).slice(0, -1);
    // Written from its first file in sort order, so the same loop found from two files is one.
    const first = loop.indexOf([...loop].sort()[0]);
    const rotated = [...loop.slice(first), ...loop.slice(0, first)];
    loops.add([...rotated, rotated[0]].join(' → '));
  }
  return `${files.length} files (${files.join(', ')}); loops: ${[...loops].sort().join('; ')}`;
}

// ---- the layers of docs/architecture.md ---------------------------------------------

/** Who a file is, for the rules: a folder, or a named part of one. */
type Part =
  | 'pacing'
  | 'events'
  | 'state'
  | 'settings'
  | 'ingest'
  | 'storage'
  | 'history'
  | 'metrics'
  | 'feed'
  | 'feed-endpoints'
  | 'feed-gate'
  | 'sources'
  | 'http'
  | 'auth'
  | 'adapters'
  | 'wiring';

/** Settings every layer from the service up may read: the config schema, the logger, the version. */
const SETTINGS = new Set(['config.ts', 'log.ts', 'version.ts']);
/** The feed's endpoints (edges); the rest of feed/ is a reader. */
const FEED_ENDPOINTS = new Set(['feed/server.ts', 'feed/stream.ts', 'feed/stream-request.ts']);

function partOf(file: string): Part {
  if (SETTINGS.has(file)) return 'settings';
  if (FEED_ENDPOINTS.has(file)) return 'feed-endpoints';
  if (file === 'feed/gate.ts') return 'feed-gate';
  const folder = file.includes('/') ? file.slice(0, file.indexOf('/')) : '';
  switch (folder) {
    case 'limits': // the token bucket
    case 'retry': // the backoff
      return 'pacing';
    case 'events':
    case 'state':
    case 'ingest':
    case 'storage':
    case 'history':
    case 'metrics':
    case 'feed':
    case 'sources':
    case 'http':
    case 'auth':
    case 'adapters':
      return folder;
    default:
      // main.ts, server.ts and what only it uses (socket-guard.ts, descriptors.ts), cli/, tools/.
      return 'wiring';
  }
}

const SERVICE: Part[] = ['events', 'state', 'settings'];
const BELOW_EDGES: Part[] = [...SERVICE, 'ingest', 'storage', 'history', 'metrics', 'feed'];
/** Besides its own part, what each part may import (the table of docs/architecture.md). */
const MAY_IMPORT: Record<Exclude<Part, 'wiring'>, readonly Part[]> = {
  pacing: [],
  events: [],
  state: ['events'],
  settings: ['events'],
  ingest: SERVICE,
  storage: SERVICE, // and two files of ingest/: EXCEPTIONS
  history: SERVICE,
  metrics: ['state', 'storage', 'history'],
  feed: ['state', 'storage', 'history'],
  // Edges: the layers below, auth/, and the feed's gate (the read API authorizes as the feed does).
  'feed-endpoints': [...BELOW_EDGES, 'auth', 'feed-gate'],
  'feed-gate': [...BELOW_EDGES, 'auth'],
  sources: [...BELOW_EDGES, 'auth', 'feed-gate'],
  http: [...BELOW_EDGES, 'auth', 'feed-gate'],
  auth: SERVICE,
  // A producer's adapter is a service, its source an edge; only the wiring imports a producer.
  adapters: [...BELOW_EDGES, 'auth'],
};
/** Single files one part may import from a part it otherwise may not. */
const EXCEPTIONS: { from: Part; to: string; typeOnly: boolean }[] = [
  { from: 'storage', to: 'ingest/ingestor.ts', typeOnly: true }, // the Journal interface the journal implements
  { from: 'storage', to: 'ingest/turns.ts', typeOnly: false }, // the breather: the journal slices work by the same turns
];
/** Packages the schema and the domain never import: they do no I/O and serve nothing. */
const NOT_IN_DOMAIN = [
  'express',
  'ws',
  'prom-client',
  'pg',
  'better-sqlite3',
  'node:sqlite',
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
];

/** Every import that breaks a rule, as `from → to (why)`. */
function layerViolations(graph: ReadonlyMap<string, Import[]>): string[] {
  const out: string[] = [];
  for (const [from, imports] of graph) {
    const part = partOf(from);
    for (const i of imports) {
      if (!i.ours) {
        if ((part === 'events' || part === 'state') && NOT_IN_DOMAIN.includes(i.to))
          out.push(`${from} → ${i.to} (${part}/ does no I/O and serves nothing)`);
        continue;
      }
      if (part === 'wiring') continue;
      const target = partOf(i.to);
      // The pacing layer is the bottom one: every layer may use it.
      if (target === part || target === 'pacing' || MAY_IMPORT[part].includes(target)) continue;
      if (EXCEPTIONS.some((e) => e.from === part && e.to === i.to && (i.typeOnly || !e.typeOnly))) continue;
      out.push(`${from} → ${i.to} (${part} may not import ${target})`);
    }
  }
  return out.sort();
}

describe('the import graph of exporter/src', () => {
  const graph = importGraph();

  test('has no import cycle', () => {
    const found = cycles(graph).map((part) => describeCycle(part, graph));
    expect(found).toEqual([]);
  });

  test('follows the layers of docs/architecture.md', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  test('is read whole: the rules see the imports they judge', () => {
    // A walk that missed imports would pass every rule; these edges exist.
    expect(graph.get('main.ts')?.map((i) => i.to)).toEqual(
      expect.arrayContaining(['state/store.ts', 'ingest/ingestor.ts', 'feed/server.ts', 'node:fs']),
    );
    expect(graph.get('storage/journal.ts')).toContainEqual({
      to: 'ingest/ingestor.ts',
      ours: true,
      typeOnly: true,
    });
    expect(graph.size).toBeGreaterThan(100);
  });
});
