/**
 * Both plugins' plugin.json, as committed and as built, against the rules of Grafana's plugin
 * schema (plugin-json.ts); the data source's routes add the viewer token from secureJsonData to
 * the feed and its probe, and to nothing else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rel } from './grafana-files';
import { pluginJsonProblems } from './plugin-json';

const FILES: Array<[string, string[]]> = [
  ['the blotter panel', ['grafana-plugin', 'src', 'plugin.json']],
  ['the blotter panel, built', ['grafana-plugin', 'dist', 'plugin.json']],
  ['the feed data source', ['grafana-plugin', 'datasource', 'plugin.json']],
  ['the feed data source, built', ['grafana-plugin', 'dist-datasource', 'plugin.json']],
];

test.each(FILES)('%s: plugin.json follows Grafana’s plugin schema', (_name, parts) => {
  const file = rel(...parts);
  if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" in grafana-plugin`);
  expect(pluginJsonProblems(JSON.parse(readFileSync(file, 'utf8')))).toEqual([]);
});

test('the data source: id, type, streaming, and routes that add the token to the feed and its probe only', () => {
  const plugin = JSON.parse(readFileSync(rel('grafana-plugin', 'datasource', 'plugin.json'), 'utf8'));
  expect(plugin).toMatchObject({
    id: 'tradewatch-feed-datasource',
    type: 'datasource',
    streaming: true,
    backend: false,
  });
  expect(plugin.routes.map((r: { path: string }) => r.path)).toEqual(['feed', 'api/v1/feed/auth']);
  for (const route of plugin.routes) {
    expect(route.headers).toEqual([
      { name: 'Authorization', content: 'Bearer {{ .SecureJsonData.viewerToken }}' },
    ]);
    expect(route.url).toBeUndefined(); // the data source's own URL (the exporter), as set by the operator
  }
});

test('negative control: what the schema refuses is reported by path', () => {
  const bad = {
    id: 'Tradewatch_Feed',
    type: 'datasource',
    name: 'x',
    streamin: true,
    info: { keywords: [], version: 'one', updated: 'today', logos: { small: 'a.svg' }, colour: 'red' },
    dependencies: { grafanaDependency: 'latest' },
    routes: [
      { path: 'feed', header: [] },
      { path: 'x', headers: [{ name: 'A' }] },
    ],
  };
  expect(pluginJsonProblems(bad)).toEqual([
    'streamin: not a key of plugin.json',
    'id: "Tradewatch_Feed" does not match /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource|secretsmanager|transformer)$/',
    'id: Tradewatch_Feed must end with -datasource',
    'info.colour: not a key of plugin.json',
    'info.keywords: at least one',
    'info.version: not a version',
    'info.updated: not a date',
    'info.logos: small and large are required',
    'dependencies.grafanaDependency: required, a semver range',
    'routes[0].header: not a key of plugin.json',
    'routes[1].headers[0]: needs name and content strings',
  ]);
});
