/**
 * plugin.json against the rules of Grafana's plugin.json schema (docs/sources/developers/plugins/
 * plugin.schema.json in Grafana's repository, draft-07), written down here from reading it (the
 * schema itself is not copied): the required keys, no key the schema does not know (it sets
 * additionalProperties false on the file, info, logos, dependencies and route objects), the id
 * pattern, the type enum, semver-ish version and updated, and the route objects. Only what our
 * plugins could get wrong is checked; a problem is named by its JSON path.
 */
const TOP_LEVEL = new Set([
  '$schema',
  'id',
  'type',
  'name',
  'info',
  'dependencies',
  'alerting',
  'annotations',
  'autoEnabled',
  'backend',
  'builtIn',
  'category',
  'enterpriseFeatures',
  'executable',
  'hideFromList',
  'includes',
  'logs',
  'metrics',
  'pascalName',
  'preload',
  'queryOptions',
  'routes',
  'skipDataQuery',
  'state',
  'streaming',
  'tracing',
]);
// `buildMode` is written into the built plugin.json by create-plugin's BuildModeWebpackPlugin
// (.config/webpack); the schema version read here predates it, so it is allowed as a string.
TOP_LEVEL.add('buildMode');
const INFO = new Set([
  'author',
  'build',
  'description',
  'keywords',
  'links',
  'logos',
  'screenshots',
  'updated',
  'version',
]);
const ROUTE = new Set([
  'path',
  'method',
  'url',
  'reqSignedIn',
  'reqRole',
  'reqAction',
  'headers',
  'body',
  'tokenAuth',
  'jwtTokenAuth',
  'urlParams',
]);
const BOOLEAN_KEYS = [
  'alerting',
  'annotations',
  'autoEnabled',
  'backend',
  'builtIn',
  'logs',
  'metrics',
  'preload',
  'skipDataQuery',
  'streaming',
  'tracing',
];
const ID = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource|secretsmanager|transformer)$/;
const TYPES = ['app', 'datasource', 'panel', 'renderer', 'secretsmanager', 'transformer'];
const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)|(%VERSION%)$/;
const UPDATED = /^(\d{4}-\d{2}-\d{2}|%TODAY%)$/;
const GRAFANA_DEPENDENCY =
  /^(<=|>=|<|>|=|~|\^)?([0-9]+)(\.[0-9x*]+)(\.[0-9x*]+)?(\s(<=|>=|<|=>)?([0-9]+)(\.[0-9x]+)(\.[0-9x]+))?$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function pluginJsonProblems(plugin: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(plugin)) return ['(root): must be an object'];
  const unknown = (obj: Json, allowed: Set<string>, at: string) => {
    for (const k of Object.keys(obj))
      if (!allowed.has(k)) problems.push(`${at}${k}: not a key of plugin.json`);
  };
  for (const k of ['type', 'name', 'id', 'info', 'dependencies'])
    if (!(k in plugin)) problems.push(`${k}: required`);
  unknown(plugin, TOP_LEVEL, '');
  if (typeof plugin.id !== 'string' || !ID.test(plugin.id))
    problems.push(`id: ${JSON.stringify(plugin.id)} does not match ${ID}`);
  if (!TYPES.includes(String(plugin.type))) problems.push(`type: must be one of ${TYPES.join(', ')}`);
  if (
    typeof plugin.id === 'string' &&
    typeof plugin.type === 'string' &&
    !plugin.id.endsWith(`-${plugin.type}`)
  )
    problems.push(`id: ${plugin.id} must end with -${plugin.type}`);
  if (typeof plugin.name !== 'string') problems.push('name: must be a string');
  for (const k of BOOLEAN_KEYS)
    if (k in plugin && typeof plugin[k] !== 'boolean') problems.push(`${k}: must be a boolean`);
  const info = plugin.info;
  if (isObject(info)) {
    unknown(info, INFO, 'info.');
    for (const k of ['logos', 'version', 'updated', 'keywords'])
      if (!(k in info)) problems.push(`info.${k}: required`);
    if (!Array.isArray(info.keywords) || info.keywords.length < 1)
      problems.push('info.keywords: at least one');
    if (typeof info.version !== 'string' || !VERSION.test(info.version))
      problems.push('info.version: not a version');
    if (typeof info.updated !== 'string' || !UPDATED.test(info.updated))
      problems.push('info.updated: not a date');
    if (!isObject(info.logos) || typeof info.logos.small !== 'string' || typeof info.logos.large !== 'string')
      problems.push('info.logos: small and large are required');
    else unknown(info.logos, new Set(['small', 'large']), 'info.logos.');
    if (isObject(info.author)) unknown(info.author, new Set(['name', 'email', 'url']), 'info.author.');
  } else problems.push('info: must be an object');
  const deps = plugin.dependencies;
  if (isObject(deps)) {
    unknown(deps, new Set(['grafanaVersion', 'grafanaDependency', 'plugins']), 'dependencies.');
    if (typeof deps.grafanaDependency !== 'string' || !GRAFANA_DEPENDENCY.test(deps.grafanaDependency))
      problems.push('dependencies.grafanaDependency: required, a semver range');
    if ('plugins' in deps && !Array.isArray(deps.plugins))
      problems.push('dependencies.plugins: must be an array');
  } else problems.push('dependencies: must be an object');
  if ('routes' in plugin) {
    if (!Array.isArray(plugin.routes)) problems.push('routes: must be an array');
    else
      plugin.routes.forEach((route, i) => {
        if (!isObject(route)) return problems.push(`routes[${i}]: must be an object`);
        unknown(route, ROUTE, `routes[${i}].`);
        for (const k of ['path', 'method', 'url', 'reqRole'])
          if (k in route && typeof route[k] !== 'string')
            problems.push(`routes[${i}].${k}: must be a string`);
        if ('headers' in route) {
          if (!Array.isArray(route.headers)) problems.push(`routes[${i}].headers: must be an array`);
          else
            route.headers.forEach((h, j) => {
              if (!isObject(h) || typeof h.name !== 'string' || typeof h.content !== 'string')
                problems.push(`routes[${i}].headers[${j}]: needs name and content strings`);
            });
        }
      });
  }
  return problems;
}
