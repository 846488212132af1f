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
  // No forceExit: a stopped local stack releases everything (local/stack/tests/integration/stop-releases.test.ts),
  // so Jest not exiting after the results is a leak to fix, not to hide.
  maxWorkers: 1,
};
