import type * as TfCore from '@tensorflow/tfjs-core';
import type { Config, FaceResult, Human, ObjectResult } from '@vladmandic/human';
import { pathToFileURL } from 'node:url';
import { registerFileLoader } from './model-files';

/** Where Human's WASM build, its models and tfjs' WASM binaries live (resolved by the parent process). */
export interface HumanPaths {
  humanScript: string;
  humanModels: string;
  wasmDir: string;
}

/** Decoded RGB pixels, as a tfjs tensor wants them. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Which face sub-models a DetectFaces call needs. */
export interface FaceOptions {
  mesh: boolean;
  description: boolean;
  emotion: boolean;
}

// Only the models this service uses are enabled; everything else stays unloaded to save memory and start time.
function baseConfig(paths: HumanPaths): Partial<Config> {
  return {
    backend: 'wasm',
    wasmPath: paths.wasmDir.endsWith('/') ? paths.wasmDir : `${paths.wasmDir}/`,
    modelBasePath: pathToFileURL(paths.humanModels).href + '/',
    debug: false,
    async: false,
    warmup: 'none',
    // Human caches results between similar frames (made for video); for independent images that leaks results.
    cacheSensitivity: 0,
    filter: { enabled: false } as Config['filter'],
    face: {
      enabled: true,
      detector: { enabled: true, rotation: false, maxDetected: 100, minConfidence: 0.3, iouThreshold: 0.1, return: false, skipFrames: 0 },
      mesh: { enabled: true },
      iris: { enabled: false },
      description: { enabled: true, minConfidence: 0.1, skipFrames: 0 },
      emotion: { enabled: true, minConfidence: 0.001, skipFrames: 0 },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
      gear: { enabled: false },
    } as unknown as Config['face'],
    body: { enabled: false } as Config['body'],
    hand: { enabled: false } as Config['hand'],
    object: { enabled: true, minConfidence: 0.1, iouThreshold: 0.4, maxDetected: 50, skipFrames: 0 } as Config['object'],
    gesture: { enabled: false },
    segmentation: { enabled: false } as Config['segmentation'],
  };
}

/** Human (face detector, mesh, age/gender, emotion, centernet objects) on the tfjs WASM backend. */
export class HumanEngine {
  private constructor(
    private readonly human: Human,
    readonly tf: typeof TfCore,
  ) {}

  /**
   * Loads Human's WASM build by path (its exports map has no usable entry for it) and all models once.
   * @throws Error when the WASM backend or a model cannot load
   */
  static async load(paths: HumanPaths): Promise<HumanEngine> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(paths.humanScript) as { Human: new (config: Partial<Config>) => Human };
    const human = new module.Human(baseConfig(paths));
    const tf = human.tf as typeof TfCore;
    registerFileLoader(tf);
    await human.init();
    if (tf.getBackend() !== 'wasm') throw new Error(`Human runs on ${tf.getBackend()}, not wasm`);
    await human.load();
    return new HumanEngine(human, tf);
  }

  /** Finds faces; the sub-models run only when the call needs their output. */
  async faces(image: RgbImage, options: FaceOptions): Promise<FaceResult[]> {
    const result = await this.run(image, {
      face: {
        enabled: true,
        mesh: { enabled: options.mesh },
        description: { enabled: options.description },
        emotion: { enabled: options.emotion },
      } as Config['face'],
      object: { enabled: false } as Config['object'],
    });
    return result.face;
  }

  /** Finds COCO objects scoring at least `minScore`. */
  async objects(image: RgbImage, minScore: number): Promise<ObjectResult[]> {
    const result = await this.run(image, {
      face: { enabled: false } as Config['face'],
      object: { enabled: true, minConfidence: minScore } as Config['object'],
    });
    return result.object;
  }

  private async run(image: RgbImage, config: Partial<Config>) {
    const tensor = this.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const result = await this.human.detect(tensor as never, config);
      if (result.error) throw new Error(`Human failed: ${result.error}`);
      return result;
    } finally {
      this.tf.dispose(tensor);
    }
  }
}
