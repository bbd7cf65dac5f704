/** One jest run over every workspace and the cross-part tests (the plugin has its own). */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }];
const project = (name, roots, extra = {}) => ({
  displayName: name,
  roots,
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  ...extra,
});

module.exports = {
  projects: [
    project('exporter', ['<rootDir>/exporter']),
    project('feed-protocol', ['<rootDir>/feed-protocol']),
    project('feed-client', ['<rootDir>/feed-client']),
    project('dashboards', ['<rootDir>/dashboards']),
    project('alerting', ['<rootDir>/alerting']),
    project('tests', ['<rootDir>/tests']),
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
