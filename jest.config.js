/**
 * Two projects over one set of suites: every suite on SQLite (the embedded default), and the
 * API, provider acceptance and multi-instance suites again on PostgreSQL (a cluster the
 * project's global setup starts; each test server gets a database of its own).
 */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true } }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  // A global option: projects don't take it (each would fall back to jest's 5 s).
  testTimeout: 30000,
  projects: [
    { ...base, displayName: 'sqlite', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/test/postgres/'] },
    {
      ...base,
      displayName: 'postgres',
      testMatch: ['<rootDir>/test/api/**/*.test.ts', '<rootDir>/test/e2e-provider/**/*.test.ts', '<rootDir>/test/postgres/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/postgres-global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/postgres-global-teardown.ts',
      setupFiles: ['<rootDir>/test/helpers/use-postgres.ts'],
    },
  ],
};
