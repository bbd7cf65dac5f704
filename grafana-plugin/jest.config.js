// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const path = require('path');
const base = require('./.config/jest.config');

const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  moduleNameMapper: {
    ...base.moduleNameMapper,
    // the feed client and its protocol are TypeScript source in the monorepo, compiled by @swc/jest like ours
    '^@tradewatch/feed-client$': path.resolve(__dirname, '../feed-client/src'),
    '^@tradewatch/feed-protocol$': path.resolve(__dirname, '../feed-protocol/src'),
  },
  transform: {
    ...base.transform,
    // d3-color and friends ship .mjs now (see NOTES.md)
    '^.+\\.mjs$': swc,
  },
  // the data source's tests sit beside its code in datasource/ (README there says why it is here)
  testMatch: [...base.testMatch, '<rootDir>/datasource/**/*.test.{ts,tsx}'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/dist-standalone/', '/dist-datasource/'],
};
