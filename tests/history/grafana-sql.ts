/**
 * What Grafana does to a query of its core PostgreSQL data source before PostgreSQL sees it,
 * reimplemented from reading Grafana's source (Grafana is AGPL: nothing here is copied):
 *
 * 1. In the browser, dashboard variables are replaced (`$name`, `${name}`, `${name:fmt}`,
 *    `[[name]]`; scenes' template service). A multi-value or include-All variable's values are
 *    each quoted as SQL literals and joined with commas (`'a','b'`); an empty list becomes
 *    nothing at all. With "All" picked, a variable with an `allValue` sends that value as it
 *    is, unformatted; without one it sends every option. A single-value variable (a constant)
 *    has its quotes doubled and no quotes added (SqlDatasource.interpolateVariable).
 *    `${__timezone}` is the dashboard's zone, "browser" resolved to the browser's IANA name
 *    (scenes' TimezoneMacro), formatted like a single value.
 * 2. On the server, the PostgreSQL macro engine replaces `$__name(args)`: `$__timeFilter(col)`
 *    becomes `col BETWEEN 'from' AND 'to'` with both ends as RFC 3339 in UTC (Go's
 *    RFC3339Nano: no trailing zeros in the fraction); any macro it does not know fails the
 *    query (`unknown macro`), and so does this reimplementation, so a new macro in a
 *    dashboard cannot pass here unchecked.
 */

/** The value of a variable as Grafana holds it: picked values, or "All". */
export type Picked = { all: true } | { values: string[] };
export const ALL: Picked = { all: true };
export const pick = (...values: string[]): Picked => ({ values });

export interface SqlVariable {
  name: string;
  /** multi or includeAll: values are quoted as literals. */
  listy: boolean;
  allValue?: string;
  /** What "All" sends when there is no allValue. */
  options: string[];
  picked: Picked;
}

export interface Frontend {
  variables: SqlVariable[];
  /** What `$__timezone` resolves to (an IANA name or `utc`). */
  timezone: string;
}

const quoteLiteral = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** SqlDatasource.interpolateVariable, for the value shapes a SQL variable has. */
function formatSql(value: string | string[], listy: boolean): string {
  if (Array.isArray(value)) return value.map(quoteLiteral).join(',');
  return listy ? quoteLiteral(value) : value.replace(/'/g, "''");
}

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

/** Step 1: the browser's variable replacement. */
export function interpolateVariables(sql: string, fe: Frontend): string {
  return sql.replace(VARIABLE, (match, a?: string, b?: string, _f1?: string, c?: string) => {
    const name = (a ?? b ?? c) as string;
    if (name === '__timezone') return formatSql(fe.timezone, false);
    const v = fe.variables.find((x) => x.name === name);
    if (!v) return match; // macros such as $__timeFilter are left for the server
    if ('all' in v.picked) {
      if (v.allValue !== undefined) return v.allValue;
      return formatSql(v.options, v.listy);
    }
    const values = v.picked.values;
    return formatSql(v.listy ? values : (values[0] ?? ''), v.listy);
  });
}

/** Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped, the dot too. */
export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}

const MACRO = /\$([_a-zA-Z0-9]+)\(([^)]*)\)/g;

/** Step 2: the server's macro engine for the PostgreSQL data source. */
export function interpolateMacros(sql: string, range: { from: Date; to: Date }): string {
  return sql.replace(MACRO, (_m, name: string, rawArgs: string) => {
    const args = rawArgs.split(',').map((s) => s.trim());
    const from = rfc3339Nano(range.from);
    const to = rfc3339Nano(range.to);
    switch (name) {
      case '__timeFilter':
        if (!args[0]) throw new Error(`missing time column argument for macro ${name}`);
        return `${args[0]} BETWEEN '${from}' AND '${to}'`;
      case '__timeFrom':
        return `'${from}'`;
      case '__timeTo':
        return `'${to}'`;
      case '__time':
        if (!args[0]) throw new Error(`missing time column argument for macro ${name}`);
        return `${args[0]} AS "time"`;
      default:
        throw new Error(`unknown macro "${name}" (not reimplemented here: add it, from Grafana's source)`);
    }
  });
}

/** The SQL PostgreSQL receives for a dashboard query. */
export function grafanaSql(sql: string, fe: Frontend, range: { from: Date; to: Date }): string {
  return interpolateMacros(interpolateVariables(sql, fe), range);
}
