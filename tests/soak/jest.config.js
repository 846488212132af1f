/**
 * The long hardening runs (`npm run test:soak`, run by CI): thousands of fuzz cases, kill -9 of the local stack,
 * injected faults and 500 uploads. They start whole stacks and take minutes, so `npm test` leaves them out,
 * and they run one file at a time so their memory and concurrency figures are not skewed by each other.
 */
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(root, 'tsconfig.json') }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: [path.join(root, 'tests/setup/polyfills.js')],
  testMatch: ['<rootDir>/tests/soak/**/*.test.ts'],
  // As in the root config: a local stack's stray timer or child process must not hold CI open after the results.
  forceExit: true,
  maxWorkers: 1,
};
