/**
 * The script each function sandbox (a worker thread) runs. It is plain JavaScript passed with `eval: true`,
 * so it runs the same under tsx, ts-jest and plain node. It loads the bundled handler once (the cold start)
 * with the function's own process.env, then serves invocations one at a time, like one Lambda instance.
 */
export const SANDBOX_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Module = require('node:module');
const path = require('node:path');
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };
}
function toPayload(err) {
  if (err instanceof Error) {
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: String(err.stack || '').split('\\n') };
  }
  return { errorType: 'Error', errorMessage: typeof err === 'string' ? err : JSON.stringify(err) };
}
// Workers ignore NODE_OPTIONS; honour the template's --enable-source-maps so traces point into the TypeScript.
if (/--enable-source-maps/.test(process.env.NODE_OPTIONS || '') && typeof process.setSourceMapsEnabled === 'function') {
  process.setSourceMapsEnabled(true);
}
let handler;
try {
  const mod = new Module(workerData.filename, null);
  mod.filename = workerData.filename;
  mod.paths = Module._nodeModulePaths(path.dirname(workerData.filename));
  mod._compile(workerData.code, workerData.filename);
  handler = mod.exports[workerData.exportName];
  if (typeof handler !== 'function') throw Object.assign(new Error('Handler ' + workerData.exportName + ' is not a function'), { name: 'Runtime.HandlerNotFound' });
  parentPort.postMessage({ type: 'ready' });
} catch (err) {
  parentPort.postMessage({ type: 'init-error', error: toPayload(err) });
}
parentPort.on('message', async (msg) => {
  const deadline = msg.context.deadline;
  const context = {
    ...msg.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {}, succeed: () => {}, fail: () => {},
  };
  try {
    const result = handler.length >= 3
      ? await new Promise((resolve, reject) => {
          const r = handler(msg.event, context, (err, value) => (err ? reject(err) : resolve(value)));
          if (r && typeof r.then === 'function') r.then(resolve, reject);
        })
      : await handler(msg.event, context);
    parentPort.postMessage({ type: 'result', id: msg.id, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
  } catch (err) {
    parentPort.postMessage({ type: 'error', id: msg.id, error: toPayload(err) });
  }
});
`;
