import { dirname, join } from 'node:path';
import type { ModelPaths } from './analyser';

/**
 * Finds every model file inside installed npm packages, from this process's own module resolution.
 * @throws Error when a package is missing (run npm install)
 */
export function resolveModelPaths(): ModelPaths {
  // Human's exports map sends Node to its tfjs-node build, so its WASM build is addressed by path.
  const humanRoot = join(dirname(require.resolve('@vladmandic/human')), '..');
  const nsfwRoot = join(dirname(require.resolve('nsfwjs')), '..', '..');
  const nsfwVersion = (require(join(nsfwRoot, 'package.json')) as { version: string }).version;
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  const tesseractData = dirname(require.resolve('@tesseract.js-data/eng'));
  return {
    human: { humanScript: join(humanRoot, 'dist', 'human.node-wasm.js'), humanModels: join(humanRoot, 'models'), wasmDir },
    nsfw: {
      modelJs: join(nsfwRoot, 'dist', 'models', 'mobilenet_v2', 'model.min.js'),
      weightsJs: join(nsfwRoot, 'dist', 'models', 'mobilenet_v2', 'group1-shard1of1.min.js'),
      version: nsfwVersion,
    },
    // LSTM-only recognition uses the integer "best" model: 3 MB instead of 11 MB, and faster.
    ocr: { langPath: join(tesseractData, '4.0.0_best_int') },
  };
}
