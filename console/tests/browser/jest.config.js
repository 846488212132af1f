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
  // As in the root config: a local stack's stray timer or child process must not hold CI open after the results.
  forceExit: true,
  reporters: ['default', path.join(__dirname, 'summary-reporter.js')],
};
