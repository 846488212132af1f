// Plain JavaScript on purpose: no loader may sit between `node` and the bundle being timed.
// argv: <bundle.js> <result.json>. Times require() of the bundle (module code, clients, config) from a fresh process.
const { performance } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
const [bundle, resultFile] = process.argv.slice(2);
const processStartToProbeMs = performance.now();
const start = performance.now();
const loaded = require(bundle);
const importMs = performance.now() - start;
const ready = typeof loaded.handler === 'function';
writeFileSync(
  resultFile,
  JSON.stringify({
    importMs,
    processStartToReadyMs: performance.now(),
    processStartToProbeMs,
    ready,
    rssMb: process.memoryUsage().rss / 1048576,
  }),
);
