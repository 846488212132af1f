/**
 * Raw model scores mapped onto Rekognition's confidence scale, where 55 (DetectLabels' default MinConfidence) means
 * "more likely right than wrong" and 90+ means "sure". Each map is piecewise linear through a few points chosen from
 * the scores the models give on the evaluation photos (bench/vision/eval): where true detections start, and where
 * the detector's typical false detections stop. The points are the calibration; README.md gives the reasoning.
 */
export type CalibrationPoints = readonly (readonly [score: number, confidence: number])[];

/**
 * CenterNet's COCO objects: true objects score 0.3–0.8 (people in the evaluation photos 0.4–0.76, cars 0.43–0.64,
 * cups, birds, motorcycles 0.45–0.55), while clutter it mistakes for objects stays mostly under 0.3.
 */
export const OBJECT_POINTS: CalibrationPoints = [
  [0, 0],
  [0.2, 35],
  [0.3, 55],
  [0.5, 82],
  [0.7, 96],
  [1, 99.5],
];

/**
 * COCO classes, mostly small hand-held things, that the detector finds in texture and clutter (a "remote" on a door
 * frame, "clocks" on a circuit board): their score counts this much less, so they need about 0.5 to pass 55.
 */
export const UNRELIABLE_CLASS_PENALTY = 0.2;
export const UNRELIABLE_CLASSES: ReadonlySet<string> = new Set([
  'remote',
  'clock',
  'cell phone',
  'mouse',
  'toothbrush',
  'hair drier',
  'scissors',
  'knife',
  'fork',
  'spoon',
  'tie',
  'frisbee',
  'kite',
]);

/**
 * BlazeFace's box score for faces the face mesh accepted: human faces score 0.74–0.90, animal and statue faces that
 * get past the mesh 0.34–0.48.
 */
export const FACE_POINTS: CalibrationPoints = [
  [0, 0],
  [0.45, 35],
  [0.6, 55],
  [0.75, 85],
  [0.9, 99],
  [1, 99.9],
];

/**
 * Text presence: the detector's region score times the recogniser's mean character probability for the best region
 * that reads as at least two letters or digits. Signs and clear pages give 0.8–0.99. On the 23 calibration photos
 * (`npm run bench:vision -- --calibration`): the map 0.82 and a low-resolution document page 0.52 have text; the
 * potted plant reads 0.65 and the painting 0.18 without any, the rest 0. With the rule the classifier's points use
 * (55 where at least half of what is returned is right), 55 sits at 0.50 (2 of 3 right), not at 0.67 as before
 * (which missed the page).
 */
export const TEXT_POINTS: CalibrationPoints = [
  [0, 0],
  [0.3, 20],
  [0.5, 55],
  [0.7, 70],
  [0.85, 90],
  [1, 99],
];

/**
 * Scene cues (scene-cues.ts). Their points were chosen on the evaluation manifest's "calibration" set: 15 other
 * opencv-doc photos held out from every measured set (a house under a blue sky, a potted plant, an aerial view, a
 * painting, drawings, renders, indoor scenes; `npm run bench:vision -- --calibration` prints their scores). The house
 * scored 0.70 for sky and the rest 0; the potted plant 0.19 for vegetation and the rest at most 0.09 (the painting).
 * 55 sits above those negatives. The evaluation photos were scored only after these points were fixed.
 */
export const SKY_POINTS: CalibrationPoints = [
  [0, 0],
  [0.15, 55],
  [0.5, 85],
  [1, 95],
];
export const VEGETATION_POINTS: CalibrationPoints = [
  [0, 0],
  [0.12, 55],
  [0.3, 80],
  [0.6, 95],
  [1, 97],
];

/**
 * The sky cue is not used when a face covers at least this share of the image (a portrait or close-up, where the
 * blue behind the head is as likely a backdrop or a wall). Chosen by reasoning, not measured: none of the calibration
 * photos has both a face and sky; in a group or street photo each face covers well under 1 %.
 */
export const PORTRAIT_FACE_SHARE = 0.04;

/**
 * The ImageNet classifier (imagenet-labels.ts): a label's score is the summed probability of the classes under it.
 * Each variant gets its own points, chosen on the calibration photos only (`npm run bench:vision -- --calibration`
 * prints each label's score and a sweep of the share of classifier labels that are right at each summed probability),
 * before the evaluation photos were scored. The rule: 55 ("more likely right than wrong") sits at the lowest summed
 * probability where at least half of the classifier's labels on the calibration photos are right.
 *
 * Lite0 (labels-2, 15 photos): right labels scored 0.38-0.97 (Landscape 0.38 on the aerial view, Building 0.43 on
 * the house, Butterfly 0.95); wrong ones mostly stayed under 0.31, but drawings, renders and shapes reached
 * 0.41-0.64 (Ball on a rendered sphere 0.64, Electronics on a fish drawing 0.46): 55 at 0.40.
 *
 * Lite2 (labels-3, 23 photos, the whole image squeezed): share right 0.43 at >= 0.20, 0.58 at >= 0.25, 0.53 at
 * >= 0.40, 0.78 at >= 0.45, 1.00 (6 labels) at >= 0.60: 55 at 0.25, 75 at 0.45, 90 at 0.60.
 *
 * labels-4 took chance off each sum (imagenet-labels.ts: the label's class count times the image's median class
 * probability). Same photos, same points: share right 0.58 -> 0.63 at >= 0.25 (16 labels instead of 19; gone: Animal
 * and Mammal on a lawn (0.41 and 0.30, mostly chance), and Animal on the fish drawing, whose 0.25 was 0.16 of chance);
 * 0.50 at >= 0.20, 0.63 at >= 0.30, 0.70 at >= 0.40. Photos with a right classifier label 6 -> 5 (the fish drawing).
 * DetectLabels on the calibration photos (`-- --calibration-labels`): precision 0.488 -> 0.500, hit rate 0.478 ->
 * 0.435 (that drawing).
 */
const LITE0_POINTS: CalibrationPoints = [
  [0, 0],
  [0.2, 30],
  [0.4, 55],
  [0.7, 85],
  [0.95, 97],
  [1, 99],
];
const LITE2_POINTS: CalibrationPoints = [
  [0, 0],
  [0.15, 30],
  [0.25, 55],
  [0.45, 75],
  [0.6, 90],
  [0.95, 97],
  [1, 99],
];
const CLASSIFIER_POINTS_BY_VARIANT: Readonly<Record<number, CalibrationPoints>> = { 0: LITE0_POINTS, 2: LITE2_POINTS };

/** The points for an EfficientNet-Lite variant; a variant not calibrated here gets Lite0's, the strictest. */
export function classifierPoints(variant: number | undefined): CalibrationPoints {
  return CLASSIFIER_POINTS_BY_VARIANT[variant ?? 0] ?? LITE0_POINTS;
}
/**
 * Label scores under this are dropped before calibration. Summing the 398 animal classes (or the 100 of another large
 * parent) gave 0.09-0.14 on photos with no animal at all (a face portrait, a vase of flowers) before chance was taken
 * off the sums; the floor stays as a margin, so nothing under 0.15 is returned even at a low MinConfidence (it maps
 * to 30 at most, under the 55 default).
 */
export const CLASSIFIER_MIN_SCORE = 0.15;

/**
 * nsfwjs' "Sexy" probability for "Swimwear or Underwear". Ordinary photos of clothed people reach 0.82–0.92 with
 * this class (a footballer in kit 0.89, a woman in a dress 0.84), so 55 sits at 0.95. nsfwjs' Porn and Hentai
 * ("Explicit") are not recalibrated: their mapping, and so their recall, stays as it was (score × 100).
 * Known miss, left as it is: CGI women in lingerie (fixture cgi-multiangle-1.jpg) score 0.923, inside the clothed
 * range, so this class cannot separate them (`npm run bench:vision -- --moderation-scores`; README "Limits").
 */
export const SWIMWEAR_POINTS: CalibrationPoints = [
  [0, 0],
  [0.5, 10],
  [0.9, 30],
  [0.95, 55],
  [0.99, 90],
  [1, 99],
];

/** Maps a raw score (0–1) through calibration points; rounded to 3 decimals like the rest of the responses. */
export function calibrate(score: number, points: CalibrationPoints): number {
  const clamped = Math.min(1, Math.max(0, score));
  for (let i = 1; i < points.length; i += 1) {
    const [x1, y1] = points[i];
    if (clamped <= x1) {
      const [x0, y0] = points[i - 1];
      const value = x1 === x0 ? y1 : y0 + ((clamped - x0) / (x1 - x0)) * (y1 - y0);
      return Math.round(value * 1000) / 1000;
    }
  }
  return points[points.length - 1][1];
}

/** A COCO object's confidence: its class's penalty applied, then the object calibration. */
export function objectConfidence(cocoClass: string, score: number): number {
  return calibrate(UNRELIABLE_CLASSES.has(cocoClass) ? score - UNRELIABLE_CLASS_PENALTY : score, OBJECT_POINTS);
}
