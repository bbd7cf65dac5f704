import { loadConfig } from '../config';

describe('history settings', () => {
  test('defaults: SQLite in the data dir, schema tradewatch, 400 days', () => {
    expect(loadConfig({ env: {} }).history).toEqual({
      enabled: true,
      url: null,
      schema: 'tradewatch',
      retentionMs: 400 * 86_400_000,
      maxPending: 100_000,
    });
  });

  test('a PostgreSQL URL, a schema and a retention are taken', () => {
    const c = loadConfig({
      env: {
        TRADEWATCH_HISTORY_URL: 'postgres://u:p@db:5432/trades',
        TRADEWATCH_HISTORY_SCHEMA: 'desk_1',
        TRADEWATCH_HISTORY_RETENTION: '12w',
      },
    });
    expect(c.history).toMatchObject({
      url: 'postgres://u:p@db:5432/trades',
      schema: 'desk_1',
      retentionMs: 12 * 604_800_000,
    });
  });

  test.each([
    ['TRADEWATCH_HISTORY_URL', 'mysql://db/trades'],
    ['TRADEWATCH_HISTORY_SCHEMA', 'Trades; DROP TABLE x'],
    ['TRADEWATCH_HISTORY_RETENTION', 'forever'],
    ['TRADEWATCH_HISTORY', 'maybe'],
    ['TRADEWATCH_HISTORY_MAX_PENDING', '10'],
  ])('a bad %s stops the start naming the setting', (name, value) => {
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(new RegExp(`^${name} = `));
  });
});
