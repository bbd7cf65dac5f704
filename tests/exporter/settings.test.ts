/**
 * Settings that cannot work stop the start naming the setting; an unknown TRADEWATCH_*
 * variable is named at start with the closest setting (issue 25, item 10: they were
 * accepted and lost data quietly, or were ignored).
 */
import { startExporter } from '../support/exporter';

jest.setTimeout(60_000);

test('a Gal Friday engine name events cannot carry stops the start with exit 2, naming the setting', async () => {
  await expect(
    startExporter({ env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_GALFRIDAY_ENGINE: 'g'.repeat(200) } }),
  ).rejects.toThrow(/exited with 2:[\s\S]*TRADEWATCH_GALFRIDAY_ENGINE = "g+" is not valid/);
});

test('an unknown TRADEWATCH_* variable is named in a warning with the closest setting', async () => {
  const x = await startExporter({
    env: { TRADEWATCH_SOURCE: 'none', TRADEWATCH_LOG_LEVEL: 'warn', TRADEWATCH_MAX_SERIE: '5' },
  });
  try {
    expect(x.output()).toMatch(
      /TRADEWATCH_MAX_SERIE is not a setting of the exporter and is ignored; did you mean TRADEWATCH_MAX_SERIES\?/,
    );
  } finally {
    await x.stop();
  }
});
