/**
 * Type-checks generated dashboard JSON against @grafana/schema (Grafana's own types, Apache-2.0,
 * from npm) of one Grafana release: each dashboard as a `Dashboard` and each core panel's
 * `options` and `fieldConfig.defaults.custom` as that panel's `Options` and `FieldConfig`, all
 * as object literals, so a key the release does not know is an error (TypeScript's excess
 * property check), as is a wrong value type or enum value.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Panel plugin id → its folder in @grafana/schema's raw/composable (core panels only). */
const COMPOSABLE: Record<string, string> = {
  stat: 'stat',
  gauge: 'gauge',
  bargauge: 'bargauge',
  timeseries: 'timeseries',
  table: 'table',
  'state-timeline': 'statetimeline',
  'status-history': 'statushistory',
  barchart: 'barchart',
  piechart: 'piechart',
  text: 'text',
};

/**
 * Keys Grafana reads that its CUE-generated schema leaves out, removed before the check:
 * a query variable's `definition` (@grafana/data's QueryVariableModel has it; Grafana's variable
 * editor shows and saves it).
 */
const NOT_IN_SCHEMA = { variable: ['definition'] };

export interface SchemaCheck {
  /** The @grafana/schema version checked against. */
  version: string;
  /** One line per problem: where (dashboard, panel) and TypeScript's message. */
  problems: string[];
  /** How many object literals were checked (dashboards, panel options, custom field configs). */
  checked: number;
}

interface Panel {
  type: string;
  title?: string;
  options?: unknown;
  fieldConfig?: { defaults?: { custom?: unknown } };
  panels?: Panel[];
}

export function checkDashboards(
  schemaPackageDir: string,
  dashboards: Record<string, { panels: Panel[] }>,
): SchemaCheck {
  const schemaDir = path.resolve(schemaPackageDir);
  const version = JSON.parse(readFileSync(path.join(schemaDir, 'package.json'), 'utf8')).version as string;
  const types = path.join(schemaDir, 'dist', 'types');
  const modules = new Set<string>();
  const lines: string[] = [];
  const spans: Array<{ from: number; label: string }> = [];
  let n = 0;
  const literal = (label: string, type: string, value: unknown) => {
    spans.push({ from: lines.length, label });
    lines.push(...`export const v${n++}: ${type} = ${JSON.stringify(value, null, 1)};`.split('\n'));
  };
  for (const [file, dashboard] of Object.entries(dashboards)) {
    const d = structuredClone(dashboard) as typeof dashboard & {
      templating?: { list?: Array<Record<string, unknown>> };
    };
    for (const v of d.templating?.list ?? []) for (const key of NOT_IN_SCHEMA.variable) delete v[key];
    literal(file, 'Dashboard', d);
    for (const p of d.panels.flatMap((x) => [x, ...(x.panels ?? [])])) {
      const mod = COMPOSABLE[p.type];
      if (!mod) continue;
      // types.gen.d.ts (12.4+) or <Name>PanelCfg_types.gen.d.ts (12.3)
      const dir = path.join(types, 'raw', 'composable', mod, 'panelcfg', 'x');
      const found = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('types.gen.d.ts')) : undefined;
      const gen = found ? path.join(dir, found) : '';
      if (!gen) {
        spans.push({ from: lines.length, label: file });
        lines.push(`// panel type ${p.type}: no schema in this release`);
        continue;
      }
      modules.add(`${mod}/panelcfg/x/${found!.replace(/\.d\.ts$/, '')}`);
      const where = `${file} panel "${p.title ?? ''}" (${p.type})`;
      const ns = alias(`${mod}/panelcfg/x/${found!.replace(/\.d\.ts$/, '')}`);
      if (/export interface Options\b/.test(readFileSync(gen, 'utf8'))) {
        literal(`${where} options`, `Json<${ns}.Options>`, p.options ?? {});
      }
      const custom = p.fieldConfig?.defaults?.custom;
      if (custom !== undefined && /export interface FieldConfig\b/.test(readFileSync(gen, 'utf8'))) {
        literal(`${where} fieldConfig.defaults.custom`, `Json<${ns}.FieldConfig>`, custom);
      }
    }
  }
  const header = [
    // JSON holds an enum's string value: check it against the enum's values, not its nominal type
    'type Json<T> = T extends string ? `${T}` : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
    `import type { Dashboard as DashboardType } from 'grafana-schema/index';`,
    'type Dashboard = Json<DashboardType>;',
    ...[...modules].map((m) => `import type * as ${alias(m)} from 'grafana-schema/raw/composable/${m}';`),
  ];
  const source = [...header, ...lines].join('\n');
  const fileName = path.join(schemaDir, '..', '..', '__tradewatch_schema_check__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    paths: { 'grafana-schema/*': [path.join(types, '*')] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    path.resolve(name) === fileName
      ? ts.createSourceFile(name, source, lang)
      : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  if (!program.getSourceFile(fileName)) throw new Error(`schema check: ${fileName} was not compiled`);
  const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].filter(
    (dg) => !dg.file || path.resolve(dg.file.fileName) === fileName,
  );
  const problems = diagnostics.map((dg) => {
    const message = ts.flattenDiagnosticMessageText(dg.messageText, ' ');
    if (!dg.file || dg.start === undefined) return message;
    const line = dg.file.getLineAndCharacterOfPosition(dg.start).line - header.length;
    const span = [...spans].reverse().find((s) => s.from <= line);
    const text = dg.file.text.split('\n')[line + header.length].trim();
    return `${span?.label ?? '?'}: ${message} [at ${text.slice(0, 80)}]`;
  });
  return { version, problems, checked: n };
}

const alias = (module: string) => `p_${module.replace(/\W/g, '_')}`;
