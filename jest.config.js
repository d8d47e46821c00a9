/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc --noEmit` in the test command; here ts-jest only transpiles, which
  // keeps the suite fast with the large provider typings.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  // A synth cache shared by the test files of one run (see support/global-setup.ts).
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  testTimeout: 60000,
  // The offline-plan suite waits on terraform most of the time; two workers overlap it with the rest.
  maxWorkers: 2,
};
