import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NsfwScores } from '../mapping/moderation';
import { readModelArtifacts } from './model-files';

/** nsfwjs' MobileNetV2 as shipped (JS modules holding the topology and base64 weights). */
export interface NsfwPaths {
  modelJs: string;
  weightsJs: string;
  version: string;
}

/** The classifier's input side, in pixels. */
export const NSFW_INPUT_SIZE = 224;

const CLASSES: readonly (keyof NsfwScores)[] = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

/**
 * Writes the model once as model.json + weights.bin under the cache folder, so later starts skip
 * evaluating the shipped 3.5 MB JS bundle and decoding its base64. Returns the model.json path.
 */
export function ensureNsfwCache(paths: NsfwPaths, cacheDir: string): string {
  const dir = join(cacheDir, `nsfwjs-${paths.version}-mobilenet_v2`);
  const modelJson = join(dir, 'model.json');
  if (existsSync(modelJson)) return modelJson;
  mkdirSync(dir, { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const model = require(paths.modelJs) as { modelTopology: unknown; weightsManifest: { paths: string[]; weights: unknown[] }[] };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const weights = Buffer.from(require(paths.weightsJs) as string, 'base64');
  const manifest = [{ paths: ['weights.bin'], weights: model.weightsManifest.flatMap((group) => group.weights) }];
  // Two workers may convert at once: each writes its own temp files and renames, so readers never see half a file.
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(join(dir, `weights.bin${suffix}`), weights);
  renameSync(join(dir, `weights.bin${suffix}`), join(dir, 'weights.bin'));
  writeFileSync(
    modelJson + suffix,
    JSON.stringify({ modelTopology: model.modelTopology, weightsManifest: manifest, format: 'layers-model' }),
  );
  renameSync(modelJson + suffix, modelJson);
  return modelJson;
}

/** The nsfwjs classifier, on whatever tfjs backend is active (WASM here). */
export class NsfwEngine {
  private constructor(private readonly model: tfl.LayersModel) {}

  /**
   * Loads the classifier from the binary cache (creating it on first use) and runs it once to warm up.
   * @throws Error when the shipped model cannot be read or converted
   */
  static async load(paths: NsfwPaths, cacheDir: string): Promise<NsfwEngine> {
    const modelJson = ensureNsfwCache(paths, cacheDir);
    const model = await tfl.loadLayersModel(tf.io.fromMemory(readModelArtifacts(modelJson)));
    const engine = new NsfwEngine(model);
    await engine.classify(new Uint8Array(NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3));
    return engine;
  }

  /** Classifies 224×224 RGB pixels into nsfwjs' five classes. */
  async classify(rgb224: Uint8Array): Promise<NsfwScores> {
    const output = tf.tidy(() => {
      const input = tf.div(tf.tensor4d(rgb224, [1, NSFW_INPUT_SIZE, NSFW_INPUT_SIZE, 3], 'float32'), 255);
      return this.model.predict(input) as tf.Tensor;
    });
    try {
      const values = await output.data();
      return Object.fromEntries(CLASSES.map((name, index) => [name, values[index]])) as unknown as NsfwScores;
    } finally {
      tf.dispose(output);
    }
  }
}
