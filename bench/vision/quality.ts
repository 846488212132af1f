import { readFile } from 'node:fs/promises';
import type { DetectLabelsResponse, DetectModerationLabelsResponse, DetectTextResponse } from '@aws-sdk/client-rekognition';
import type { VisionEndpoint } from './service-client';
import { ensureEvalPhotos, type EvalImage } from './eval/photos';
import { rates, scoreLabels, scoreWords, sumTallies, type Tally } from './eval/score';

/** Rekognition's own defaults, so the numbers mean what an API caller with no thresholds would see. */
export const LABELS_MIN_CONFIDENCE = 55;
export const MODERATION_MIN_CONFIDENCE = 50;

/** The targets of issue 16. */
export const QUALITY_TARGETS = { labelHitRate: 0.9, sceneTextWordRecall: 0.8, moderationFalsePositiveRate: 0.05 } as const;

interface PhotoResult {
  image: EvalImage;
  labels?: string[];
  labelTally?: Tally;
  words?: string[];
  wordTally?: Tally;
  moderation?: string[];
}

async function call<T>(service: VisionEndpoint, operation: string, request: Record<string, unknown>): Promise<T> {
  const response = await service.handle(`RekognitionService.${operation}`, JSON.stringify(request));
  if (response.status !== 200) throw new Error(`${operation} answered ${response.status}: ${response.body}`);
  return JSON.parse(response.body) as T;
}

async function analysePhoto(service: VisionEndpoint, image: EvalImage, bytes: Buffer): Promise<PhotoResult> {
  const Image = { Bytes: bytes.toString('base64') };
  const result: PhotoResult = { image };
  if (image.sets.includes('everyday')) {
    const labels = await call<DetectLabelsResponse>(service, 'DetectLabels', { Image, MinConfidence: LABELS_MIN_CONFIDENCE });
    result.labels = (labels.Labels ?? []).map((label) => label.Name as string);
    result.labelTally = scoreLabels(result.labels, image.labels ?? []);
  }
  if (image.sets.includes('sceneText') || image.sets.includes('document')) {
    const request = image.region ? { Image, Filters: { RegionsOfInterest: [{ BoundingBox: image.region }] } } : { Image };
    const text = await call<DetectTextResponse>(service, 'DetectText', request);
    result.words = (text.TextDetections ?? [])
      .filter((detection) => detection.Type === 'WORD')
      .map((detection) => detection.DetectedText as string);
    result.wordTally = scoreWords(result.words, image.words ?? [], image.optionalWords);
  }
  if (image.sets.includes('ordinary')) {
    const moderation = await call<DetectModerationLabelsResponse>(service, 'DetectModerationLabels', {
      Image,
      MinConfidence: MODERATION_MIN_CONFIDENCE,
    });
    result.moderation = (moderation.ModerationLabels ?? []).map((label) => `${label.Name} ${Math.round(label.Confidence ?? 0)}`);
  }
  return result;
}

const fixed = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));

/**
 * Runs DetectLabels, DetectText and DetectModerationLabels on the labelled evaluation photos (ensureEvalPhotos) and
 * prints one row per photo and one row per measure (precision/recall per capability, with issue 16's targets).
 */
export async function runQuality(service: VisionEndpoint): Promise<void> {
  // Calibration photos only choose thresholds (calibration.ts); scoring them here would mix the two splits.
  const photos = ensureEvalPhotos().filter(({ image }) => image.sets.some((set) => set !== 'calibration'));
  const results: PhotoResult[] = [];
  for (const { image, file } of photos) results.push(await analysePhoto(service, image, await readFile(file)));

  console.log(
    `\nevaluation photos, one row each (labels at MinConfidence ${LABELS_MIN_CONFIDENCE}, moderation at ${MODERATION_MIN_CONFIDENCE}; sources and licences in bench/vision/eval/manifest.json)`,
  );
  console.table(
    results.map((result) => ({
      photo: result.image.id,
      hit: result.labelTally ? (result.labelTally.correct > 0 ? 'yes' : 'NO') : '',
      labels: result.labels?.slice(0, 8).join(', ') ?? '',
      words: result.wordTally ? `${result.wordTally.found}/${result.wordTally.expected}: ${result.words?.join(' ').slice(0, 60)}` : '',
      moderation: result.moderation?.join(', ') ?? '',
    })),
  );

  const everyday = results.filter((result) => result.labelTally);
  const labelTally = sumTallies(everyday.map((result) => result.labelTally as Tally));
  const hits = everyday.filter((result) => (result.labelTally as Tally).correct > 0).length;
  const textOf = (set: 'sceneText' | 'document') =>
    sumTallies(results.filter((result) => result.image.sets.includes(set)).map((result) => result.wordTally as Tally));
  const scene = rates(textOf('sceneText'));
  const documents = rates(textOf('document'));
  const ordinary = results.filter((result) => result.moderation);
  const flagged = ordinary.filter((result) => (result.moderation as string[]).length > 0).length;
  const labelRates = rates(labelTally);

  console.log(
    '\nanalysis quality per capability (precision = share of returned labels/words that are right; recall = share of expected ones found)',
  );
  console.table([
    {
      measure: 'labels: everyday photos with at least one correct label',
      value: fixed(hits / everyday.length),
      target: `>= ${QUALITY_TARGETS.labelHitRate}`,
      photos: everyday.length,
    },
    { measure: 'labels: precision', value: fixed(labelRates.precision), target: '', photos: everyday.length },
    { measure: 'labels: recall', value: fixed(labelRates.recall), target: '', photos: everyday.length },
    {
      measure: 'text: scene text word recall',
      value: fixed(scene.recall),
      target: `>= ${QUALITY_TARGETS.sceneTextWordRecall}`,
      photos: results.filter((result) => result.image.sets.includes('sceneText')).length,
    },
    {
      measure: 'text: scene text word precision',
      value: fixed(scene.precision),
      target: '',
      photos: results.filter((result) => result.image.sets.includes('sceneText')).length,
    },
    {
      measure: 'text: document word recall',
      value: fixed(documents.recall),
      target: '',
      photos: results.filter((result) => result.image.sets.includes('document')).length,
    },
    {
      measure: 'text: document word precision',
      value: fixed(documents.precision),
      target: '',
      photos: results.filter((result) => result.image.sets.includes('document')).length,
    },
    {
      measure: 'moderation: false-positive rate on ordinary photos',
      value: fixed(flagged / ordinary.length),
      target: `<= ${QUALITY_TARGETS.moderationFalsePositiveRate}`,
      photos: ordinary.length,
    },
    { measure: 'moderation: explicit-content recall', value: 'not measured', target: '', photos: 0 },
  ]);
}
