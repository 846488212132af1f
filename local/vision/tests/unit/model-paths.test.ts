import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSIFIER_ENV, findClassifierWeights } from '../../model-paths';
import { classifierView } from '../../engines/imagenet-classifier';

describe('findClassifierWeights', () => {
  it('uses the checkpoint the environment names, and none when it says off', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'classifier-')), 'weights.pth');
    writeFileSync(file, 'x');
    expect(findClassifierWeights({ [CLASSIFIER_ENV]: file })).toBe(file);
    expect(findClassifierWeights({ [CLASSIFIER_ENV]: 'off' })).toBeUndefined();
  });

  it('refuses a configured checkpoint that does not exist, naming the variable', () => {
    expect(() => findClassifierWeights({ [CLASSIFIER_ENV]: '/nowhere/weights.pth' })).toThrow(CLASSIFIER_ENV);
  });
});

describe('classifierView', () => {
  it('defaults to the calibrated whole-image view and refuses an unknown one, naming the variable', () => {
    expect(classifierView({})).toBe('fill');
    expect(classifierView({ LOCAL_VISION_CLASSIFIER_VIEW: 'both' })).toBe('both');
    expect(() => classifierView({ LOCAL_VISION_CLASSIFIER_VIEW: 'zoom' })).toThrow('LOCAL_VISION_CLASSIFIER_VIEW');
  });
});
