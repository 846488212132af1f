import { readFile } from 'node:fs/promises';
import { decodeRgb, MAX_LABELS_SIDE, THUMBNAIL_SIDE } from '../../local/vision/engines/decode';
import { ImagenetClassifier } from '../../local/vision/engines/imagenet-classifier';
import {
  calibrate,
  CLASSIFIER_MIN_SCORE,
  classifierPoints,
  SKY_POINTS,
  TEXT_POINTS,
  VEGETATION_POINTS,
} from '../../local/vision/mapping/calibration';
import { classifierLabels } from '../../local/vision/mapping/imagenet-labels';
import { IMAGENET_CLASSES } from '../../local/vision/mapping/imagenet-classes';
import { sceneCues } from '../../local/vision/mapping/scene-cues';
import { PaddleOcrEngine } from '../../local/vision/engines/paddle-ocr-engine';
import { findClassifierWeights, resolveModelPaths } from '../../local/vision/model-paths';
import { LABELS_MIN_CONFIDENCE } from './quality';
import { ensureEvalPhotos } from './eval/photos';

const TOP_CLASSES = 3;
const TOP_LABELS = 8;
/** Summed-probability thresholds the sweep below reports, to place the classifier points' 55 on (calibration.ts). */
const SWEEP = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6];

/**
 * `npm run bench:vision -- --calibration`: the raw scores of the scene cues and of the ImageNet classifier (when
 * installed) on the held-out calibration photos (manifest set "calibration"), with their calibrated confidences and
 * whether a person gave the photo that label, so the thresholds in local/vision/mapping/calibration.ts can be checked
 * and re-chosen without looking at the evaluation photos.
 */
export async function printCalibration(): Promise<void> {
  const photos = ensureEvalPhotos().filter(({ image }) => image.sets.includes('calibration'));
  const cueRows = [];
  const ocr = await PaddleOcrEngine.load(resolveModelPaths().ocr);
  for (const { image, file } of photos) {
    const cues = sceneCues(await decodeRgb(await readFile(file), THUMBNAIL_SIDE));
    const text = await ocr.textPresence(await decodeRgb(await readFile(file), MAX_LABELS_SIDE));
    const labels = image.labels ?? [];
    cueRows.push({
      photo: image.id,
      sky: cues.sky.toFixed(3),
      'Sky confidence': calibrate(cues.sky, SKY_POINTS).toFixed(0),
      'has sky': labels.includes('Sky') ? 'yes' : '',
      vegetation: cues.vegetation.toFixed(3),
      'Vegetation confidence': calibrate(cues.vegetation, VEGETATION_POINTS).toFixed(0),
      'has vegetation': labels.includes('Vegetation') ? 'yes' : '',
      text: text.toFixed(3),
      'Text confidence': calibrate(text, TEXT_POINTS).toFixed(0),
      'has text': labels.includes('Text') ? 'yes' : '',
    });
  }
  console.log(`scene cues on the calibration photos (a label is returned at confidence >= ${LABELS_MIN_CONFIDENCE})`);
  console.table(cueRows);

  const weights = findClassifierWeights();
  if (!weights) {
    console.log('\nImageNet classifier not installed (npm run vision:classifier): no classifier rows');
    return;
  }
  const classifier = await ImagenetClassifier.load(weights);
  console.log(
    `\nImageNet classifier on the calibration photos: top classes, and label scores (summed probability) -> confidence; * = a label the photo has`,
  );
  const scored: { label: string; score: number; right: boolean; photo: string }[] = [];
  for (const { image, file } of photos) {
    const probabilities = await classifier.classify(await decodeRgb(await readFile(file), MAX_LABELS_SIDE));
    for (const { label, score } of classifierLabels(probabilities, CLASSIFIER_MIN_SCORE))
      scored.push({ label, score, right: (image.labels ?? []).includes(label), photo: image.id });
    const top = [...probabilities]
      .map((probability, index) => ({ probability, index }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, TOP_CLASSES)
      .map(({ probability, index }) => `${IMAGENET_CLASSES[index]} ${probability.toFixed(2)}`);
    const labels = classifierLabels(probabilities, CLASSIFIER_MIN_SCORE)
      .slice(0, TOP_LABELS)
      .map(
        ({ label, score }) =>
          `${(image.labels ?? []).includes(label) ? '*' : ''}${label} ${score.toFixed(2)}->${calibrate(score, classifierPoints(classifier.variant)).toFixed(0)}`,
      );
    console.log(`${image.id}: [${top.join(', ')}] ${labels.join(', ')}`);
  }
  console.log('\nclassifier labels at or above each summed probability: share right (precision), photos with a right one');
  console.table(
    SWEEP.map((threshold) => {
      const kept = scored.filter(({ score }) => score >= threshold);
      const right = kept.filter(({ right }) => right);
      return {
        threshold,
        labels: kept.length,
        precision: kept.length ? (right.length / kept.length).toFixed(3) : 'n/a',
        'photos with a right one': new Set(right.map(({ photo }) => photo)).size,
      };
    }),
  );
}
