/**
 * Browser tests run on their own (`npm run test:browser`): they need Debian's Chromium, start the local stack
 * and take a minute or two, so `npm test` stays free of a browser dependency.
 */
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json') }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: [path.join(root, 'tests/setup/polyfills.js')],
  testMatch: ['<rootDir>/console/tests/browser/**/*.browser.ts'],
  // No forceExit: a stopped local stack releases everything (local/stack/tests/integration/stop-releases.test.ts),
  // so Jest not exiting after the results is a leak to fix, not to hide.
  reporters: ['default', path.join(__dirname, 'summary-reporter.js')],
};
