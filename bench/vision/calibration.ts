import { readFile } from 'node:fs/promises';
import { decodeRgb, THUMBNAIL_SIDE } from '../../local/vision/engines/decode';
import { calibrate, SKY_POINTS, VEGETATION_POINTS } from '../../local/vision/mapping/calibration';
import { sceneCues } from '../../local/vision/mapping/scene-cues';
import { LABELS_MIN_CONFIDENCE } from './quality';
import { ensureEvalPhotos } from './eval/photos';

/**
 * `npm run bench:vision -- --calibration`: the scene cues' raw scores and calibrated confidences on the held-out
 * calibration photos (manifest set "calibration"), beside what a person sees in each, so the thresholds in
 * local/vision/mapping/calibration.ts can be checked and re-chosen without looking at the evaluation photos.
 */
export async function printCalibration(): Promise<void> {
  const rows = [];
  for (const { image, file } of ensureEvalPhotos().filter(({ image }) => image.sets.includes('calibration'))) {
    const cues = sceneCues(await decodeRgb(await readFile(file), THUMBNAIL_SIDE));
    const labels = image.labels ?? [];
    rows.push({
      photo: image.id,
      sky: cues.sky.toFixed(3),
      'Sky confidence': calibrate(cues.sky, SKY_POINTS).toFixed(0),
      'has sky': labels.includes('Sky') ? 'yes' : '',
      vegetation: cues.vegetation.toFixed(3),
      'Vegetation confidence': calibrate(cues.vegetation, VEGETATION_POINTS).toFixed(0),
      'has vegetation': labels.includes('Vegetation') ? 'yes' : '',
    });
  }
  console.log(`scene cues on the calibration photos (a label is returned at confidence >= ${LABELS_MIN_CONFIDENCE})`);
  console.table(rows);
}
