/**
 * One Jest run covers every package. Projects split fast unit tests (no network, no servers)
 * from the tests that start the local stack, so `npm run test:unit` stays quick while `npm test` runs all.
 */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/tests/setup/polyfills.js'],
};

module.exports = {
  // The integration projects start whole local stacks (worker threads, child processes, LevelDB). Each file stops
  // its stack, but a handle left by a crashed test must never keep CI waiting until its time limit.
  forceExit: true,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/functions/*/tests/unit/**/*.test.ts',
        '<rootDir>/packages/*/tests/unit/**/*.test.ts',
        '<rootDir>/tests/template/**/*.test.ts',
        '<rootDir>/local/**/tests/unit/**/*.test.ts',
        '<rootDir>/console/**/tests/unit/**/*.test.ts',
        '<rootDir>/tests/hardening/unit/**/*.test.ts',
        '<rootDir>/bench/**/tests/unit/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'statemachine',
      testMatch: ['<rootDir>/tests/statemachine/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/tests/integration/**/*.test.ts',
        '<rootDir>/functions/*/tests/integration/**/*.test.ts',
        '<rootDir>/local/**/tests/integration/**/*.test.ts',
        '<rootDir>/console/**/tests/api/**/*.test.ts',
        '<rootDir>/tests/hardening/integration/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
    },
  ],
};
