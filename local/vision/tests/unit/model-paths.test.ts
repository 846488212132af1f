import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSIFIER_ENV, findClassifierWeights } from '../../model-paths';

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
