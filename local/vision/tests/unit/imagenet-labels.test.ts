import { IMAGENET_CLASSES } from '../../mapping/imagenet-classes';
import { classifierLabels, IMAGENET_TO_LABEL, imagenetClassLabels } from '../../mapping/imagenet-labels';
import { LABEL_TAXONOMY } from '../../mapping/label-taxonomy';

const indexOf = (name: string) => IMAGENET_CLASSES.indexOf(name);

describe('ImageNet class labels', () => {
  it('names 1000 classes in output order and resolves every class the table names to exactly one class', () => {
    expect(IMAGENET_CLASSES).toHaveLength(1000);
    expect([IMAGENET_CLASSES[0], IMAGENET_CLASSES[151], IMAGENET_CLASSES[268], IMAGENET_CLASSES[999]]).toEqual([
      'tench',
      'Chihuahua',
      'Mexican hairless',
      'toilet tissue',
    ]);
    expect(() => imagenetClassLabels()).not.toThrow();
  });

  it('maps only onto labels the taxonomy knows', () => {
    for (const label of Object.keys(IMAGENET_TO_LABEL)) expect(LABEL_TAXONOMY[label]).toBeDefined();
  });

  it('keeps the ranges on the animals they stand for, and leaves weapons and swimwear unlabelled', () => {
    const labels = imagenetClassLabels();
    expect(labels[indexOf('Chihuahua')]).toBe('Dog');
    expect(labels[indexOf('tabby')]).toBe('Cat');
    expect(labels[indexOf('monarch')]).toBe('Butterfly');
    expect(labels[indexOf('goldfinch')]).toBe('Bird');
    for (const name of ['assault rifle', 'revolver', 'bikini', 'brassiere', 'swimming trunks', 'web site'])
      expect(labels[indexOf(name)]).toBeUndefined();
  });
});

describe('classifierLabels', () => {
  it('sums the probability of every class under a label, so breeds add up to Dog and everything alive to Animal', () => {
    // Prepare: 0.3 on each of two breeds, 0.2 on a cat, 0.2 on a church.
    const probabilities = new Float32Array(1000);
    probabilities[indexOf('Chihuahua')] = 0.3;
    probabilities[indexOf('beagle')] = 0.3;
    probabilities[indexOf('tabby')] = 0.2;
    probabilities[indexOf('church')] = 0.2;

    // Act
    const scores = new Map(classifierLabels(probabilities, 0.1).map(({ label, score }) => [label, score]));

    // Assess
    expect(scores.get('Dog')).toBeCloseTo(0.6);
    expect(scores.get('Cat')).toBeCloseTo(0.2);
    expect(scores.get('Pet')).toBeCloseTo(0.8);
    expect(scores.get('Animal')).toBeCloseTo(0.8);
    expect(scores.get('Building')).toBeCloseTo(0.2);
    expect(scores.get('Architecture')).toBeCloseTo(0.2);
  });

  it('leaves out labels under the minimum score, most likely first', () => {
    const probabilities = new Float32Array(1000);
    probabilities[indexOf('lakeside')] = 0.5;
    probabilities[indexOf('daisy')] = 0.05;
    const labels = classifierLabels(probabilities, 0.1);
    expect(labels.map(({ label }) => label)).toEqual(expect.arrayContaining(['Lake', 'Water', 'Nature', 'Outdoors']));
    expect(labels.map(({ label }) => label)).not.toContain('Daisy');
    expect(labels.map(({ score }) => score)).toEqual([...labels.map(({ score }) => score)].sort((a, b) => b - a));
  });

  it('takes chance off a sum: probability spread evenly over every class adds up to no label, a real class still counts', () => {
    // Prepare: the classifier recognises nothing (the same small probability on every class), then the same photo
    // with 0.5 on one breed.
    const flat = new Float32Array(1000).fill(0.001);
    const dog = new Float32Array(1000).fill(0.0005);
    dog[indexOf('beagle')] = 0.5;

    // Act
    const flatLabels = classifierLabels(flat, 0.1).map(({ label }) => label);
    const dogScores = new Map(classifierLabels(dog, 0.1).map(({ label, score }) => [label, score]));

    // Assess: summed without the correction, the 396 animal classes of the flat photo would give Animal 0.4.
    expect(flatLabels).toEqual([]);
    expect(dogScores.get('Dog')).toBeCloseTo(0.5 - 0.0005);
    expect(dogScores.get('Animal')).toBeCloseTo(0.5 - 0.0005);
  });
});
