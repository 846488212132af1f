import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Analyser } from '../../local/vision/analyser';
import { toModerationResponse } from '../../local/vision/mapping/moderation';
import { resolveModelPaths } from '../../local/vision/model-paths';
import { MODERATION_MIN_CONFIDENCE } from './quality';
import { ensureEvalPhotos } from './eval/photos';

const fixed = (value: number) => value.toFixed(3);

/**
 * `npm run bench:vision -- --moderation-scores [FILE...]`: nsfwjs' five raw class probabilities and the moderation
 * labels they map to (at MinConfidence 0, and whether any passes Rekognition's default 50), on the held-out calibration
 * photos and on any files named after the flag, so SWIMWEAR_POINTS (local/vision/mapping/calibration.ts) can be checked
 * and re-chosen without looking at the evaluation photos. Runs the models in this process.
 */
export async function printModerationScores(cacheDir: string, files: readonly string[]): Promise<void> {
  const calibration = ensureEvalPhotos()
    .filter(({ image }) => image.sets.includes('calibration'))
    .map(({ image, file }) => ({ name: image.id, file }));
  const inputs = [...calibration, ...files.map((file) => ({ name: basename(file), file }))];
  const analyser = await Analyser.load(resolveModelPaths(), cacheDir);
  const rows = [];
  for (const { name, file } of inputs) {
    const scores = await analyser.moderationScores(await readFile(file));
    const labels = toModerationResponse(scores, 0).ModerationLabels ?? [];
    const confidence = (label: string) => labels.find((candidate) => candidate.Name === label)?.Confidence ?? 0;
    rows.push({
      image: name,
      Drawing: fixed(scores.Drawing),
      Hentai: fixed(scores.Hentai),
      Neutral: fixed(scores.Neutral),
      Porn: fixed(scores.Porn),
      Sexy: fixed(scores.Sexy),
      Explicit: confidence('Explicit').toFixed(1),
      'Swimwear or Underwear': confidence('Swimwear or Underwear').toFixed(1),
      flagged: labels.some((label) => (label.Confidence ?? 0) >= MODERATION_MIN_CONFIDENCE) ? 'yes' : '',
    });
  }
  console.log(
    `nsfwjs class probabilities (whole image squeezed to 224 px) and mapped confidences; flagged = a label >= ${MODERATION_MIN_CONFIDENCE}`,
  );
  console.table(rows);
}
