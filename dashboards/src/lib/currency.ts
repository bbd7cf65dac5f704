/**
 * The money unit of every dashboard: the exporter's valuation currency
 * (TRADEWATCH_VALUATION_CURRENCY), read when the dashboards are generated, since a Grafana unit
 * cannot follow a setting at run time. `TRADEWATCH_VALUATION_CURRENCY=EUR npm run generate -w
 * dashboards` writes EUR dashboards; the committed ones are USD, the exporter's default.
 */

/**
 * Currencies Grafana has a unit for (its value formats, the same in 12.3.0 and 13.2.3:
 * tests/grafana/money-units.test.ts reads them from both). Any other code is shown as a suffix.
 */
const GRAFANA_CURRENCIES = [
  'USD',
  'GBP',
  'EUR',
  'JPY',
  'RUB',
  'UAH',
  'BRL',
  'DKK',
  'ISK',
  'NOK',
  'SEK',
  'CZK',
  'CHF',
  'PLN',
  'BTC',
  'ZAR',
  'INR',
  'KRW',
  'IDR',
  'PHP',
  'VND',
  'TRY',
  'MYR',
  'XPF',
  'BGN',
  'PYG',
  'UYU',
  'ILS',
] as const;

/** Grafana's unit for amounts in `code`: its own currency unit, or the code as a suffix. */
export function moneyUnit(code: string): string {
  return (GRAFANA_CURRENCIES as readonly string[]).includes(code) ? `currency${code}` : `suffix: ${code}`;
}

/** The valuation currency the generator was asked for; the exporter's rule for the code. */
export function valuationCurrency(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.TRADEWATCH_VALUATION_CURRENCY;
  if (raw === undefined || raw.trim() === '') return 'USD';
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z0-9._-]{1,32}$/.test(code))
    throw new Error(
      `TRADEWATCH_VALUATION_CURRENCY = ${JSON.stringify(raw)} is not valid: expected a currency code such as USD`,
    );
  return code;
}
