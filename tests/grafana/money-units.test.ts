/**
 * Money on the dashboards is shown in the exporter's valuation currency: a generator setting
 * (TRADEWATCH_VALUATION_CURRENCY when the dashboards are generated), with Grafana's own currency
 * unit where Grafana 12.3 and 13 both have one, the code as a suffix otherwise. Amounts in the
 * currency of their series (fees, cash by currency) carry no currency unit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { moneyUnit } from '../../dashboards/src/lib/currency';
import { rel } from './grafana-files';
import { grafanaHost, type GrafanaEnd } from './hosts/hosts';

type Files = Record<string, string>;

/** The dashboards generated with TRADEWATCH_VALUATION_CURRENCY set to `currency` (or unset). */
function generateWith(currency: string | undefined): Files {
  const before = process.env.TRADEWATCH_VALUATION_CURRENCY;
  if (currency === undefined) delete process.env.TRADEWATCH_VALUATION_CURRENCY;
  else process.env.TRADEWATCH_VALUATION_CURRENCY = currency;
  try {
    let files: Files = {};
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      files = (require('../../dashboards/src/index') as { generatedFiles(): Files }).generatedFiles();
    });
    return files;
  } finally {
    if (before === undefined) delete process.env.TRADEWATCH_VALUATION_CURRENCY;
    else process.env.TRADEWATCH_VALUATION_CURRENCY = before;
  }
}

/** Every unit set anywhere in the dashboards (defaults and overrides), with the panel's title. */
function unitsOf(files: Files): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (node: unknown, title: string) => {
    if (Array.isArray(node)) for (const x of node) walk(x, title);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      const t = typeof o.title === 'string' && 'type' in o ? o.title : title;
      if (typeof o.unit === 'string') out.push([t, o.unit]);
      if (o.id === 'unit' && typeof o.value === 'string') out.push([t, o.value]);
      for (const v of Object.values(o)) walk(v, t);
    }
  };
  for (const content of Object.values(files)) walk(JSON.parse(content), '');
  return out;
}

const moneyPanels = (files: Files, unit: string) =>
  [
    ...new Set(
      unitsOf(files)
        .filter(([, u]) => u === unit)
        .map(([t]) => t),
    ),
  ].sort();

test('unset, money is USD (the exporter default) and the committed dashboards are those', () => {
  const files = generateWith(undefined);
  for (const [p, content] of Object.entries(files)) expect(readFileSync(rel(p), 'utf8')).toBe(content);
  expect(moneyPanels(files, 'currencyUSD').length).toBeGreaterThan(10);
});

test('EUR: every money figure is in euros, and nothing is left in dollars', () => {
  const usd = moneyPanels(generateWith(undefined), 'currencyUSD');
  const eur = generateWith('eur');
  expect(moneyPanels(eur, 'currencyEUR')).toEqual(usd);
  expect(moneyPanels(eur, 'currencyUSD')).toEqual([]);
});

test('a currency Grafana has no unit for is shown as a suffix', () => {
  const usd = moneyPanels(generateWith(undefined), 'currencyUSD');
  expect(moneyPanels(generateWith('USDT'), 'suffix: USDT')).toEqual(usd);
});

test('a malformed code stops the generator, naming the setting', () => {
  expect(() => generateWith('US Dollar')).toThrow(/TRADEWATCH_VALUATION_CURRENCY = "US Dollar" is not valid/);
});

test('fees and cash by currency carry no currency unit (each series has its own currency)', () => {
  const units = unitsOf(generateWith('EUR'));
  for (const title of ['Fees paid (time range)', 'Fees / hour by currency', 'Cash balance by currency'])
    expect([title, units.filter(([t]) => t === title).map(([, u]) => u)]).toEqual([title, ['short']]);
});

/** Every file of a directory tree, concatenated. */
function textOf(dir: string): string {
  return readdirSync(dir)
    .map((f) => path.join(dir, f))
    .map((p) => (statSync(p).isDirectory() ? textOf(p) : p.endsWith('.cjs') ? readFileSync(p, 'utf8') : ''))
    .join('\n');
}

test.each<GrafanaEnd>(['oldest', 'newest'])(
  "every currency unit we emit is one of the %s supported Grafana's value formats, and it has the suffix: unit",
  (end) => {
    // Installed here if no test before this one did (the Grafana hosts are installed on demand).
    const data = textOf(path.join(grafanaHost(end).modules, '@grafana', 'data', 'dist', 'cjs'));
    const known = new Set([...data.matchAll(/id: "(currency\w+)"/g)].map((m) => m[1]));
    expect(known.size).toBeGreaterThan(20);
    for (const code of ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'BTC', 'INR', 'ILS', 'USDT', 'XRP', 'DOGE']) {
      const unit = moneyUnit(code);
      if (unit.startsWith('currency')) expect([code, known.has(unit)]).toEqual([code, true]);
      else expect([code, known.has(`currency${code}`)]).toEqual([code, false]);
    }
    expect(data).toContain('key === "suffix"');
  },
);
