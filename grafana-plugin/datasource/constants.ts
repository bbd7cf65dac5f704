/** Test ids of the data source's editors (jest and the browser tests select through them). */
export const DS_TEST_IDS = {
  config: {
    url: 'tw-ds-config-url',
    token: 'tw-ds-config-token',
  },
  query: {
    channel: 'tw-ds-query-channel',
    engine: 'tw-ds-query-engine',
    strategy: 'tw-ds-query-strategy',
    symbol: 'tw-ds-query-symbol',
  },
} as const;
