import type { Label } from '@aws-sdk/client-rekognition';
import type { LabelsParams, RatioBox } from '../request';
import {
  calibrate,
  classifierPoints,
  FACE_POINTS,
  objectConfidence,
  PORTRAIT_FACE_SHARE,
  SKY_POINTS,
  TEXT_POINTS,
  VEGETATION_POINTS,
} from './calibration';
import type { ClassifierLabel } from './imagenet-labels';
import { aliasesOf, ancestorsOf, categoryOf, COCO_TO_LABEL } from './label-taxonomy';
import type { SceneCues } from './scene-cues';

/** One object the detector found: COCO class name, score 0–1, and its box in image ratios. */
export interface ObjectDetection {
  cocoClass: string;
  score: number;
  box: RatioBox;
}

/**
 * Evidence for labels: the detector's objects, the box scores (0–1) of faces the face mesh accepted, and how surely
 * the text detector and recogniser found legible text (0–1; absent when not looked for).
 */
export interface LabelEvidence {
  objects: ObjectDetection[];
  faceScores: number[];
  /** the largest accepted face's box area as a share of the image (0–1; absent or 0 when there is none) */
  largestFaceShare?: number;
  textScore?: number;
  /** colour-and-texture cues for sky and vegetation (absent when not looked for) */
  scene?: SceneCues;
  /** the ImageNet classifier's label scores, ancestors included (absent when the classifier is not installed) */
  classes?: ClassifierLabel[];
  /** which EfficientNet-Lite (0…4) produced `classes`: each has its own calibration (absent: Lite0) */
  classifierVariant?: number;
}

/**
 * Turns detections into Rekognition Labels: calibrated confidences (calibration.ts), names, Instances, ancestor
 * labels, Parents, Categories and the request's MinConfidence, MaxLabels and filters. Faces add Face, Head and
 * Person, because a found face is a person; legible text adds Text; blue sky adds Sky and Outdoors; foliage adds
 * Vegetation (and Plant).
 */
export function toLabels(evidence: LabelEvidence, params: LabelsParams): Label[] {
  const confidence = new Map<string, number>();
  const instances = new Map<string, { BoundingBox: RatioBox; Confidence: number }[]>();
  const raise = (name: string, value: number) => confidence.set(name, Math.max(confidence.get(name) ?? 0, value));

  for (const object of evidence.objects) {
    const name = COCO_TO_LABEL[object.cocoClass];
    if (!name) continue;
    const value = objectConfidence(object.cocoClass, object.score);
    raise(name, value);
    if (value >= params.minConfidence) {
      instances.set(name, [...(instances.get(name) ?? []), { BoundingBox: clampBox(object.box), Confidence: value }]);
    }
  }
  const bestFace = Math.max(0, ...evidence.faceScores);
  if (bestFace > 0) raise('Face', calibrate(bestFace, FACE_POINTS));
  if (evidence.textScore) raise('Text', calibrate(evidence.textScore, TEXT_POINTS));
  // Behind a face that fills much of the frame, smooth blue is a studio backdrop or a wall as often as sky.
  const portrait = (evidence.largestFaceShare ?? 0) >= PORTRAIT_FACE_SHARE;
  if (evidence.scene?.sky && !portrait) {
    // Sky over the top of a photo means it was taken outdoors; Rekognition returns both, neither as the other's parent.
    raise('Sky', calibrate(evidence.scene.sky, SKY_POINTS));
    raise('Outdoors', calibrate(evidence.scene.sky, SKY_POINTS));
  }
  if (evidence.scene?.vegetation) raise('Vegetation', calibrate(evidence.scene.vegetation, VEGETATION_POINTS));
  // The classifier sees the whole image: its labels get no Instances (Rekognition gives boxes only for objects).
  const points = classifierPoints(evidence.classifierVariant);
  for (const { label, score } of evidence.classes ?? []) raise(label, calibrate(score, points));

  // Rekognition returns every ancestor as a label too, as confident as its most confident descendant.
  for (const [name, value] of [...confidence]) for (const ancestor of ancestorsOf(name)) raise(ancestor, value);

  const labels: Label[] = [...confidence]
    .filter(([, value]) => value >= params.minConfidence)
    .map(([name, value]) => ({
      Name: name,
      Confidence: value,
      Instances: (instances.get(name) ?? []).sort((a, b) => b.Confidence - a.Confidence),
      Parents: ancestorsOf(name).map((parent) => ({ Name: parent })),
      Aliases: aliasesOf(name).map((alias) => ({ Name: alias })),
      Categories: [{ Name: categoryOf(name) }],
    }))
    .filter((label) => passesFilters(label, params))
    .sort((a, b) => (b.Confidence ?? 0) - (a.Confidence ?? 0) || String(a.Name).localeCompare(String(b.Name)));
  return labels.slice(0, params.maxLabels);
}

function passesFilters(label: Label, params: LabelsParams): boolean {
  const name = label.Name as string;
  const category = label.Categories?.[0]?.Name as string;
  if (params.labelExclusion.includes(name) || params.categoryExclusion.includes(category)) return false;
  const hasInclusion = params.labelInclusion.length > 0 || params.categoryInclusion.length > 0;
  return !hasInclusion || params.labelInclusion.includes(name) || params.categoryInclusion.includes(category);
}

function clampBox(box: RatioBox): RatioBox {
  const left = clamp01(box.Left);
  const top = clamp01(box.Top);
  return {
    Width: round4(clamp01(box.Left + box.Width) - left),
    Height: round4(clamp01(box.Top + box.Height) - top),
    Left: round4(left),
    Top: round4(top),
  };
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round4(value: number): number {
  return Math.round(value * 10000) / 10000;
}
