import sharp from 'sharp';
import { Analyser } from './analyser';
import { isRekognitionErrorType, RekognitionError } from './errors';
import type { FromWorker, ToWorker } from './worker-protocol';

// Entry of one vision worker process: loads the models once, then answers jobs one at a time.
let analyser: Analyser | undefined;
// Every image is decoded once; libvips' operation cache would only hold on to decoded pixels.
sharp.cache(false);

function send(message: FromWorker): void {
  process.send?.(message);
}

async function onMessage(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    const started = Date.now();
    try {
      analyser = await Analyser.load(message.paths, message.cacheDir);
      send({ type: 'ready', loadMs: Date.now() - started });
    } catch (error) {
      send({ type: 'init-failed', message: (error as Error).stack ?? String(error) });
      process.exit(1);
    }
    return;
  }
  if (!analyser) {
    send({
      type: 'result',
      id: message.id,
      ok: false,
      errorType: 'ServiceUnavailableException',
      message: 'The vision models are still loading',
    });
    return;
  }
  try {
    const bytes = Buffer.from(message.job.bytes);
    const response = await analyser.analyse({ ...message.job, bytes } as typeof message.job);
    send({ type: 'result', id: message.id, ok: true, body: JSON.stringify(response) });
  } catch (error) {
    // A bad image is the caller's problem, not the worker's: answer with the error and keep serving.
    if (error instanceof RekognitionError && isRekognitionErrorType(error.code)) {
      send({ type: 'result', id: message.id, ok: false, errorType: error.code, message: error.message });
    } else {
      send({
        type: 'result',
        id: message.id,
        ok: false,
        errorType: 'InternalServerError',
        message: `Local vision worker failed: ${(error as Error).message}`,
      });
    }
  }
}

let queue = Promise.resolve();
process.on('message', (message: ToWorker) => {
  queue = queue.then(() => onMessage(message));
});
// Parent gone: nothing left to answer.
process.on('disconnect', () => process.exit(0));
